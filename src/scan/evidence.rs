//! The open world: whether a fuzzy mention is a variant spelling of a table
//! entity, or something else. Copy is full of words and people the table
//! does not hold; the resolver, which only weighs the table's names, cannot
//! tell `Wasim` (a man of his own) from `Qassem` misspelled. Four kinds of
//! evidence say *something else*:
//!
//! - a known word (`crate::lexicon`) is a word of its own unless it spells
//!   the table's name as the table does ([`known_word_is_other`]);
//! - a many-part span with a part that contradicts the name: a known word
//!   that is no part of it (`Saudi Arabia` against *Saudi Aramco*), a part
//!   far from all of its parts (`Amoli` against *Ali Larijani*), a derived
//!   form (`Mousavian`) ([`contradicted`]);
//! - a span whose parts do not fit the name's: more parts than it has
//!   (`EU-Turkey`), or part of an organization's name ([`other_structure`]),
//!   or initials written before it that no part of the name starts with
//!   (`N. Hussain` is not *Saddam Hussein*, [`initials_contradict`]);
//! - given names without the family name name nobody in particular
//!   ([`drop_given_names_alone`]);
//! - a lone word near a name, in a document that names that entity nowhere
//!   else, is weak evidence: it must be confident on its own
//!   ([`drop_unsupported`]).
//!
//! The first three are asked of each span as it is found (`spans.rs`); the
//! last two once the document's mentions are known.

use super::spans::{is_ending, MIN_FUZZY_WORD};
use super::words::Word;
use super::Mention;
use crate::normalize::fold;
use crate::resolver::{Inner, MatchKind, Outcome, Resolution};

/// Part similarity at which a known word in a many-part span counts as a
/// spelling of the name part it meets, not as a word of its own. Measured
/// with the fitted costs: spellings of one name or word score 0.84-0.89
/// (`Ives`/`Yves` 0.845, `Defense`/`Defence` 0.853, `Jon`/`John` 0.883),
/// different words 0.76 and under (`Son`/`Sun` 0.764, `Senator`/`Senate`
/// 0.621, `Commission`/`Union` 0.419); 0.8 is between. A word derived
/// from the part (`Arabia`/`Arabian`) is a different word at any
/// similarity (see [`derived`]).
const KNOWN_PART_SIMILARITY: f32 = 0.8;

/// Part similarity under which any part of a many-part span contradicts
/// the name: different given or family names score under it (`Amoli`/`Ali`
/// 0.48, `Nayef`/`Zayed` 0.47), while shortened and respelled parts score
/// above (`Yadol`/`Yadollah` 0.79, `Hossein`/`Hussein` 0.89).
const OTHER_PART_SIMILARITY: f32 = 0.6;

/// Whether a one-word span that is a known word is something else: it
/// resolved to a name none of whose parts it spells as the table does.
pub(super) fn known_word_is_other(word: &Word, r: &Resolution<'_>) -> bool {
    let spelled =
        |c: &crate::Candidate<'_>| fold(c.matched).split(' ').any(|part| part == word.folded);
    !r.best.iter().chain(&r.candidates).any(spelled)
}

/// Whether a many-word span has a part that contradicts the name it
/// resolved to: a known word that spells no part of it (`Arabia` against
/// *Saudi Aramco*), any part far from every part of the name (`Amoli`
/// against *Ali Larijani*, `Nayef` against *Mohamed bin Zayed*), or a part
/// derived from one of the name's (`Mousavian` against *Mousavi*).
pub(super) fn contradicted(inner: &Inner, words: &[Word], r: &Resolution<'_>) -> bool {
    let Some(best) = &r.best else {
        return false;
    };
    let name = fold(best.matched);
    let name_parts: Vec<&str> = inner.tokens(&name).collect();
    (words.iter())
        .flat_map(|w| inner.tokens(&w.folded))
        .filter(|t| !t.bytes().all(|b| b.is_ascii_digit()))
        .any(|t| {
            let needed = if inner.is_known_word(t) {
                KNOWN_PART_SIMILARITY
            } else {
                OTHER_PART_SIMILARITY
            };
            !(name_parts.iter()).any(|p| spells(t, p, || inner.part_similarity(t, p), needed))
        })
}

/// Whether a token of a span spells the name part `part`: the same word,
/// or one at `needed` similarity or more that is not derived from it.
fn spells(token: &str, part: &str, similarity: impl FnOnce() -> f32, needed: f32) -> bool {
    part == token || (!derived(token, part) && similarity() >= needed)
}

/// Whether a word of a many-word span makes it [`contradicted`] whatever
/// name it matches: a known word (or a token of one) that spells no part
/// of any table name. Such a span is not searched (most capitalized
/// phrases of copy, `News Agency`, are this); the answer per known word is
/// the resolver's to remember.
pub(super) fn spells_no_name_part(inner: &Inner, word: &Word) -> bool {
    // Parts are offered from a hair under the level, so that rounding
    // never hides one; `spells` compares the exact similarity.
    let floor = KNOWN_PART_SIMILARITY - 1e-3;
    (inner.tokens(&word.folded))
        .filter(|t| !t.bytes().all(|b| b.is_ascii_digit()))
        .any(|t| {
            let spells_one = inner.known_word_spells_a_part(t, floor, |part, sim| {
                spells(t, part, || sim, KNOWN_PART_SIMILARITY)
            });
            spells_one == Some(false)
        })
}

/// The most initials read before a span (`G. W.` in `G. W. Bush`): names
/// carry two or three; more are a list of something else.
const MAX_INITIALS: usize = 3;

/// The initials written just before byte `start` of `text`: capital
/// letters each followed by a period, separated by spaces (`N.` in
/// `N. Hussain`, `G. W.` in `G. W. Bush`), folded to lowercase, nearest
/// last; empty when the span has none.
pub(super) fn initials_before(text: &str, start: usize) -> Vec<char> {
    let mut initials = Vec::new();
    let mut rest = &text[..start];
    while initials.len() < MAX_INITIALS {
        let Some(before_period) = rest.trim_end_matches([' ', '\u{a0}']).strip_suffix('.') else {
            break;
        };
        let mut chars = before_period.chars();
        let Some(letter) = chars.next_back().filter(|c| c.is_uppercase()) else {
            break;
        };
        // A letter that ends a longer word (`Gen.`, `U.S.` has `U.` then
        // `S.`: both single letters) is no initial.
        if chars.clone().next_back().is_some_and(char::is_alphanumeric) {
            break;
        }
        initials.extend(fold(&letter.to_string()).chars().next());
        rest = chars.as_str();
    }
    initials.reverse();
    initials
}

/// Whether initials written before a span contradict the entity it
/// matched: an initial that no part of any of the entity's names starts
/// with is a part of another person's name (`N. Hussain` is not *Saddam
/// Hussein*; `S. Husain` may be).
pub(super) fn initials_contradict(initials: &[char], r: &Resolution<'_>) -> bool {
    let Some(best) = &r.best else {
        return false;
    };
    if initials.is_empty() {
        return false;
    }
    let entity = best.entity;
    let names: Vec<String> = std::iter::once(&entity.canonical)
        .chain(&entity.aliases)
        .map(|n| fold(n))
        .collect();
    let starts = |c: char| (names.iter()).any(|n| n.split(' ').any(|part| part.starts_with(c)));
    !initials.iter().all(|&c| starts(c))
}

/// Particles that every spelling of a name writes: those of European
/// names (`van der`, `de`, `di`, `von`). Their absence from all of an
/// entity's names says a span that writes one names someone else (`de
/// Sar` is not *Saloth Sar*). The Arabic article and the patronymic and
/// kunya particles (`al`, `el`, `bin`, `ibn`, `abu`) and Spanish `y` are
/// written by one spelling and left out by another (`Bashar Assad`,
/// `Bashar al-Assad`): they say nothing.
const WRITTEN_PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "da", "di", "del", "della", "dos", "das", "do", "du", "la",
    "le",
];

/// Whether a span writes a particle of [`WRITTEN_PARTICLES`] that no name
/// of the entity it matched writes, neither alone nor joined to a part
/// that starts as the word after it does (`DiCaprio` writes the `di` of
/// `Di Capprio`).
pub(super) fn particles_contradict(words: &[Word], r: &Resolution<'_>) -> bool {
    let Some(best) = &r.best else {
        return false;
    };
    let names: Vec<String> = best.entity.names().map(fold).collect();
    let written = |particle: &str, next: Option<&Word>| {
        let next_letter = next.and_then(|w| w.folded.chars().next());
        let joined = |t: &str| {
            let rest = t
                .strip_prefix(particle)
                .and_then(|rest| rest.chars().next());
            rest.is_some() && rest == next_letter
        };
        names
            .iter()
            .any(|name| name.split(' ').any(|t| t == particle || joined(t)))
    };
    (words.iter().enumerate()).any(|(i, w)| {
        WRITTEN_PARTICLES.contains(&w.folded.as_str()) && !written(&w.folded, words.get(i + 1))
    })
}

/// Whether a folded word beside a mention is a part of another name: a
/// part of some person's name as the table spells it (word lists hold
/// common given names: `Omar`, `Ahmed`, `Ali`), no title (`King`) or
/// particle; or else long enough to be a name part and no known word
/// (`Thursday` says nothing either way); and far from every part of this
/// name (under [`OTHER_PART_SIMILARITY`]), so no spelling of one of them.
pub(super) fn part_of_another_name(inner: &Inner, word: &str, name_parts: &[String]) -> bool {
    let normalizer = inner.normalizer();
    let name_word = || {
        inner.is_person_word(word) && !normalizer.is_title(word) && !normalizer.is_particle(word)
    };
    ((word.len() >= MIN_FUZZY_WORD && !inner.is_known_word(word)) || name_word())
        && !(name_parts.iter())
            .any(|p| p == word || inner.part_similarity(word, p) >= OTHER_PART_SIMILARITY)
}

/// Whether one folded word is the other with a demonym or adjective
/// ending (`arabia`/`arabian`, `chile`/`chilean`, `palestine`/
/// `palestinian`, a final `e` or `a` giving way to the ending).
pub(super) fn derived(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let stems = [
        Some(short),
        short.strip_suffix('e'),
        short.strip_suffix('a'),
    ];
    stems.into_iter().flatten().any(|stem| {
        long.strip_prefix(stem)
            .is_some_and(|rest| is_ending(stem, rest))
    })
}

/// Words that join the parts of an organization's or place's name
/// (`University of Oxford`, `Bosnia and Herzegovina`) and are no part of
/// it: `Oxford University` has all the parts that count.
const FUNCTION_WORDS: &[&str] = &["of", "the", "and", "for", "on", "in", "at", "to"];

/// Whether a span's structure says it is another name than the one it
/// matched: it has name parts the name lacks (`EU-Turkey` against
/// *Turkey*, `Wolfgang Joseph Pauli` against *Wolfgang Pauli*), or, for an
/// entity that is no person, it leaves out parts of a name of several
/// words (`Supreme Council` against *Supreme National Security Council*,
/// `Islamic Republic` against *Islamic Republic of Iran*): people are
/// cited by part of their name, organizations and places by all of it.
pub(super) fn other_structure(inner: &Inner, words: &[Word], r: &Resolution<'_>) -> bool {
    let Some(best) = &r.best else {
        return false;
    };
    let content = |t: &&str| !FUNCTION_WORDS.contains(t);
    let span_parts: usize = (words.iter())
        .map(|w| inner.tokens(&w.folded).filter(content).count())
        .sum();
    let name = fold(best.matched);
    let name_parts = inner.tokens(&name).filter(content).count();
    let personal = best.entity.is_personal();
    span_parts > name_parts || (!personal && words.len() > 1 && span_parts < name_parts)
}

/// Drops the fuzzy mentions of several words that name a person by given
/// names only: no word spells the last part of the name (the family name
/// in most of the world's order) or comes near it. Given names are shared
/// by thousands (`Sayed Hasan` is not *Sayyed Hassan Nasrallah*). A
/// mention of the same entity right after it is the family name written
/// apart (`Rejep Tayyip` before an exact `Erdogan`): that one stays.
pub(super) fn drop_given_names_alone(inner: &Inner, text: &str, mentions: &mut Vec<Mention<'_>>) {
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| mentions[i].start);
    let mut drop = vec![false; mentions.len()];
    for (k, &i) in order.iter().enumerate() {
        let m = &mentions[i];
        let Some(best) = m
            .resolution
            .best
            .as_ref()
            .filter(|b| b.kind == MatchKind::Fuzzy)
        else {
            continue;
        };
        let personal = best.entity.is_personal();
        let surface = fold(&m.surface);
        if !personal || inner.tokens(&surface).count() < 2 {
            continue;
        }
        let same_entity_next = order.get(k + 1).is_some_and(|&n| {
            let next = &mentions[n];
            text[m.end..next.start.max(m.end)].trim().is_empty()
                && (next.resolution.best.as_ref())
                    .is_some_and(|b| b.entity_index() == best.entity_index())
        });
        drop[i] = !same_entity_next && leaves_out_family_name(inner, &surface, &fold(best.matched));
    }
    let mut drop = drop.into_iter();
    mentions.retain(|_| !drop.next().unwrap_or(false));
}

/// Whether no token of a folded span spells the last part of a folded
/// name or comes near it (the last two parts joined count too: `Yatsen`
/// for *Sun Yat-sen*).
fn leaves_out_family_name(inner: &Inner, span: &str, name: &str) -> bool {
    let parts: Vec<&str> = inner.tokens(name).collect();
    let [.., before, last] = parts[..] else {
        return false;
    };
    let joined = format!("{before}{last}");
    let near = |t: &str, p: &str| t == p || inner.part_similarity(t, p) >= OTHER_PART_SIMILARITY;
    !inner
        .tokens(span)
        .any(|t| near(t, last) || near(t, &joined))
}

/// Drops the one-word fuzzy mentions that neither reach the standalone
/// confidence nor have support in the document: another mention of the same
/// entity that names it surely (see [`supports`]). A known word (a common
/// name such as `Harris` or `Khan`) that spells a family name has no
/// standalone route: thousands of people share it. An ambiguous one-word
/// mention that the context pass could not settle goes too.
pub(super) fn drop_unsupported(inner: &Inner, mentions: &mut Vec<Mention<'_>>) {
    let standalone = inner.standalone_confidence();
    if standalone <= inner.threshold() {
        return;
    }
    // Each mention's lone part, worked out once for both passes.
    let lone: Vec<Option<String>> = mentions.iter().map(|m| lone_fuzzy(inner, m)).collect();
    let mut supported: Vec<u32> = (mentions.iter().zip(&lone))
        .filter(|(m, lone)| supports(inner, m, lone.as_deref()))
        .filter_map(|(m, _)| m.resolution.best.as_ref().map(|b| b.entity_index()))
        .collect();
    supported.sort_unstable();
    supported.dedup();
    let mut lone = lone.into_iter();
    mentions.retain(|m| {
        let Some(lone) = lone.next().flatten() else {
            return true;
        };
        if m.by_context {
            return true;
        }
        match (&m.resolution.outcome, &m.resolution.best) {
            (Outcome::Resolved, Some(b)) => {
                stands_alone(inner, m, &lone) || supported.binary_search(&b.entity_index()).is_ok()
            }
            // A lone name several entities share, which the document does
            // not settle, says nobody in particular (`Saeed`).
            _ => false,
        }
    });
}

/// The one name part of a fuzzy (or ambiguous) mention of one part
/// (particles aside: `de Silva` is one part), folded; `None` for other
/// mentions.
fn lone_fuzzy(inner: &Inner, m: &Mention<'_>) -> Option<String> {
    let fuzzy = (m.resolution.best.as_ref()).is_some_and(|b| b.kind == MatchKind::Fuzzy)
        || m.resolution.outcome == Outcome::Ambiguous;
    if !fuzzy {
        return None;
    }
    let folded = fold(&m.surface);
    let mut parts = inner.tokens(&folded);
    match (parts.next(), parts.next()) {
        (Some(part), None) => Some(part.to_owned()),
        _ => None,
    }
}

/// Whether a mention names its entity surely: resolved exactly, by an
/// alias, once normalized, by two parts or more, or by one word that
/// stands on its own (confident, and no known word). A lone family name
/// that is a known word (`Harris`) supports nothing, itself included; one
/// that stands alone supports others (so that `fix`, which turns variants
/// into the table's spelling, never creates support that `check` lacked).
/// `lone` is the mention's [`lone_fuzzy`] part.
fn supports(inner: &Inner, m: &Mention<'_>, lone: Option<&str>) -> bool {
    m.resolution.outcome == Outcome::Resolved
        && match lone {
            Some(lone) => stands_alone(inner, m, lone),
            None => true,
        }
}

/// Whether a one-word fuzzy mention is confident on its own.
fn stands_alone(inner: &Inner, m: &Mention<'_>, lone: &str) -> bool {
    m.resolution.confidence >= inner.standalone_confidence() && !inner.is_known_word(lone)
}

#[cfg(test)]
mod tests {
    use super::{derived, initials_before};

    #[test]
    fn initials_are_single_capitals_with_a_period_just_before() {
        let at = |text: &str| initials_before(text, text.find("Name").unwrap());
        assert_eq!(at("N. Name"), vec!['n']);
        assert_eq!(at("x G. W. Name"), vec!['g', 'w']);
        assert_eq!(at("Ö. Name"), vec!['o']);
        assert!(at("Gen. Name").is_empty());
        assert!(at("the Name").is_empty());
        assert!(at("end. Name").is_empty());
        assert!(at("n. Name").is_empty());
        assert!(at("Name").is_empty());
        assert_eq!(at("A. B. C. D. Name").len(), 3);
    }

    #[test]
    fn derived_forms_are_told_from_respellings() {
        for (a, b) in [
            ("arabia", "arabian"),
            ("chile", "chilean"),
            ("palestine", "palestinian"),
            ("mousavi", "mousavian"),
            ("shia", "shias"),
        ] {
            assert!(derived(a, b) && derived(b, a), "{a} {b}");
        }
        for (a, b) in [
            ("jon", "john"),
            ("defense", "defence"),
            ("zarif", "zarif"),
            ("iran", "iraq"),
        ] {
            assert!(!derived(a, b), "{a} {b}");
        }
    }
}
