//! JSON report snapshots of every fixture project. A change in any number shows up here;
//! review it with `cargo insta review` (or `INSTA_UPDATE=always cargo test`) and commit.

mod common;

use common::{check_json, project};

fn snapshot(name: &str) -> serde_json::Value {
    let dir = project(name);
    let (_, report) = check_json(dir.path(), &["--exit-zero"]);
    report
}

#[test]
fn sample() {
    insta::assert_json_snapshot!(snapshot("sample"));
}

#[test]
fn syntax_error() {
    insta::assert_json_snapshot!(snapshot("projects/syntax-error"));
}

#[test]
fn complex() {
    insta::assert_json_snapshot!(snapshot("projects/complex"));
}

#[test]
fn untyped() {
    insta::assert_json_snapshot!(snapshot("projects/untyped"));
}
