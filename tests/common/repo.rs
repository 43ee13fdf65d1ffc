//! A git repository in a temporary directory, built with the `git` command line as users build
//! them, isolated from the machine's git configuration.

use std::path::Path;
use std::process::Command;

use super::qgate;

/// A git repository in a temporary directory, isolated from the machine's git configuration.
pub struct Repo {
    pub dir: tempfile::TempDir,
    pub home: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Self {
        let repo = Self {
            dir: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .current_dir(dir)
            .env("HOME", self.home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args([
                "-c",
                "user.name=qgate test",
                "-c",
                "user.email=test@example.com",
            ])
            .args([
                "-c",
                "protocol.file.allow=always",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(self.path(), args)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn append(&self, rel: &str, text: &str) {
        let old = std::fs::read_to_string(self.path().join(rel)).unwrap();
        self.write(rel, &format!("{old}{text}"));
    }

    pub fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// `qgate check <dir> --format json` with `args`; (exit code, report, stderr).
    pub fn check_in(&self, dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
        let out = qgate()
            .current_dir(dir)
            .env("HOME", self.home.path())
            .args(["check", ".", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        (out.status.code().unwrap(), json, stderr)
    }

    pub fn check(&self, args: &[&str]) -> (i32, serde_json::Value, String) {
        self.check_in(self.path(), args)
    }

    /// `git clone --depth DEPTH --no-single-branch file://…` of this repository with `branch`
    /// checked out: the clone's directory (and the temporary directory holding it).
    pub fn shallow_clone(
        &self,
        depth: u32,
        branch: &str,
    ) -> (tempfile::TempDir, std::path::PathBuf) {
        let clone = tempfile::tempdir().unwrap();
        let url = format!("file://{}", self.path().display());
        let depth = depth.to_string();
        self.git_in(
            clone.path(),
            &[
                "clone",
                "-q",
                "--depth",
                &depth,
                "--no-single-branch",
                &url,
                "c",
            ],
        );
        let c = clone.path().join("c");
        self.git_in(&c, &["checkout", "-q", branch]);
        (clone, c)
    }
}
