//! An editorial pipeline with the library: load a table, scan a folder of
//! articles, print each finding with its fix, and write the fixed copy.
//!
//! ```text
//! cargo run --release --example pipeline -- TABLE.csv ARTICLES_DIR [OUT_DIR]
//! ```
//!
//! With no arguments it runs on the embedded default table and two short
//! articles written for this example.

use std::path::{Path, PathBuf};

use canonym::{AliasTable, Resolver};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The table: a newsroom's file, or the embedded default.
    let table = match args.first() {
        Some(path) => AliasTable::load(path)?,
        None => AliasTable::default_table(),
    };
    // Built once, shared by every article (it is Send + Sync).
    let resolver = Resolver::new(table)?;
    let articles: Vec<(String, String)> = match args.get(1) {
        Some(dir) => read_dir(Path::new(dir))?,
        None => vec![
            (
                "talks.txt".into(),
                "Foreign Minister Abbas Aragushi met his counterparts in Kiev. \
                 Araguchi said the talks went well."
                    .into(),
            ),
            (
                "missile.txt".into(),
                "The Khorram Shahr-4 was shown in Tehran, Yadol Javani said.".into(),
            ),
        ],
    };
    let out_dir = args.get(2).map(PathBuf::from);
    for (name, text) in &articles {
        for m in resolver.findings(text) {
            let best = m.resolution.best.as_ref().expect("a finding has an entity");
            println!(
                "{name}:{}: {:?} -> {:?} ({}, {}, confidence {:.2})",
                m.start,
                m.surface,
                m.replacement.as_deref().unwrap_or_default(),
                best.entity.canonical,
                best.kind.as_str(),
                m.resolution.confidence
            );
        }
        if let Some(dir) = &out_dir {
            std::fs::create_dir_all(dir)?;
            std::fs::write(dir.join(name), resolver.fix(text))?;
        }
    }
    Ok(())
}

/// The `.txt` files of a folder, sorted by name.
fn read_dir(dir: &Path) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            files.push((name, std::fs::read_to_string(&path)?));
        }
    }
    files.sort();
    Ok(files)
}
