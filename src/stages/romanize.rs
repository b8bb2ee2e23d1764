//! Optional stage `romanize` (`--enable romanize`): the Latin form of every
//! kept Ukrainian paragraph (`lang == "uk"`) under the national system of
//! 2010 (Cabinet of Ministers resolution No. 55 of 27 January 2010), set as
//! `Paragraph::latn`; the paragraph's text is not changed.
//!
//! The rules of the resolution:
//!
//! - letter by letter after its table (`щ` → `shch`, `х` → `kh`, `г` → `h`,
//!   `ґ` → `g`, `и` → `y`, `і` → `i`);
//! - `є ї й ю я` are `ye yi y yu ya` at the start of a word and `ie i i iu ia`
//!   elsewhere; after an apostrophe the position is not initial
//!   (Знам’янка → Znamianka), after a hyphen it is (Анна-Ярина → Anna-Yaryna);
//! - `зг` is `zgh` (Згорани → Zghorany), keeping it apart from `zh` = `ж`;
//! - the soft sign and the apostrophe (`'`, `’`, `ʼ` between letters) are
//!   dropped (Тернопіль → Ternopil).
//!
//! Case: a capital gives a capitalised Latin group (Щ → Shch, Є → Ye), and a
//! word in capitals stays in capitals (ЩИТ → SHCHYT). Characters outside the
//! Ukrainian alphabet (Latin, digits, punctuation, Russian-only letters) are
//! copied as they are.
//!
//! Counters (`changes.romanize`): `paragraphs`, the Ukrainian paragraphs
//! given a Latin form.

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::stages::Stage;

/// Settings of the romanize stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RomanizeConfig {
    /// Run the stage (off by default).
    pub enabled: bool,
}

/// The romanize stage.
#[derive(Debug, Clone, Default)]
pub struct Romanize;

impl Romanize {
    /// Builds the stage.
    pub fn new(_cfg: &RomanizeConfig) -> Self {
        Romanize
    }
}

impl Stage for Romanize {
    fn name(&self) -> &'static str {
        "romanize"
    }

    fn apply(&self, doc: &mut Document) {
        let mut n = 0;
        for p in doc.paragraphs.iter_mut().filter(|p| p.is_kept()) {
            if p.lang.is_some_and(|l| l.code == "uk") {
                p.latn = Some(romanize(&p.text));
                n += 1;
            }
        }
        if n > 0 {
            doc.changes.add("romanize", "paragraphs", n);
        }
    }
}

/// The letter table: lower-case letter, Latin at the start of a word, Latin
/// elsewhere. The soft sign maps to nothing.
const TABLE: &[(char, &str, &str)] = &[
    ('а', "a", "a"),
    ('б', "b", "b"),
    ('в', "v", "v"),
    ('г', "h", "h"),
    ('ґ', "g", "g"),
    ('д', "d", "d"),
    ('е', "e", "e"),
    ('є', "ye", "ie"),
    ('ж', "zh", "zh"),
    ('з', "z", "z"),
    ('и', "y", "y"),
    ('і', "i", "i"),
    ('ї', "yi", "i"),
    ('й', "y", "i"),
    ('к', "k", "k"),
    ('л', "l", "l"),
    ('м', "m", "m"),
    ('н', "n", "n"),
    ('о', "o", "o"),
    ('п', "p", "p"),
    ('р', "r", "r"),
    ('с', "s", "s"),
    ('т', "t", "t"),
    ('у', "u", "u"),
    ('ф', "f", "f"),
    ('х', "kh", "kh"),
    ('ц', "ts", "ts"),
    ('ч', "ch", "ch"),
    ('ш', "sh", "sh"),
    ('щ', "shch", "shch"),
    ('ь', "", ""),
    ('ю', "yu", "iu"),
    ('я', "ya", "ia"),
];

/// Apostrophes the resolution drops inside words.
const APOSTROPHES: &[char] = &['\'', '’', 'ʼ'];

fn lookup(c: char) -> Option<(&'static str, &'static str)> {
    let l = c.to_lowercase().next().unwrap_or(c);
    TABLE
        .iter()
        .find(|&&(k, _, _)| k == l)
        .map(|&(_, i, o)| (i, o))
}

/// Romanises `text` under the 2010 national system.
pub fn romanize(text: &str) -> String {
    let cs: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < cs.len() {
        if !cs[i].is_alphabetic() {
            out.push(cs[i]);
            i += 1;
            continue;
        }
        // A word: letters, and apostrophes between letters.
        let start = i;
        let mut end = i;
        while end < cs.len()
            && (cs[end].is_alphabetic()
                || (APOSTROPHES.contains(&cs[end])
                    && end > start
                    && cs.get(end + 1).is_some_and(|c| c.is_alphabetic())))
        {
            end += 1;
        }
        word(&cs[start..end], &mut out);
        i = end;
    }
    out
}

/// Romanises one word (letters and inner apostrophes) onto `out`.
fn word(w: &[char], out: &mut String) {
    let letters = w.iter().filter(|c| c.is_alphabetic());
    let caps = letters.clone().count() >= 2 && letters.clone().all(|c| !c.is_lowercase());
    let mut j = 0;
    while j < w.len() {
        let c = w[j];
        if APOSTROPHES.contains(&c) {
            j += 1;
            continue;
        }
        let upper = c.is_uppercase();
        let (latin, used) = if matches!(c, 'з' | 'З') && matches!(w.get(j + 1), Some('г' | 'Г'))
        {
            ("zgh", 2)
        } else {
            match lookup(c) {
                Some((initial, other)) => (if j == 0 { initial } else { other }, 1),
                None => {
                    out.push(c);
                    j += 1;
                    continue;
                }
            }
        };
        if caps {
            out.push_str(&latin.to_uppercase());
        } else if upper {
            let mut l = latin.chars();
            if let Some(f) = l.next() {
                out.extend(f.to_uppercase());
                out.push_str(l.as_str());
            }
        } else {
            out.push_str(latin);
        }
        j += used;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(uk: &str, latn: &str) {
        assert_eq!(romanize(uk), latn, "{uk}");
    }

    #[test]
    fn letters() {
        check("Щастя", "Shchastia");
        check("Хмельницький", "Khmelnytskyi");
        check("Ґудзик", "Gudzyk");
        check("Маріуполь", "Mariupol");
    }

    #[test]
    fn initial_and_other_positions() {
        check("Євген", "Yevhen");
        check("Юрченко", "Yurchenko");
        check("Йорданія", "Yordaniia");
        check("Їжаківка", "Yizhakivka");
        check("Ярослав", "Yaroslav");
        check("Боярка", "Boiarka");
        check("Гайова", "Haiova");
    }

    #[test]
    fn apostrophe_keeps_the_position_other() {
        check("В’ячеслав", "Viacheslav");
        check("сім'я", "simia");
        check("Подвір’я", "Podviria");
        check("Слов\u{2bc}янськ", "Sloviansk");
    }

    #[test]
    fn zg_digraph() {
        check("Згода", "Zghoda");
        check("розгляд", "rozghliad");
        check("ЗГОДА", "ZGHODA");
    }

    #[test]
    fn hyphen_starts_a_word_and_case_is_kept() {
        check("Анна-Ярина", "Anna-Yaryna");
        check("ЩИТ", "SHCHYT");
        check("Щ", "Shch");
        check("КИЇВ", "KYIV");
    }

    #[test]
    fn other_characters_pass_through() {
        check(
            "Київ — «столиця» 2024, 'Львів'",
            "Kyiv — «stolytsia» 2024, 'Lviv'",
        );
        check("NATO і ЄС", "NATO i YES");
    }
}
