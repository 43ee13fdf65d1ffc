//! Writing outputs atomically, all or nothing: each output is written to a temporary file in its
//! target's directory and flushed; only when every one succeeded are they renamed over their
//! targets. A killed run leaves each target old or new, never half of one. Renames are not one
//! transaction across files: if the second of two renames fails, the first has happened.
//! Devices and FIFOs (`-o /dev/null`, `-o /dev/stdout`) are not replaced but streamed into once
//! the files are in place, as stdout is: what a reader of a pipe has seen cannot be taken back.

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// An output that could not be written.
#[derive(Debug)]
pub struct OutputError {
    pub path: PathBuf,
    pub source: io::Error,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot write: {} — check the directory exists and is writable",
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Refuses outputs that would destroy what the run reads or the repository itself (O10): an
/// output that is one of `inputs` (`-o coverage.xml` with `--coverage coverage.xml`), or inside
/// a `.git` directory. Checked before anything is analysed or written.
pub fn check_targets(outputs: &[&Path], inputs: &[&Path]) -> Result<(), String> {
    let inputs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    for output in outputs {
        let Some(resolved) = resolve(output) else {
            continue;
        };
        if inputs.contains(&resolved) {
            return Err(format!(
                "{}: this output is also an input of the run; writing it would destroy the input — write the output to another file",
                output.display()
            ));
        }
        if resolved.parent().is_some_and(|dir| {
            dir.ancestors()
                .any(|a| a.file_name().is_some_and(|n| n == ".git"))
        }) {
            return Err(format!(
                "{}: this output is inside a `.git` directory, where it could corrupt the repository — write it elsewhere",
                output.display()
            ));
        }
    }
    Ok(())
}

/// The absolute path `path` names (its directory resolved, symlinks too), when it has one.
fn resolve(path: &Path) -> Option<PathBuf> {
    if let Ok(full) = path.canonicalize() {
        return Some(full);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.canonicalize().ok()?,
        _ => std::env::current_dir().ok()?,
    };
    Some(dir.join(name))
}

/// Temporary outputs not yet renamed into place: what a signal handler removes (X3, O11).
static PENDING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every temporary output still pending; for a handler of SIGINT and SIGTERM, which then
/// exits without unwinding, holding the returned guard: a temporary output is created under the
/// same lock, so none can appear after the sweep.
#[must_use = "hold the lock until the process exits"]
pub fn remove_pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    let mut pending = pending();
    for path in pending.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    pending
}

/// A temporary file in `dir`, created and registered under one lock: a signal's sweep removes
/// it (or it is never made) until [`forget_pending`] is called for its path.
pub fn pending_temp(builder: &tempfile::Builder, dir: &Path) -> io::Result<NamedTempFile> {
    let mut pending = pending();
    let temp = builder.tempfile_in(dir)?;
    pending.push(temp.path().to_path_buf());
    Ok(temp)
}

/// `path` (from [`pending_temp`]) was renamed into place or removed: a sweep leaves it alone.
pub fn forget_pending(path: &Path) {
    pending().retain(|p| p != path);
}

/// A renderer: writes one output into the writer it is given.
type Render<'a> = Box<dyn FnOnce(&mut dyn Write) -> io::Result<()> + 'a>;

/// Outputs written so far, waiting for [`Staging::commit`]. Dropping it removes them.
#[derive(Default)]
pub struct Staging<'a> {
    files: Vec<StagedFile>,
    /// Devices and FIFOs with the renderer of each: streamed into on commit, after the files, as
    /// stdout is. Rendering them into memory first held a million lines' 45 MB JSON report.
    specials: Vec<(PathBuf, Render<'a>)>,
}

struct StagedFile {
    temp: NamedTempFile,
    target: PathBuf,
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        for staged in &self.files {
            forget_pending(staged.temp.path());
        }
    }
}

impl<'a> Staging<'a> {
    /// Writes one output for `target` with `write`, into a temporary file beside it; or, for a
    /// device or FIFO, keeps `write` to stream into it on commit.
    pub fn add(
        &mut self,
        target: &Path,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()> + 'a,
    ) -> Result<(), OutputError> {
        let error = |source: io::Error| OutputError {
            path: target.to_path_buf(),
            source,
        };
        if std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            // Renaming a temporary file over `/dev/null` would replace the device.
            self.specials.push((target.to_path_buf(), Box::new(write)));
            return Ok(());
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".qgate-").suffix(".tmp");
        // A report is shared (a CI artifact, a page a reviewer opens): the mode a plain file
        // would get (0666 less the umask), not the temporary file's private 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut temp = pending_temp(&builder, dir).map_err(|e| error(without_temp_path(e)))?;
        let mut out = BufWriter::new(temp.as_file_mut());
        write(&mut out).map_err(error)?;
        out.flush().map_err(error)?;
        drop(out);
        temp.as_file().sync_all().map_err(error)?;
        self.files.push(StagedFile {
            temp,
            target: target.to_path_buf(),
        });
        Ok(())
    }

    /// Moves every staged file onto its target, then streams each device or FIFO output.
    pub fn commit(mut self) -> Result<(), OutputError> {
        for StagedFile { temp, target } in std::mem::take(&mut self.files) {
            // An existing target keeps its mode (a 0644 report stays 0644).
            if let Ok(meta) = std::fs::metadata(&target)
                && meta.is_file()
            {
                let _ = temp.as_file().set_permissions(meta.permissions());
            }
            let temp_path = temp.path().to_path_buf();
            let persisted = temp.persist(&target);
            forget_pending(&temp_path);
            persisted.map_err(|e| OutputError {
                path: target,
                source: e.error,
            })?;
        }
        for (target, write) in std::mem::take(&mut self.specials) {
            std::fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .and_then(|file| {
                    let mut out = BufWriter::new(file);
                    write(&mut out)?;
                    out.flush()
                })
                .map_err(|source| OutputError {
                    path: target,
                    source,
                })?;
        }
        Ok(())
    }
}

/// tempfile's errors end with the name of its temporary file (`… at path "/x/.qgate-Ab3.tmp"`),
/// which tells the user nothing: the OS error alone says it.
fn without_temp_path(e: io::Error) -> io::Error {
    let message = e.to_string();
    match message.split_once(" at path ") {
        Some((os_error, _)) => io::Error::new(e.kind(), os_error.to_owned()),
        None => e,
    }
}

/// Writes `content` to `path` atomically.
pub fn write_atomic(path: &Path, content: &str) -> Result<(), OutputError> {
    let mut staging = Staging::default();
    staging.add(path, |out| out.write_all(content.as_bytes()))?;
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_target_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        std::fs::write(&target, "old").unwrap();
        write_atomic(&target, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_written_report_has_the_mode_of_a_plain_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, "x").unwrap();
        let report = dir.path().join("report.html");
        write_atomic(&report, "x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&report), mode(&plain));
    }

    #[test]
    fn nothing_is_written_unless_every_output_succeeds() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("a.json");
        std::fs::write(&first, "old").unwrap();
        let mut staging = Staging::default();
        staging.add(&first, |out| out.write_all(b"new")).unwrap();
        let err = staging
            .add(&dir.path().join("no/such/dir/b.json"), |out| {
                out.write_all(b"x")
            })
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("no/such/dir/b.json: cannot write"),
            "{err}"
        );
        drop(staging);
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp removed"
        );
        // A renderer's own failure stops it the same way.
        let mut staging = Staging::default();
        let failed = staging.add(&first, |_| Err(io::Error::other("renderer failed")));
        assert!(failed.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A named pipe `pipe` in `dir`.
    #[cfg(unix)]
    fn make_fifo(dir: &Path) -> PathBuf {
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        fifo
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = make_fifo(dir.path());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        write_atomic(&fifo, "report").unwrap();
        // Checked before joining: a replaced FIFO would leave the reader waiting forever.
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo());
        assert_eq!(reader.join().unwrap(), "report");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_into_once_the_files_are_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = make_fifo(dir.path());
        let file = dir.path().join("report.json");
        std::fs::write(&file, "old").unwrap();
        let reader = {
            let (fifo, file) = (fifo.clone(), file.clone());
            // Opening a FIFO for reading waits for its writer: what the file holds then is what
            // a reader of the pipe could see first. The piped output is larger than a pipe's
            // buffer, so a writer cannot finish it (and go on to the file) before this read.
            std::thread::spawn(move || {
                let mut pipe = std::fs::File::open(fifo).unwrap();
                let seen = std::fs::read_to_string(file).unwrap();
                let mut piped = String::new();
                io::Read::read_to_string(&mut pipe, &mut piped).unwrap();
                (piped, seen)
            })
        };
        let piped = "x".repeat(1 << 20);
        let mut staging = Staging::default();
        staging
            .add(&fifo, |out| out.write_all(piped.as_bytes()))
            .unwrap();
        staging.add(&file, |out| out.write_all(b"new")).unwrap();
        staging.commit().unwrap();
        let (read, seen) = reader.join().unwrap();
        assert_eq!(read.len(), 1 << 20);
        assert_eq!(seen, "new");
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("no/such/dir/r.json");
        let err = write_atomic(&target, "x").unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{}: cannot write: No such file or directory (os error 2) — check the directory exists and is writable",
                target.display()
            )
        );
    }
}
