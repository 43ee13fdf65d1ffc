//! Glob patterns as `include`, `exclude` and `[duplication] exclude` read them.

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::ConfigError;

/// The longest glob pattern accepted, in bytes (paths are at most 4096 bytes on Linux).
const MAX_PATTERN: usize = 4096;

/// Globs as `include`/`exclude` read them (a bare name matches at any depth; a directory matches everything under it).
pub fn glob_set(patterns: &[String], key: &str) -> Result<GlobSet, ConfigError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        // A megabyte-long glob compiles to a regex that takes minutes (X4): no path is that long.
        if pattern.len() > MAX_PATTERN {
            return Err(ConfigError::new(
                format!(
                    "`{key}`: a pattern of {} bytes, longer than {MAX_PATTERN}",
                    pattern.len()
                ),
                "shorten it; `**` matches any depth",
            ));
        }
        let trimmed = pattern.trim_start_matches("./").trim_end_matches('/');
        let mut variants = vec![trimmed.to_owned(), format!("{trimmed}/**")];
        if !trimmed.contains('/') {
            variants.push(format!("**/{trimmed}"));
            variants.push(format!("**/{trimmed}/**"));
        }
        for v in variants {
            let glob = Glob::new(&v).map_err(|e| {
                ConfigError::new(
                    format!("`{key}` pattern `{pattern}`: {e}"),
                    "fix the glob; `**` matches any depth",
                )
            })?;
            builder.add(glob);
        }
    }
    builder
        .build()
        .map_err(|e| ConfigError::new(format!("`{key}` patterns: {e}"), "fix the globs"))
}
