//! Every input a fuzz campaign found to break a property, and the seed
//! corpora the campaigns start from, replayed through the fuzz targets'
//! checks (`tests/fuzz_checks/`). A crash found by `fuzz/run.sh` is kept
//! as a file in `tests/fuzz_regressions/TARGET/` once fixed.

mod fuzz_checks;

use std::path::Path;

/// Runs `check` on every file of `dir`; the number of files run.
fn replay(dir: &Path, check: fn(&[u8])) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    for file in &files {
        let data = std::fs::read(file).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails its check", file.display());
    }
    files.len()
}

#[test]
fn seed_corpora_pass_their_checks() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    if !fuzz.join("Cargo.toml").exists() {
        // The published crate ships without the fuzz crate (a workspace
        // member is never packaged); in the repository it must be there.
        eprintln!("no fuzz/ here (a packaged crate): seeds not replayed");
        return;
    }
    let root = fuzz.join("corpus");
    for (target, check) in fuzz_checks::TARGETS {
        let n = replay(&root.join(target), *check);
        assert!(n >= 3, "fuzz/corpus/{target}: {n} seeds");
    }
}

#[test]
fn inputs_fuzzing_found_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    for (target, check) in fuzz_checks::TARGETS {
        replay(&root.join(target), *check);
    }
}
