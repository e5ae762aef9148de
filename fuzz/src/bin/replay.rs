//! Runs files through a target's check outside the fuzzer, to read the
//! message of a crash: `cargo run -p canonym-fuzz --bin replay -- TARGET FILE...`.

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().expect("usage: replay TARGET FILE...");
    let (_, check) = (canonym_fuzz::TARGETS.iter())
        .find(|(name, _)| *name == target)
        .unwrap_or_else(|| panic!("no target {target}"));
    let mut failed = 0;
    for file in args {
        let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            eprintln!("{file}: fails");
            failed += 1;
        }
    }
    std::process::exit(i32::from(failed > 0));
}
