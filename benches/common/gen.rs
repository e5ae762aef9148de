//! Deterministic synthetic tables and texts for the benches: names built
//! from realistic name parts, no downloads.

#![allow(dead_code)]

use canonym::{AliasTable, Entity};

/// A small deterministic PRNG (SplitMix64), so every run builds the same
/// tables.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next_u64() % items.len() as u64) as usize]
    }
}

pub const GIVEN: &[&str] = &[
    "Abbas",
    "Ali",
    "Hassan",
    "Mohammad",
    "Reza",
    "Mahmoud",
    "Yadollah",
    "Badr",
    "Hamad",
    "Omar",
    "Vladimir",
    "Sergei",
    "Dmitry",
    "Nikolai",
    "Olga",
    "Anna",
    "Maria",
    "Elena",
    "Ivan",
    "Pavel",
    "Kim",
    "Jong",
    "Min",
    "Seo",
    "Young",
    "Hyun",
    "Ji",
    "Wei",
    "Li",
    "Ming",
    "Hiroshi",
    "Yuki",
    "Kenji",
    "Akira",
    "Jan",
    "Piotr",
    "Katarzyna",
    "Tomasz",
    "Ahmed",
    "Fatima",
    "Layla",
    "Yusuf",
];
const ONSET: &[&str] = &[
    "ar", "ba", "ka", "kh", "ma", "na", "sh", "ta", "za", "ch", "gh", "qa", "ra", "se", "vo", "ya",
    "bo", "do", "fa", "ha", "ja", "lu", "mi", "no", "pa", "ro", "su", "ti", "ve", "zo",
];
const MIDDLE: &[&str] = &[
    "ag", "ra", "me", "ne", "li", "do", "va", "ko", "ri", "sa", "ta", "ba", "ha", "mu", "zi", "lo",
    "ni", "ch", "sh", "ki", "ga", "ru", "pe", "di", "jo",
];
const CODA: &[&str] = &[
    "chi", "ni", "ov", "ev", "ski", "ska", "di", "ri", "an", "ani", "ova", "enko", "uk", "yan",
    "zadeh", "pour", "sson", "sen", "ez", "o", "i", "ei", "ai", "un", "ung", "eng", "owski",
];

/// A surname of two to four syllables.
pub fn surname(rng: &mut Rng) -> String {
    let mut s = String::from(rng.pick(ONSET));
    for _ in 0..(rng.next_u64() % 3) {
        s.push_str(rng.pick(MIDDLE));
    }
    s.push_str(rng.pick(CODA));
    let mut c = s.chars();
    c.next().unwrap().to_uppercase().chain(c).collect()
}

/// A table of `n` aliases in total: entities with a canonical "Given
/// Surname" and one alias in two, a respelled variant.
pub fn table(n: usize, seed: u64) -> AliasTable {
    let mut rng = Rng::new(seed);
    let mut t = AliasTable::new();
    let mut names = 0;
    let mut i = 0;
    while names < n {
        let canonical = format!("{} {}", rng.pick(GIVEN), surname(&mut rng));
        let mut e = Entity::new(format!("e{i}"), canonical.clone());
        names += 1;
        if rng.next_u64() % 2 == 0 && names < n {
            e = e.alias(respell(&canonical, &mut rng));
            names += 1;
        }
        t.push(e).expect("ids are unique");
        i += 1;
    }
    t
}

/// A transliteration-style variant: one convention swapped.
pub fn respell(name: &str, rng: &mut Rng) -> String {
    const SWAPS: &[(&str, &str)] = &[
        ("gh", "g"),
        ("ch", "tch"),
        ("sh", "sch"),
        ("ov", "ow"),
        ("i", "y"),
        ("kh", "h"),
        ("ou", "u"),
        ("v", "w"),
        ("ei", "ey"),
        ("a", "aa"),
        ("e", "a"),
    ];
    for _ in 0..SWAPS.len() {
        let (from, to) = SWAPS[(rng.next_u64() % SWAPS.len() as u64) as usize];
        let skip = name.chars().next().map_or(0, char::len_utf8);
        if let Some(pos) = name[skip..].find(from) {
            let pos = pos + skip;
            return format!("{}{}{}", &name[..pos], to, &name[pos + from.len()..]);
        }
    }
    format!("{name}a")
}

/// A mention of a random entity: `percent` of them respelled, the others
/// canonical, surname only or after a title, in equal shares.
fn mention(entities: &[Entity], rng: &mut Rng, percent: u64) -> String {
    mention_respelled_by(entities, rng, percent, respell)
}

/// [`mention`] with the respellings `how` makes.
fn mention_respelled_by(
    entities: &[Entity],
    rng: &mut Rng,
    percent: u64,
    how: fn(&str, &mut Rng) -> String,
) -> String {
    let e = &entities[(rng.next_u64() % entities.len() as u64) as usize];
    if rng.next_u64() % 100 < percent {
        return how(&e.canonical, rng);
    }
    match rng.next_u64() % 3 {
        0 => e.canonical.clone(),
        1 => e
            .canonical
            .rsplit(' ')
            .next()
            .unwrap_or(&e.canonical)
            .to_owned(),
        _ => format!("Minister {}", e.canonical),
    }
}

/// News-like text of about `bytes` bytes naming entities of `table`, one
/// mention in four respelled, between ordinary sentences.
pub fn news_text(table: &AliasTable, bytes: usize, seed: u64) -> String {
    news_text_respelling(table, bytes, seed, 25)
}

/// [`news_text`] with `percent` of the mentions respelled (the others
/// canonical, surname only or after a title, in equal shares).
pub fn news_text_respelling(table: &AliasTable, bytes: usize, seed: u64, percent: u64) -> String {
    const FILLER: &[&str] = &[
        "officials said on Tuesday that talks would resume next week.",
        "The ministry did not comment on the report.",
        "Negotiators met for three hours in the capital.",
        "According to state media, the delegation left early.",
        "Analysts expect further rounds before the end of the year.",
        "In a statement, the office described the meeting as constructive.",
    ];
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 200);
    let entities = table.entities();
    while out.len() < bytes {
        let name = mention(entities, &mut rng, percent);
        out.push_str(&name);
        out.push(' ');
        out.push_str(rng.pick(FILLER));
        out.push_str(if rng.next_u64() % 5 == 0 { "\n" } else { " " });
    }
    out
}

/// Copy as articles are written: each mention inside a sentence, before
/// lowercase words or punctuation (`said`, `, according to`, `'s office`),
/// where [`news_text`] runs every name into the capitalized opening of the
/// next sentence (`Abbas Araghchi Negotiators met`), which makes scan try
/// spans no article has. `percent` of the mentions are respelled; the
/// others are canonical, surname only or after a title, in equal shares.
pub fn news_copy(table: &AliasTable, bytes: usize, seed: u64, percent: u64) -> String {
    const SENTENCES: &[(&str, &str)] = &[
        ("", " said on Tuesday that talks would resume next week. "),
        ("The ministry did not comment, according to ", ". "),
        ("Negotiators met ", " for three hours in the capital. "),
        ("", "'s office described the meeting as constructive. "),
        ("In a statement, ", " said the delegation left early.\n"),
        (
            "Analysts expect ",
            " to attend further rounds before the end of the year. ",
        ),
    ];
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 200);
    let entities = table.entities();
    while out.len() < bytes {
        let name = mention(entities, &mut rng, percent);
        let (before, after) = SENTENCES[(rng.next_u64() % SENTENCES.len() as u64) as usize];
        out.push_str(before);
        out.push_str(&name);
        out.push_str(after);
    }
    out
}

/// A respelling that no rewrite rule of canonym undoes: one edit a typist
/// or a transcriber makes. A letter inserted, dropped, or replaced by a
/// keyboard neighbour or a letter of like sound; two letters swapped; a
/// vowel dropped; two parts joined or one part split. Never the first
/// letter of the name.
pub fn typo(name: &str, rng: &mut Rng) -> String {
    const KEYBOARD: &[&str] = &[
        "qwsa", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn",
        "jiolm", "kopl", "njk", "bhjm", "iklp", "ol", "wa", "edft", "wedxza", "rfgy", "yhji",
        "cfgb", "qase", "zsdc", "tghu", "asx",
    ];
    const SOUND: &[(char, char)] = &[
        ('b', 'p'),
        ('d', 't'),
        ('g', 'k'),
        ('s', 'z'),
        ('f', 'v'),
        ('m', 'n'),
        ('l', 'r'),
        ('c', 'k'),
    ];
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < 3 {
        return format!("{name}e");
    }
    let at = 1 + (rng.next_u64() as usize) % (chars.len() - 1);
    let c = chars[at].to_ascii_lowercase();
    let mut out = chars.clone();
    match rng.next_u64() % 7 {
        0 => out.insert(at, (b'a' + (rng.next_u64() % 26) as u8) as char),
        1 if chars.len() > 4 => {
            out.remove(at);
        }
        2 if c.is_ascii_lowercase() => {
            let near = KEYBOARD[usize::from(c as u8 - b'a')].as_bytes();
            out[at] = near[(rng.next_u64() as usize) % near.len()] as char;
        }
        3 => match SOUND.iter().find(|(a, b)| *a == c || *b == c) {
            Some(&(a, b)) => out[at] = if a == c { b } else { a },
            None => out.insert(at, 'e'),
        },
        4 if at + 1 < chars.len() && chars[at + 1] != ' ' && c != ' ' => out.swap(at, at + 1),
        5 => match (at..chars.len()).find(|&i| "aeiou".contains(chars[i])) {
            Some(v) if chars.len() > 4 => {
                out.remove(v);
            }
            _ => out.insert(at, 'a'),
        },
        _ => match chars.iter().position(|&c| c == ' ') {
            // Join two parts, or split one in two.
            Some(space) => {
                out.remove(space);
            }
            None if chars.len() > 6 => out.insert(chars.len() / 2, ' '),
            None => out.insert(at, 'i'),
        },
    }
    out.into_iter().collect()
}

/// `n` queries for `table` with their gold ids: four in five are a table
/// name (canonical or alias) with one or two [`typo`]s, the rest are names
/// of the same make that the table does not hold (gold `None`).
pub fn queries(table: &AliasTable, n: usize, seed: u64) -> Vec<(String, Option<String>)> {
    let mut rng = Rng::new(seed);
    let known: std::collections::HashSet<String> = table
        .entities()
        .iter()
        .flat_map(|e| e.names())
        .map(|name| name.to_lowercase())
        .collect();
    let entities = table.entities();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        if rng.next_u64() % 5 == 0 {
            let name = format!("{} {}", rng.pick(GIVEN), surname(&mut rng));
            if !known.contains(&name.to_lowercase()) {
                out.push((name, None));
            }
            continue;
        }
        let e = &entities[(rng.next_u64() % entities.len() as u64) as usize];
        let names: Vec<&str> = e.names().collect();
        let name = names[(rng.next_u64() % names.len() as u64) as usize];
        let mut query = typo(name, &mut rng);
        if rng.next_u64() % 2 == 0 {
            query = typo(&query, &mut rng);
        }
        out.push((query, Some(e.id.clone())));
    }
    out
}

/// The known words of `data/words.txt`, for text that does not repeat.
fn known_words() -> Vec<&'static str> {
    include_str!("../../data/words.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
}

fn capitalize(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Copy like real news, as far as scan can tell: no sentence repeats;
/// words drawn from an English word list (the shorter of two draws, as
/// common words are short); every sentence opens with a capital; about one
/// word in eight is capitalized without naming a table entity (capitalized
/// words, and names of people the table does not hold: generated given and
/// family names); about one sentence in two names a table entity
/// (canonical, family name alone, or after a title), `percent` of those
/// respelled with a [`typo`]. Measured by one rule (capitalized words not
/// in `data/words.txt`, per word): this text 10.2%, denser than the real
/// copy of copy-dev (Tehran Times politics 3.9%, Reuters 1996 7.7%), so
/// it is the harder case for scan's fuzzy search.
pub fn real_copy(table: &AliasTable, bytes: usize, seed: u64, percent: u64) -> String {
    let words = known_words();
    let mut rng = Rng::new(seed);
    let word = |rng: &mut Rng| {
        let a = words[(rng.next_u64() % words.len() as u64) as usize];
        let b = words[(rng.next_u64() % words.len() as u64) as usize];
        if a.len() <= b.len() {
            a
        } else {
            b
        }
    };
    let entities = table.entities();
    let mut out = String::with_capacity(bytes + 400);
    while out.len() < bytes {
        let n = 10 + (rng.next_u64() % 16) as usize;
        let name_at = (rng.next_u64() % 2 == 0).then(|| (rng.next_u64() % n as u64) as usize);
        let mut sentence: Vec<String> = Vec::with_capacity(n + 4);
        for i in 0..n {
            if Some(i) == name_at {
                let name = mention_respelled_by(entities, &mut rng, percent, typo);
                sentence.push(name);
                continue;
            }
            sentence.push(match rng.next_u64() % 16 {
                0 => capitalize(word(&mut rng)),
                1 => format!("{} {}", rng.pick(GIVEN), surname(&mut rng)),
                _ => word(&mut rng).to_owned(),
            });
        }
        let first = capitalize(&sentence[0]);
        sentence[0] = first;
        out.push_str(&sentence.join(" "));
        out.push_str(if rng.next_u64() % 6 == 0 { ".\n" } else { ". " });
    }
    out
}

/// A name group of the realistic tables: one name part (a given or a
/// family name) in its spellings. The table uses up to three of them; the
/// last is kept for queries, spelled nowhere in the table.
struct Group {
    spellings: Vec<String>,
}

/// A made-up name part of one to four syllables, lowercase.
fn name_part(rng: &mut Rng) -> String {
    let mut s = String::from(rng.pick(ONSET));
    for _ in 0..(rng.next_u64() % 3) {
        s.push_str(rng.pick(MIDDLE));
    }
    if rng.next_u64() % 4 != 0 {
        s.push_str(rng.pick(CODA));
    }
    s
}

/// `count` distinct name groups, each of two to four spellings made by
/// [`respell`] and [`typo`] (transliteration conventions and slips).
fn groups(count: usize, rng: &mut Rng) -> Vec<Group> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let first = name_part(rng);
        if !seen.insert(first.clone()) {
            continue;
        }
        let mut spellings = vec![first];
        let wanted = 2 + (rng.next_u64() % 3) as usize;
        for _ in 0..8 {
            if spellings.len() == wanted {
                break;
            }
            let from = &spellings[(rng.next_u64() % spellings.len() as u64) as usize];
            let variant = if rng.next_u64() % 2 == 0 {
                respell(from, rng)
            } else {
                typo(from, rng)
            };
            if seen.insert(variant.clone()) {
                spellings.push(variant);
            }
        }
        if spellings.len() >= 2 {
            out.push(Group { spellings });
        }
    }
    out
}

/// An index into `n` items drawn with Zipf-like frequencies (the item of
/// rank r about 1/r as often as the first), as given and family names
/// are: a few very common, most rare.
fn zipf(n: usize, rng: &mut Rng) -> usize {
    // Inverse of the continuous 1/x density on [1, n + 1).
    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let x = ((n as f64 + 1.0).ln() * u).exp();
    (x as usize).saturating_sub(1).min(n - 1)
}

/// A table shaped like real two-part names (as `../shared/data/scale-dev`,
/// without its data): `n` aliases of entities `given family`, each part
/// drawn with Zipf-like frequencies from thousands of distinct groups
/// (one given name group per 50 aliases, one family group per 15), each
/// entity's names every combination of up to two spellings of each part;
/// and `queries` queries, one per entity sampled, one of its names with
/// one part in a spelling of its group that the table never uses, each
/// with its gold id.
pub fn realistic(n: usize, queries: usize, seed: u64) -> (AliasTable, Vec<(String, String)>) {
    let (table, known, _) = realistic_with_strangers(n, queries, 0, seed);
    (table, known)
}

/// [`realistic`]'s table and queries (the same for the same arguments),
/// and `strangers` names of people the table does not hold: a given and a
/// family name group that no entity pairs, one part in a spelling the
/// table lacks, as a query of the table's make would spell them. Such a
/// name shares its parts' spellings with many table names (a common given
/// name, a family name near others), which is what a resolver must not
/// take for one of them.
pub fn realistic_with_strangers(
    n: usize,
    queries: usize,
    strangers: usize,
    seed: u64,
) -> (AliasTable, Vec<(String, String)>, Vec<String>) {
    let mut rng = Rng::new(seed);
    let given = groups((n / 50).max(20), &mut rng);
    let family = groups((n / 15).max(60), &mut rng);
    let mut table = AliasTable::new();
    let mut pairs = std::collections::HashSet::new();
    let mut entities: Vec<(usize, usize)> = Vec::new();
    let mut names = 0;
    while names < n {
        let (g, f) = (zipf(given.len(), &mut rng), zipf(family.len(), &mut rng));
        if !pairs.insert((g, f)) {
            continue;
        }
        // The table's spellings of each part: all but the last (kept for
        // queries), at most two.
        let used = |group: &Group| group.spellings.len().saturating_sub(1).clamp(1, 2);
        let mut all: Vec<String> = Vec::new();
        for gs in &given[g].spellings[..used(&given[g])] {
            for fs in &family[f].spellings[..used(&family[f])] {
                all.push(format!("{gs} {fs}"));
            }
        }
        all.truncate(n - names);
        names += all.len();
        let mut e = Entity::new(format!("r{}", entities.len()), all[0].clone()).kind("person");
        for alias in &all[1..] {
            e = e.alias(alias.clone());
        }
        table.push(e).expect("ids are unique");
        entities.push((g, f));
    }
    let mut out = Vec::with_capacity(queries);
    for _ in 0..queries {
        let i = (rng.next_u64() % entities.len() as u64) as usize;
        let (g, f) = entities[i];
        let (given, family) = (&given[g].spellings, &family[f].spellings);
        // The part respelled: a spelling of its group the table lacks.
        let query = if rng.next_u64() % 2 == 0 {
            format!("{} {}", given[given.len() - 1], family[0])
        } else {
            format!("{} {}", given[0], family[family.len() - 1])
        };
        out.push((query, format!("r{i}")));
    }
    // After the known queries, so that those stay what they were.
    let mut others = Vec::with_capacity(strangers);
    while others.len() < strangers {
        let (g, f) = (zipf(given.len(), &mut rng), zipf(family.len(), &mut rng));
        if pairs.contains(&(g, f)) {
            continue;
        }
        let (given, family) = (&given[g].spellings, &family[f].spellings);
        let name = if rng.next_u64() % 2 == 0 {
            format!("{} {}", given[given.len() - 1], family[0])
        } else {
            format!("{} {}", given[0], family[family.len() - 1])
        };
        others.push(name);
    }
    (table, out, others)
}
