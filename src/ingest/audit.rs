//! Dependency audits: `pip-audit -f json` and `cargo audit --json`. Each advisory against a
//! dependency becomes one entry; cargo audit's informational warnings (unmaintained, yanked,
//! unsound, notice) are entries of their own kind. Where a dependency is declared is found
//! afterwards (`locate`), in the manifests the repository has.

use std::path::Path;

use serde::Deserialize;

use super::IngestError;

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A known vulnerability.
    Vulnerability,
    /// cargo audit's informational warnings: unmaintained, yanked, unsound, notice.
    Warning,
}

/// One advisory against one dependency.
#[derive(Clone, Debug, PartialEq)]
pub struct Advisory {
    pub tool: &'static str,
    pub kind: Kind,
    /// `unmaintained`, `yanked`, … for a warning; `vulnerability` otherwise.
    pub category: String,
    pub package: String,
    pub version: String,
    /// PYSEC-…, GHSA-…, RUSTSEC-….
    pub id: String,
    pub aliases: Vec<String>,
    pub fix_versions: Vec<String>,
    pub description: String,
    pub url: Option<String>,
}

#[derive(Deserialize)]
struct PipAudit {
    dependencies: Vec<PipDependency>,
}

#[derive(Deserialize)]
struct PipDependency {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    vulns: Vec<PipVuln>,
    #[serde(default)]
    skip_reason: Option<String>,
}

#[derive(Deserialize)]
struct PipVuln {
    id: String,
    #[serde(default)]
    fix_versions: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    description: Option<String>,
}

/// A dependency pip-audit could not audit: its name, and why.
pub type Skipped = (String, String);

/// pip-audit's findings, and the dependencies it could not audit.
pub fn read_pip_audit(path: &Path) -> Result<(Vec<Advisory>, Vec<Skipped>), IngestError> {
    let report: PipAudit = super::read_json(
        path,
        "pip-audit JSON report",
        "pass the output of `pip-audit -f json`",
    )?;
    let mut advisories = Vec::new();
    let mut skipped = Vec::new();
    for d in report.dependencies {
        if let Some(why) = d.skip_reason {
            skipped.push((d.name.clone(), why));
        }
        for v in d.vulns {
            advisories.push(Advisory {
                tool: "pip-audit",
                kind: Kind::Vulnerability,
                category: "vulnerability".to_owned(),
                package: d.name.clone(),
                version: d.version.clone().unwrap_or_default(),
                url: Some(format!("https://osv.dev/vulnerability/{}", v.id)),
                id: v.id,
                aliases: v.aliases,
                fix_versions: v.fix_versions,
                description: v.description.unwrap_or_default(),
            });
        }
    }
    Ok((advisories, skipped))
}

#[derive(Deserialize)]
struct CargoAudit {
    vulnerabilities: CargoVulnerabilities,
    #[serde(default)]
    warnings: std::collections::BTreeMap<String, Vec<CargoEntry>>,
}

#[derive(Deserialize)]
struct CargoVulnerabilities {
    #[serde(default)]
    list: Vec<CargoEntry>,
}

#[derive(Deserialize)]
struct CargoEntry {
    #[serde(default)]
    advisory: Option<CargoAdvisory>,
    #[serde(default)]
    versions: Option<CargoVersions>,
    package: CargoPackage,
    #[serde(default)]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct CargoAdvisory {
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
struct CargoVersions {
    #[serde(default)]
    patched: Vec<String>,
}

#[derive(Deserialize)]
struct CargoPackage {
    name: String,
    version: String,
}

/// cargo audit's vulnerabilities, then its warnings.
pub fn read_cargo_audit(path: &Path) -> Result<Vec<Advisory>, IngestError> {
    let report: CargoAudit = super::read_json(
        path,
        "cargo audit JSON report",
        "pass the output of `cargo audit --json`",
    )?;
    let entry = |e: CargoEntry, kind: Kind, category: &str| {
        let advisory = e.advisory;
        Advisory {
            tool: "cargo-audit",
            kind,
            category: category.to_owned(),
            package: e.package.name,
            version: e.package.version,
            id: advisory.as_ref().map_or_else(
                || format!("{category}:{}", e.kind.unwrap_or_default()),
                |a| a.id.clone(),
            ),
            aliases: advisory
                .as_ref()
                .map(|a| a.aliases.clone())
                .unwrap_or_default(),
            fix_versions: e.versions.map(|v| v.patched).unwrap_or_default(),
            description: advisory
                .as_ref()
                .map(|a| {
                    a.title
                        .clone()
                        .or_else(|| a.description.clone())
                        .unwrap_or_default()
                })
                .unwrap_or_default(),
            url: advisory.and_then(|a| a.url),
        }
    };
    let mut out: Vec<Advisory> = report
        .vulnerabilities
        .list
        .into_iter()
        .map(|e| entry(e, Kind::Vulnerability, "vulnerability"))
        .collect();
    for (category, entries) in report.warnings {
        out.extend(
            entries
                .into_iter()
                .map(|e| entry(e, Kind::Warning, &category)),
        );
    }
    Ok(out)
}

/// PEP 503 normalised name: lowercase, runs of `-`, `_`, `.` as one `-`.
pub fn normalise(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            dash = true;
        } else {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Where `advisory`'s package is declared in the repository at `root`: a Python requirement in
/// `requirements*.txt`, `pyproject.toml`, `uv.lock` or `poetry.lock`, a Rust package's
/// `[[package]]` entry in `Cargo.lock`; else the first manifest that exists; else none.
pub fn locate(root: &Path, advisory: &Advisory) -> Option<(String, u32)> {
    let python = advisory.tool == "pip-audit";
    let mut manifests: Vec<String> = Vec::new();
    if python {
        let mut requirements: Vec<String> = std::fs::read_dir(root)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.starts_with("requirements") && n.ends_with(".txt"))
            .collect();
        requirements.sort();
        manifests.extend(requirements);
        manifests.extend(["pyproject.toml", "uv.lock", "poetry.lock"].map(str::to_owned));
    } else {
        manifests.push("Cargo.lock".to_owned());
    }
    let wanted = normalise(&advisory.package);
    let mut first_existing = None;
    for manifest in &manifests {
        let Ok(text) = std::fs::read_to_string(root.join(manifest)) else {
            continue;
        };
        first_existing.get_or_insert_with(|| manifest.clone());
        let found = if python {
            python_declaration(&text, &wanted)
        } else {
            cargo_lock_entry(&text, &advisory.package, &advisory.version)
        };
        if let Some(line) = found {
            return Some((manifest.clone(), line));
        }
    }
    first_existing.map(|m| (m, 1))
}

/// The line whose requirement (or lock entry) names `wanted`.
fn python_declaration(text: &str, wanted: &str) -> Option<u32> {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim().trim_start_matches('"').trim_start_matches('\'');
        // `name = "…"` (a lock file) or a requirement `name[extra]==1.0 ; marker`.
        let t = t.strip_prefix("name = \"").unwrap_or(t);
        let end = t
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(t.len());
        if end > 0 && normalise(&t[..end]) == wanted && !line.trim_start().starts_with('#') {
            return Some(i as u32 + 1);
        }
    }
    None
}

/// The `[[package]]` line of `name` at `version` in a Cargo.lock.
fn cargo_lock_entry(text: &str, name: &str, version: &str) -> Option<u32> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.trim() == "[[package]]"
            && lines
                .get(i + 1)
                .is_some_and(|l| l.trim() == format!("name = \"{name}\""))
            && lines
                .get(i + 2)
                .is_some_and(|l| l.trim() == format!("version = \"{version}\""))
        {
            return Some(i as u32 + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_as_pep_503_says() {
        assert_eq!(normalise("Jinja2"), "jinja2");
        assert_eq!(normalise("zope.interface"), "zope-interface");
        assert_eq!(normalise("Foo__Bar-.baz"), "foo-bar-baz");
    }

    #[test]
    fn declarations_are_found_in_requirements_pyproject_and_cargo_lock() {
        assert_eq!(
            python_declaration(
                "# pinned\nflask>=2\nJinja2==2.10 ; python_version > '3'\n",
                "jinja2"
            ),
            Some(3)
        );
        assert_eq!(
            python_declaration(
                "[project]\ndependencies = [\n  \"requests[socks]==2.19.0\",\n]\n",
                "requests"
            ),
            Some(3)
        );
        assert_eq!(
            python_declaration(
                "[[package]]\nname = \"urllib3\"\nversion = \"1.0\"\n",
                "urllib3"
            ),
            Some(2)
        );
        assert_eq!(python_declaration("# requests==1\n", "requests"), None);
        let lock = "[[package]]\nname = \"time\"\nversion = \"0.1.45\"\n\n[[package]]\nname = \"time\"\nversion = \"0.3.36\"\n";
        assert_eq!(cargo_lock_entry(lock, "time", "0.3.36"), Some(5));
    }
}
