//! The fuzz targets' checks, shared with the library's regression tests:
//! the same file is `tests/fuzz_checks/mod.rs` there, so that an input a
//! campaign finds is replayed by `cargo test` through the very check that
//! failed.

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

pub use checks::*;
