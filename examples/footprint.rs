//! Memory per alias: the heap a built resolver holds beyond its table,
//! counted exactly by a counting allocator, and the peak while building.
//!
//! ```text
//! cargo run --release --example footprint -- [ALIASES | TABLE-FILE ...]
//! ```
//!
//! A number is a table of the benches' generated ones
//! (`benches/common/gen.rs`) of that many aliases; anything else a table
//! file (any format `canonym` reads). The table's own heap (entities,
//! names, aliases) is reported apart: it is what
//! the user handed over, not what canonym adds.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

#[path = "../benches/common/gen.rs"]
mod gen;

/// The system allocator, counting live and peak bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call is forwarded to `System` with the caller's arguments;
// the counters do not touch the memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut tables: Vec<String> = std::env::args().skip(1).collect();
    if tables.is_empty() {
        tables = vec!["10000".into(), "100000".into()];
    }
    println!("aliases      table B/alias  resolver B/alias  build peak B/alias  build s");
    for arg in tables {
        let start = LIVE.load(Relaxed);
        let table = match arg.parse() {
            Ok(n) => gen::table(n, 1),
            Err(_) => canonym::AliasTable::load(&arg)?,
        };
        let aliases = table
            .entities()
            .iter()
            .map(|e| e.names().count())
            .sum::<usize>();
        let table_bytes = LIVE.load(Relaxed) - start;
        PEAK.store(LIVE.load(Relaxed), Relaxed);
        let t = std::time::Instant::now();
        let resolver = canonym::Resolver::new(table)?;
        let build_s = t.elapsed().as_secs_f64();
        let total = LIVE.load(Relaxed) - start;
        let peak = PEAK.load(Relaxed) - start;
        let per = |bytes: usize| bytes as f64 / aliases as f64;
        println!(
            "{aliases:>9} {:>14.0} {:>17.0} {:>19.0} {build_s:>8.2}",
            per(table_bytes),
            per(total - table_bytes),
            per(peak - table_bytes),
        );
        drop(resolver);
    }
    Ok(())
}
