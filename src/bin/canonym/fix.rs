//! `canonym fix`: the text with every finding replaced, nothing else
//! changed. `--in-place` replaces the file atomically.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::args::{stdout_error, Common};
use crate::check::read_text;

/// Print FILE with the spellings check reports fixed, nothing else
/// changed (no --lossy: it never changes bytes it does not fix)
#[derive(clap::Args, Debug)]
pub struct FixArgs {
    #[command(flatten)]
    pub common: Common,
    /// Replace FILE atomically instead of printing
    #[arg(long)]
    pub in_place: bool,
    /// The file to fix (- is stdin)
    #[arg(value_name = "FILE")]
    pub file: String,
}

pub fn run(opts: &FixArgs) -> Result<ExitCode, String> {
    let path = &opts.file;
    let in_place = opts.in_place;
    let resolver = opts.common.resolver()?;
    let text = read_text(path, false)?;
    let fixed = resolver.fix(&text);
    if in_place {
        if path == "-" {
            return Err("--in-place needs a file, not stdin".into());
        }
        if fixed != text {
            replace_atomically(Path::new(path), fixed.as_bytes())
                .map_err(|e| format!("{path}: not changed: {e}"))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(fixed.as_bytes()).and_then(|()| out.flush()) {
        Err(e) => stdout_error(e).map_or(Ok(ExitCode::SUCCESS), Err),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

/// Writes `contents` to a temporary file beside `path`, flushes it to disk,
/// gives it the original's permissions, and renames it over `path`. On any
/// error the temporary file is removed and `path` is untouched. A symbolic
/// link is followed: the file it points to is replaced and the link stays a
/// link (renaming over the link would have cut it from its target).
pub fn replace_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    replace_atomically_with(&target, |file| file.write_all(contents))
}

/// [`replace_atomically`] with the writing step passed in, so that tests can
/// make it fail the way a full disk does.
fn replace_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy());
    let temp: PathBuf = dir.join(format!(".{name}.canonym-{}.tmp", std::process::id()));
    let result = (|| {
        let permissions = std::fs::metadata(path)?.permissions();
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        write(&mut file)?;
        file.sync_all()?;
        std::fs::set_permissions(&temp, permissions)?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("canonym-fix-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(dir: &Path) -> usize {
        std::fs::read_dir(dir).unwrap().count()
    }

    #[test]
    fn a_failing_write_leaves_the_original_and_no_temp_file() {
        let dir = scratch("full");
        let path = dir.join("a.txt");
        std::fs::write(&path, b"original bytes\n").unwrap();
        let err = replace_atomically_with(&path, |f| {
            f.write_all(b"half")?;
            Err(std::io::Error::other("no space left on device (simulated)"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("no space left"));
        assert_eq!(std::fs::read(&path).unwrap(), b"original bytes\n");
        assert_eq!(leftovers(&dir), 1, "the temporary file is removed");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_file_is_an_error_and_creates_nothing() {
        let dir = scratch("missing");
        assert!(replace_atomically(&dir.join("gone.txt"), b"x").is_err());
        assert_eq!(leftovers(&dir), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_stays_a_link_and_its_target_is_fixed() {
        let dir = scratch("link");
        let target = dir.join("target.txt");
        let link = dir.join("link.txt");
        std::fs::write(&target, b"old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        replace_atomically(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(std::fs::read(&link).unwrap(), b"new");
        assert_eq!(leftovers(&dir), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn success_replaces_and_keeps_permissions() {
        let dir = scratch("ok");
        let path = dir.join("a.txt");
        std::fs::write(&path, b"old").unwrap();
        let before = std::fs::metadata(&path).unwrap().permissions();
        replace_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions(), before);
        assert_eq!(leftovers(&dir), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
