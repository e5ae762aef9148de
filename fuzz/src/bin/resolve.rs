//! Fuzz target `resolve`: see `check_resolve` in `tests/fuzz_checks/mod.rs`.

fn main() {
    canonym_fuzz::warm_up();
    afl::fuzz!(|data: &[u8]| canonym_fuzz::check_resolve(data));
}
