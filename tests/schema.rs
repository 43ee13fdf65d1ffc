//! `docs/report.schema.json` is the JSON Schema of the report, generated from the report's own
//! types (so it cannot drift: this test fails when they change and it was not regenerated), and
//! every JSON snapshot of the test suite validates against it.
//!
//! `QGATE_BLESS=1 cargo test --test schema` rewrites the file.

use std::path::Path;

fn generated() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(qgate::report::Report)).unwrap();
    schema["$id"] = "https://qgate.invalid/report.schema.json".into();
    schema["title"] = "qgate JSON report, schema_version 1".into();
    schema
}

#[test]
fn the_schema_file_is_the_report_types_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("docs/report.schema.json");
    let text = serde_json::to_string_pretty(&generated()).unwrap() + "\n";
    if std::env::var_os("QGATE_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let saved = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        saved == text,
        "docs/report.schema.json is stale: run `QGATE_BLESS=1 cargo test --test schema`"
    );
}

#[test]
fn every_json_snapshot_validates_against_the_schema() {
    let validator = jsonschema::validator_for(&generated()).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // An insta file: a `---` header, then the snapshot.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or("");
        let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
            continue;
        };
        if value.get("schema_version").is_none() {
            continue;
        }
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .take(3)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        // And the schema is not vacuous: a status that is not one breaks it.
        let mut broken = value.clone();
        broken["status"] = "maybe".into();
        broken["summary"]["files"] = "many".into();
        assert_eq!(
            validator.iter_errors(&broken).count(),
            2,
            "{}",
            path.display()
        );
        checked += 1;
    }
    // The fixture snapshots and the two report snapshots of the format tests.
    assert!(checked >= 6, "only {checked} JSON report snapshots found");
}
