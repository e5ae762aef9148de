//! Prints the mentions canonym finds in a file, with the default table.
//!
//! ```text
//! cargo run --release --example scan -- some-article.txt
//! ```

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: scan FILE")?;
    let text = std::fs::read_to_string(path)?;
    let resolver = canonym::Resolver::new(canonym::AliasTable::default_table())?;
    for m in resolver.scan(&text) {
        let what = match m.resolution.entity() {
            Some(e) => e.canonical.clone(),
            None => format!("ambiguous ({} candidates)", m.resolution.candidates.len()),
        };
        println!(
            "{}..{} {:?} -> {}{}{}",
            m.start,
            m.end,
            m.surface,
            what,
            if m.by_context { " [context]" } else { "" },
            m.replacement
                .map(|r| format!("  FIX -> {r:?}"))
                .unwrap_or_default()
        );
    }
    Ok(())
}
