//! Stage 4, `langid`: the language of every paragraph, and of the document.
//!
//! For each paragraph (metadata paragraphs are skipped):
//!
//! 1. **Script.** Letters are counted per script; the script with most
//!    letters wins, and only its words are looked at from here on (an English
//!    paragraph quoting a Ukrainian phrase is English, and the other way round
//!    when the quotation is longer). Fewer than `min_letters` letters: `und`.
//! 2. **Allowlist.** The candidates are the allowed languages written in that
//!    script; a script with one allowed language decides alone.
//! 3. **Letters and words.** Each candidate gets a log-likelihood score
//!    (up to a shared constant) from three kinds of evidence:
//!    - words it cannot spell: Russian has no і ї є ґ ў; Ukrainian no ы э ъ
//!      ё; Belarusian no и щ ъ; Bulgarian no ы э ё; Serbian no й щ ь ъ ы э ю
//!      я; Polish has ł ą ę, and so on; Russian and Kazakh write `ъ` only
//!      before е ё ю я, Bulgarian writes `ь` only before о;
//!    - common function words that only some candidates use (ru `что`, bg
//!      `във`, uk `що`, en `the`, ...);
//!    - missing mark letters: a long text with none of Kazakh's ә ғ қ ң ө ұ ү
//!      һ, or of Ukrainian's і ї є ґ, is unlikely to be in that language.
//!
//!    Latin look-alikes typed inside Cyrillic words (Ukrainian `i` for `і`)
//!    are read as Cyrillic; words no candidate can spell are left out.
//!    When the best candidate leads clearly, it is the label (the fast path).
//! 4. **whatlang** (the fast general model), restricted to the plausible
//!    candidates, decides when it is sure on a long enough text, or when it
//!    agrees with the favourite of step 3.
//! 5. **Second model.** Otherwise lingua, built for the plausible candidates
//!    only, decides; its confidences are weighed by the scores of step 3.
//!    Where lingua has no model for a candidate, whatlang decides instead.
//!
//! `lang_score` is the label's share of the combined evidence, normalised
//! over the candidates (a posterior under the scores above). A label whose
//! score is below `threshold` becomes `und`; so does a text with fewer than
//! `min_letters` letters, or whose script has no allowed language.
//!
//! A short paragraph with weak evidence (a heading, say) takes the
//! document's language when the letters allow it: the paragraph's own
//! confidences are weighed by the share of letters each language has in the
//! document.
//!
//! In a document of several paragraphs, a short paragraph (under 40
//! letters) that step 3 does not settle waits for the document: when the
//! letters' favourite is the document's language (as decided by the other
//! paragraphs), that is the label; otherwise the second model chooses
//! between the two. Models are then asked about few paragraphs: on news
//! text most short lines are headings, captions and web leftovers in the
//! document's language. Long paragraphs are read from their first 1,200
//! bytes (`SAMPLE_BYTES`), cut at a space.
//!
//! The document's language is the one with most letters over its kept
//! paragraphs; its score is their letter-weighted mean score.
//!
//! Counters (`changes.langid`): `und` (paragraphs left undetermined),
//! `fast_model` (paragraphs whatlang decided), `second_model` (paragraphs
//! the fast path and whatlang left to the second model),
//! `from_document` (short paragraphs relabelled to the document's language).

mod langs;
mod memo;
mod script;
mod second;

use crate::hash::WordMap;

use serde::{Deserialize, Serialize};
use whatlang::Detector;

use crate::document::{Document, LangTag};
use crate::error::{Error, Result};
use crate::stages::Stage;

use langs::{LANGS, index_of};
use script::{SCRIPTS, Script, ScriptCounts};
use second::Second;

/// Settings of the langid stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangidConfig {
    /// Run the stage.
    pub enabled: bool,
    /// Candidate languages (ISO 639-1, or 639-3 where there is none).
    pub langs: Vec<String>,
    /// Below this many letters a paragraph is `und`.
    pub min_letters: usize,
    /// Below this score a paragraph is `und`.
    pub threshold: f32,
    /// Consult the second model (lingua) where the fast path is unsure. Off,
    /// whatlang decides those paragraphs too: faster and lighter (no lingua
    /// models in memory), less accurate on short text.
    pub second_model: bool,
}

/// The static code for a configured language code, if supported.
pub fn known_code(code: &str) -> Option<&'static str> {
    index_of(code).map(|i| LANGS[i].code)
}

/// whatlang's answer is taken without the second model from this share up.
const FAST_SURE: f32 = 0.5;

/// whatlang is not asked to decide alone below this many letters.
const FAST_MIN_LETTERS: usize = 20;

/// whatlang may decide alone when every candidate it has no model for
/// (Kazakh) trails the best by this much.
const UNCOVERED_BEHIND: f32 = 4.0;

/// On any text, whatlang's answer is taken when it is also the letters'
/// and words' favourite by this much.
const AGREE_MARGIN: f32 = 1.0;

/// Log-likelihood cost of a word a language cannot spell (names and loans
/// make it happen now and then).
const FOREIGN: f32 = 4.0;

/// Log-likelihood gain of a function word that only one candidate uses.
const STOP: f32 = 1.5;

/// The fast path decides when the best candidate leads by this much
/// log-likelihood (odds of about 150 to 1).
const SURE_MARGIN: f32 = 4.0;

/// Candidates this far behind the best are not passed to the models.
const PLAUSIBLE: f32 = 10.0;

/// On long text, candidates this far behind are not passed to the second
/// model.
const PLAUSIBLE_LONG: f32 = 8.0;

/// On long text, and for a short paragraph its document left open, at most
/// this many candidates are passed to the second model (its cost, and the
/// number of language models it loads, grow with their number).
const MAX_PLAUSIBLE: usize = 4;

/// Paragraphs with fewer letters than this may take the document's language.
const SHORT: usize = 40;

/// A paragraph whose score is below this may take the document's language.
const WEAK: f32 = 0.9;

type WordTable = WordMap<u64>;

/// Long paragraphs are read from their first this many bytes (cut at a
/// space): a few hundred letters settle the language as well as the whole
/// paragraph, and the time per paragraph stays bounded.
const SAMPLE_BYTES: usize = 1200;

/// The part of `text` that is read: all of it, or a sample of a long text
/// when the sample's main script is the text's.
fn sample(text: &str, script: Script) -> &str {
    if text.len() <= SAMPLE_BYTES {
        return text;
    }
    let end = text.floor_char_boundary(SAMPLE_BYTES);
    let cut = match text[..end].rfind(char::is_whitespace) {
        Some(i) if i > SAMPLE_BYTES / 2 => i,
        _ => end,
    };
    let head = &text[..cut];
    if ScriptCounts::of(head).dominant().map(|d| d.0) == Some(script) {
        head
    } else {
        text
    }
}

/// How the second model may be asked about a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// About the plausible candidates (a text on its own).
    Second,
    /// About the closest few candidates only (a short paragraph its
    /// document did not settle).
    Closest,
    /// Not yet: a short paragraph is first weighed against its document.
    Later,
}

/// What the stage found out about one text.
#[derive(Debug, Clone)]
pub struct Detection {
    /// The label.
    pub tag: LangTag,
    /// Letters in the text (all scripts).
    pub letters: usize,
    /// Confidence per candidate language left after the letter checks, best
    /// first (codes and scores); empty for `und` without candidates.
    pub candidates: Vec<(&'static str, f32)>,
    /// What decided the label.
    pub decided_by: Decider,
}

/// What decided a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    /// Nothing: too few letters, or no allowed language for the script.
    Nothing,
    /// The script alone (one allowed language writes it).
    Script,
    /// Letters and function words (the fast path).
    Rules,
    /// whatlang, the fast general model.
    FastModel,
    /// lingua, the second model (or whatlang where lingua has no model for
    /// a candidate).
    SecondModel,
}

/// The langid stage.
pub struct Langid {
    cfg: LangidConfig,
    /// Allowed languages as a mask over `LANGS`.
    allowed: u64,
    /// Allowed languages per script (indexed like `SCRIPTS`).
    per_script: [u64; SCRIPTS.len()],
    /// For code points below `TABLE_END`: the languages whose alphabet holds
    /// the (lowercase) letter.
    spell: Vec<u64>,
    /// For letters of scripts without alphabets in the table: every language
    /// of the script (indexed like `SCRIPTS`).
    open: [u64; SCRIPTS.len()],
    /// For code points below `TABLE_END`: the languages that have the letter
    /// among their [`MARKS`](langs::MARKS).
    marked: Vec<u64>,
    /// Each language's share of mark letters (0 without marks).
    mark_share: [f32; 64],
    /// Languages that write `ъ` only before е ё ю я.
    hard_sign: u64,
    /// Languages that write `ь` only before о.
    soft_sign: u64,
    /// Function word → languages that use it.
    words: WordTable,
    /// Every allowed Latin-script language spells all ASCII letters and has
    /// none among its marks: an ASCII word is evidence by its words alone.
    ascii_plain: bool,
    second: Second,
    /// whatlang's answers for short texts.
    fast_answers: memo::Memo<Option<(whatlang::Lang, f64)>>,
}

impl std::fmt::Debug for Langid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Langid")
            .field("cfg", &self.cfg)
            .field("allowed", &self.allowed)
            .finish_non_exhaustive()
    }
}

const TABLE_END: usize = 0x0530;

fn bits(mask: u64) -> impl Iterator<Item = usize> {
    let mut m = mask;
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let i = m.trailing_zeros() as usize;
            m &= m - 1;
            i
        })
    })
}

#[inline]
fn slot(s: Script) -> usize {
    s.slot()
}

/// Web text often types Latin look-alikes inside Cyrillic words (Ukrainian
/// `i` for `і` above all); inside a Cyrillic word they are read as Cyrillic.
fn cyrillic_lookalike(c: char) -> char {
    match c {
        'i' | 'I' => 'і',
        'ï' | 'Ï' => 'ї',
        'a' | 'A' => 'а',
        'c' | 'C' => 'с',
        'e' | 'E' => 'е',
        'o' | 'O' => 'о',
        'p' | 'P' => 'р',
        'x' | 'X' => 'х',
        'y' | 'Y' => 'у',
        _ => c,
    }
}

/// One word from [`words_of`].
#[derive(Debug, Clone, Copy)]
enum Word<'a> {
    /// A word of ASCII letters only, as written (not lower-cased):
    /// `text[start..start + len]`.
    Ascii {
        text: &'a [u8],
        start: usize,
        len: usize,
    },
    /// Any other word, lower-cased.
    Text(&'a str),
}

/// True when a word ends before `rest`: at its end, at ASCII (the caller
/// has read the letters), or at a character that is neither a letter nor the
/// combining dot that words keep.
#[inline]
fn ends_word(rest: &str) -> bool {
    match rest.as_bytes().first() {
        None => true,
        Some(&b) if b < 0x80 => true,
        Some(_) => rest
            .chars()
            .next()
            .is_none_or(|c| !script::is_letter(c) && c != '\u{0307}'),
    }
}

/// Calls `f` with each word of `script` in `text` (a word is a run of
/// letters; it belongs to the script of its first letter), lower-cased, with
/// Latin look-alikes inside Cyrillic words read as Cyrillic. A Latin word of
/// ASCII letters only comes as it is written, without a copy.
fn words_of(text: &str, script: Script, mut f: impl FnMut(Word<'_>)) {
    let mut word = String::with_capacity(32);
    let mut in_script = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            if !b.is_ascii_alphabetic() {
                if !word.is_empty() {
                    f(Word::Text(&word));
                    word.clear();
                }
                continue;
            }
            if word.is_empty() {
                in_script = script == Script::Latin;
            }
            if !in_script {
                continue;
            }
            if script == Script::Cyrillic {
                word.push(cyrillic_lookalike(b as char).to_ascii_lowercase());
            } else {
                // The rest of an ASCII run at once.
                let start = i - 1;
                i = start + crate::ascii::letter_run(bytes, start);
                if word.is_empty() && ends_word(&text[i..]) {
                    // The whole word, without a copy.
                    f(Word::Ascii {
                        text: bytes,
                        start,
                        len: i - start,
                    });
                    continue;
                }
                let from = word.len();
                word.push_str(&text[start..i]);
                word[from..].make_ascii_lowercase();
            }
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        if script::is_letter(c) {
            if word.is_empty() {
                in_script = Script::of(c) == script;
            }
            if in_script {
                let c = if script == Script::Cyrillic {
                    cyrillic_lookalike(c)
                } else {
                    c
                };
                if c.is_lowercase() {
                    word.push(c);
                } else {
                    word.extend(c.to_lowercase().filter(|c| c.is_alphabetic()));
                }
            }
        } else if c != '\u{0307}' && !word.is_empty() {
            f(Word::Text(&word));
            word.clear();
        }
    }
    if !word.is_empty() {
        f(Word::Text(&word));
    }
}

impl Langid {
    /// Builds the stage; an unknown language code is an error naming it.
    pub fn new(cfg: &LangidConfig) -> Result<Self> {
        let mut allowed = 0u64;
        for c in &cfg.langs {
            let i = index_of(c.trim()).ok_or_else(|| {
                Error::UnknownLanguage(
                    c.clone(),
                    LANGS.iter().map(|l| l.code).collect::<Vec<_>>().join(" "),
                )
            })?;
            allowed |= 1 << i;
        }
        let mut per_script = [0u64; SCRIPTS.len()];
        let mut open = [0u64; SCRIPTS.len()];
        let mut spell = vec![0u64; TABLE_END];
        let mut words = WordTable::default();
        let mut marked = vec![0u64; TABLE_END];
        let mut mark_share = [0f32; 64];
        for &(code, marks, share) in langs::MARKS {
            let Some(i) = index_of(code) else { continue };
            mark_share[i] = share;
            for c in marks.chars() {
                if let Some(m) = marked.get_mut(c as usize) {
                    *m |= 1 << i;
                }
            }
        }
        for (i, l) in LANGS.iter().enumerate() {
            let bit = 1u64 << i;
            per_script[slot(l.script)] |= bit & allowed;
            if l.script == Script::Latin {
                for c in 'a'..='z' {
                    spell[c as usize] |= bit;
                }
            }
            if l.letters.is_empty() && l.script != Script::Latin {
                open[slot(l.script)] |= bit;
                for (c, m) in spell.iter_mut().enumerate() {
                    let letter = char::from_u32(c as u32).filter(|c| c.is_alphabetic());
                    if letter.is_some_and(|c| Script::of(c) == l.script) {
                        *m |= bit;
                    }
                }
            }
            for c in l.letters.chars() {
                if let Some(m) = spell.get_mut(c as usize) {
                    *m |= bit;
                }
            }
            for w in l.words {
                *words.entry(w, || 0) |= bit;
            }
        }
        let latin = per_script[slot(Script::Latin)];
        let ascii_plain =
            (b'a'..=b'z').all(|c| spell[c as usize] & latin == latin && marked[c as usize] == 0);
        Ok(Langid {
            ascii_plain,
            cfg: cfg.clone(),
            allowed,
            per_script,
            spell,
            open,
            marked,
            mark_share,
            hard_sign: ["ru", "kk"]
                .iter()
                .filter_map(|c| index_of(c))
                .fold(0, |m, i| m | 1 << i),
            soft_sign: index_of("bg").map_or(0, |i| 1 << i),
            words,
            second: Second::new(),
            fast_answers: memo::Memo::default(),
        })
    }

    /// The languages whose alphabet holds the lowercase letter `c`.
    #[inline]
    fn spellers(&self, c: char) -> u64 {
        match self.spell.get(c as usize) {
            Some(m) => *m,
            None => self.open[slot(Script::of(c))],
        }
    }

    /// Languages whose spelling rules forbid the letter `a` before `b` (`b`
    /// is a space at the end of a word). Russian and Kazakh write `ъ` only
    /// before е ё ю я; Bulgarian writes `ь` only before о.
    #[inline]
    fn spelling_rule(&self, a: char, b: char) -> u64 {
        match a {
            'ъ' if !matches!(b, 'е' | 'ё' | 'ю' | 'я') => self.hard_sign,
            'ь' if b != 'о' => self.soft_sign,
            _ => 0,
        }
    }

    /// Labels one text, returning the tag and its letter count.
    pub fn detect(&self, text: &str) -> (LangTag, usize) {
        let d = self.detect_full(text);
        (d.tag, d.letters)
    }

    /// Labels one text, with the candidates' confidences.
    pub fn detect_full(&self, text: &str) -> Detection {
        self.detect_with(text, Ask::Second)
    }

    /// Like [`detect_full`](Self::detect_full); without `second`, whatlang
    /// stands in for the second model (the caller weighs the result against
    /// the document and asks again where that does not settle it).
    fn detect_with(&self, text: &str, second: Ask) -> Detection {
        let counts = ScriptCounts::of(text);
        let letters = counts.total();
        let und = |script: &'static str| Detection {
            tag: LangTag {
                script,
                ..LangTag::UNDETERMINED
            },
            letters,
            candidates: Vec::new(),
            decided_by: Decider::Nothing,
        };
        let Some((script, _)) = counts.dominant() else {
            return und("none");
        };
        if letters < self.cfg.min_letters {
            return und(script.name());
        }
        let cands = self.per_script[slot(script)];
        let mut d = match cands.count_ones() {
            0 => und(script.name()),
            1 => Detection {
                tag: LangTag {
                    code: LANGS[cands.trailing_zeros() as usize].code,
                    score: 1.0,
                    script: script.name(),
                },
                letters,
                candidates: vec![(LANGS[cands.trailing_zeros() as usize].code, 1.0)],
                decided_by: Decider::Script,
            },
            _ => self.choose(sample(text, script), script, cands, letters, second),
        };
        if d.tag.code != "und" && d.tag.score < self.cfg.threshold {
            d.tag.code = "und";
        }
        d
    }

    /// Chooses among several candidates of one script.
    fn choose(
        &self,
        text: &str,
        script: Script,
        cands: u64,
        letters: usize,
        second: Ask,
    ) -> Detection {
        let mut foreign = [0u16; 64];
        let mut stop = [0f32; 64];
        let n_cands = cands.count_ones() as f32;
        let mut n_letters = 0usize;
        let mut seen = 0u64;
        let mut lower = String::new();
        words_of(text, script, |word| {
            let (can, len, found) = match word {
                // Every Latin candidate spells ASCII letters, and none has
                // them among its marks.
                Word::Ascii { text, start, len } if self.ascii_plain => {
                    (cands, len, self.words.value_ascii_lower(text, start, len))
                }
                _ => {
                    let word = match word {
                        Word::Text(t) => t,
                        Word::Ascii { text, start, len } => {
                            lower.clear();
                            lower.extend(
                                text[start..start + len]
                                    .iter()
                                    .map(|b| char::from(b.to_ascii_lowercase())),
                            );
                            &lower
                        }
                    };
                    let mut can = cands;
                    let mut prev = ' ';
                    let mut len = 0;
                    for c in word.chars() {
                        can &= self.spellers(c);
                        seen |= self.marked.get(c as usize).copied().unwrap_or(0);
                        len += 1;
                        can &= !self.spelling_rule(prev, c);
                        prev = c;
                    }
                    can &= !self.spelling_rule(prev, ' ');
                    if can == 0 {
                        // No candidate can spell it (a foreign name, damaged
                        // encoding): no evidence either way, and its letters
                        // do not count towards the absence of mark letters.
                        // The models still see it.
                        return;
                    }
                    (can, len, self.words.get(word).copied().unwrap_or(0))
                }
            };
            n_letters += len;
            for i in bits(cands & !can) {
                foreign[i] += 1;
            }
            let used = found & cands;
            if used != 0 && used != cands {
                // Evidence for the candidates that use the word, against
                // those that do not: full for a word only one uses.
                let gain = 1.0 - (used.count_ones() - 1) as f32 / (n_cands - 1.0);
                for i in bits(used) {
                    stop[i] += gain;
                }
            }
        });
        // What the models read: every word of the script, lower-cased.
        let kept = || {
            let mut kept = String::with_capacity(text.len());
            words_of(text, script, |w| {
                if !kept.is_empty() {
                    kept.push(' ');
                }
                match w {
                    Word::Ascii { text, start, len } => {
                        kept.extend(
                            text[start..start + len]
                                .iter()
                                .map(|b| char::from(b.to_ascii_lowercase())),
                        );
                    }
                    Word::Text(t) => kept.push_str(t),
                }
            });
            kept
        };

        // Log-likelihood of each candidate, up to a shared constant: words it
        // cannot spell, function words only it uses, and its mark letters'
        // absence.
        let mut ll = [f32::NEG_INFINITY; 64];
        for i in bits(cands) {
            let mut l = -FOREIGN * f32::from(foreign[i]) + STOP * stop[i];
            if seen & (1 << i) == 0 && self.mark_share[i] > 0.0 {
                l += n_letters.min(2000) as f32 * (1.0 - self.mark_share[i]).ln();
            }
            ll[i] = l;
        }
        let mut ranked: Vec<(usize, f32)> = bits(cands).map(|i| (i, ll[i])).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let top = ranked[0].1;
        let margin = ranked.get(1).map_or(f32::INFINITY, |r| top - r.1);
        let left = ranked
            .iter()
            .filter(|r| top - r.1 <= PLAUSIBLE)
            .fold(0u64, |m, r| m | 1 << r.0);
        let script_name = script.name();
        let done = |mut scores: Vec<(usize, f32)>, decided_by: Decider| {
            let z: f32 = scores.iter().map(|s| s.1).sum();
            if z > 0.0 {
                for s in scores.iter_mut() {
                    s.1 /= z;
                }
            }
            scores.retain(|s| s.1 > 0.0);
            scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let tag = match scores.first() {
                Some(&(i, p)) => LangTag {
                    code: LANGS[i].code,
                    score: p,
                    script: script_name,
                },
                None => LangTag {
                    script: script_name,
                    ..LangTag::UNDETERMINED
                },
            };
            Detection {
                tag,
                letters,
                candidates: scores.iter().map(|&(i, p)| (LANGS[i].code, p)).collect(),
                decided_by,
            }
        };
        let prior = |i: usize| (ll[i] - top).max(-60.0).exp();
        // Fast path: the letters and words alone are clear.
        if margin >= SURE_MARGIN {
            return done(
                ranked.iter().map(|&(i, _)| (i, prior(i))).collect(),
                Decider::Rules,
            );
        }
        // A short paragraph of a longer document: the caller weighs the
        // letters' ranking against the document before any model is asked.
        if second == Ask::Later && letters < SHORT {
            return done(
                ranked.iter().map(|&(i, _)| (i, prior(i))).collect(),
                Decider::SecondModel,
            );
        }
        // Fast model: whatlang, when it is sure on a long enough text and the
        // letters do not object.
        let covered = bits(left)
            .filter(|&i| LANGS[i].whatlang.is_some())
            .fold(0u64, |m, i| m | 1 << i);
        let uncovered_far = bits(left & !covered).all(|i| top - ll[i] >= UNCOVERED_BEHIND);
        let long = letters >= FAST_MIN_LETTERS;
        if covered != 0 && uncovered_far && (long || margin >= AGREE_MARGIN) {
            let w = self.whatlang(covered, &kept(), letters);
            if let Some(&(i, s)) = w.first()
                && ((long && s >= FAST_SURE && top - ll[i] <= 2.0)
                    || (i == ranked[0].0 && margin >= AGREE_MARGIN))
            {
                return done(
                    w.iter().map(|&(j, p)| (j, p * prior(j))).collect(),
                    Decider::FastModel,
                );
            }
        }
        // Second model, its confidences weighed by the letters and words.
        // On long text, where the second model is slow and the letters say
        // more, and on Cyrillic text, where they say much, only the closest
        // candidates go to it.
        let narrow = if letters >= SHORT || script == Script::Cyrillic || second == Ask::Closest {
            ranked
                .iter()
                .take(MAX_PLAUSIBLE)
                .filter(|r| top - r.1 <= PLAUSIBLE_LONG)
                .fold(0u64, |m, r| m | 1 << r.0)
        } else {
            left
        };
        let scores: Vec<(usize, f32)> =
            if second != Ask::Later && self.cfg.second_model && self.second.covers(narrow) {
                self.second.scores(narrow, &kept())
            } else {
                self.whatlang(left, &kept(), letters)
            };
        let weighed: Vec<(usize, f32)> = scores.iter().map(|&(i, p)| (i, p * prior(i))).collect();
        if weighed.iter().any(|s| s.1 > 0.0) {
            done(weighed, Decider::SecondModel)
        } else {
            done(
                ranked.iter().map(|&(i, _)| (i, prior(i))).collect(),
                Decider::SecondModel,
            )
        }
    }

    /// whatlang over the candidates it has models for: its pick gets a
    /// share that grows with whatlang's confidence and the text's length, the
    /// others split the rest.
    fn whatlang(&self, set: u64, text: &str, letters: usize) -> Vec<(usize, f32)> {
        let list: Vec<(usize, whatlang::Lang)> = bits(set)
            .filter_map(|i| LANGS[i].whatlang.map(|l| (i, l)))
            .collect();
        let found = self.fast_answers.get_or(set, text, || {
            Detector::with_allowlist(list.iter().map(|x| x.1).collect())
                .detect(text)
                .map(|info| (info.lang(), info.confidence()))
        });
        let Some((lang, confidence)) = found else {
            return Vec::new();
        };
        let k = list.len() as f32;
        let conf = confidence as f32 * (letters as f32 / SHORT as f32).min(1.0);
        let p = 1.0 / k + (1.0 - 1.0 / k) * conf;
        let mut out: Vec<(usize, f32)> = list
            .iter()
            .map(|&(i, l)| {
                if l == lang {
                    (i, p)
                } else {
                    (i, (1.0 - p) / (k - 1.0).max(1.0))
                }
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

impl Stage for Langid {
    fn name(&self) -> &'static str {
        "langid"
    }

    fn apply(&self, doc: &mut Document) {
        // Short paragraphs of a document with more text are weighed against
        // the document's languages first; the second model is asked only for
        // those the document does not settle.
        let context = doc
            .paragraphs
            .iter()
            .filter(|p| p.metadata.is_none())
            .count()
            > 1;
        let mut found: Vec<(usize, Detection, bool)> = Vec::new();
        for (k, p) in doc.paragraphs.iter().enumerate() {
            if p.metadata.is_none() {
                let d = self.detect_with(&p.text, if context { Ask::Later } else { Ask::Second });
                let deferred = context && d.decided_by == Decider::SecondModel && d.letters < SHORT;
                found.push((k, d, deferred));
            }
        }
        let tally = |found: &[(usize, Detection, bool)], doc: &Document| {
            let mut by_lang: Vec<(&'static str, usize, f32, &'static str)> = Vec::new();
            // Deferred paragraphs (still undecided) do not vote.
            for (k, d, deferred) in found {
                if *deferred || d.tag.code == "und" || doc.paragraphs[*k].removed.is_some() {
                    continue;
                }
                let w = d.letters;
                match by_lang.iter_mut().find(|e| e.0 == d.tag.code) {
                    Some(e) => {
                        e.1 += w;
                        e.2 += d.tag.score * w as f32;
                    }
                    None => by_lang.push((d.tag.code, w, d.tag.score * w as f32, d.tag.script)),
                }
            }
            by_lang
        };
        // Letters per language over kept paragraphs the document decides on
        // its own (deferred ones do not vote).
        let mut by_lang = tally(&found, doc);
        let mut from_doc = 0;
        let doc_top = by_lang
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|e| e.0);
        for (k, d, deferred) in found.iter_mut() {
            let agrees = doc_top.is_some_and(|top| top == d.tag.code);
            if *deferred && agrees {
                // The letters' favourite is the document's language.
                d.decided_by = Decider::Rules;
            } else if *deferred {
                // Only two readings are in question: the document's language
                // and the letters' favourite; the second model decides
                // between them.
                let text = &doc.paragraphs[*k].text;
                *d = match doc_top.and_then(|top| self.between(top, d.tag.code, d, text)) {
                    Some(two) => two,
                    None => self.detect_with(text, Ask::Closest),
                };
                if self.take_document_language(d, &by_lang) {
                    from_doc += 1;
                }
            } else if self.take_document_language(d, &by_lang) {
                from_doc += 1;
            }
            // Decided now: it votes in the document's final tally.
            *deferred = false;
        }
        by_lang = tally(&found, doc);
        let (mut und, mut fast, mut second) = (0, 0, 0);
        for (k, d, _) in found {
            und += usize::from(d.tag.code == "und");
            fast += usize::from(d.decided_by == Decider::FastModel);
            second += usize::from(d.decided_by == Decider::SecondModel);
            doc.paragraphs[k].lang = Some(d.tag);
        }
        for (key, n) in [
            ("und", und),
            ("fast_model", fast),
            ("second_model", second),
            ("from_document", from_doc),
        ] {
            if n > 0 {
                doc.changes.add("langid", key, n as u64);
            }
        }
        doc.lang = Some(
            by_lang
                .iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|&(code, n, weighted, script)| LangTag {
                    code,
                    score: weighted / n.max(1) as f32,
                    script,
                })
                .unwrap_or(LangTag::UNDETERMINED),
        );
    }
}

impl Langid {
    /// The second model's choice between languages `a` and `b` for `text`,
    /// when both are candidates of `d` and the model covers them.
    fn between(&self, a: &str, b: &str, d: &Detection, text: &str) -> Option<Detection> {
        if !self.cfg.second_model || a == b || !d.candidates.iter().any(|c| c.0 == a) {
            return None;
        }
        let ia = LANGS.iter().position(|l| l.code == a)?;
        let ib = LANGS.iter().position(|l| l.code == b)?;
        let set = (1u64 << ia) | (1u64 << ib);
        if !self.second.covers(set) {
            return None;
        }
        let scores = self.second.scores(set, text);
        let &(top, p) = scores.first()?;
        Some(Detection {
            tag: LangTag {
                code: LANGS[top].code,
                score: p,
                script: d.tag.script,
            },
            letters: d.letters,
            candidates: scores.iter().map(|&(i, p)| (LANGS[i].code, p)).collect(),
            decided_by: Decider::SecondModel,
        })
    }

    /// A short, weak paragraph takes the document's main language when its
    /// own candidates, weighed by the document's letter shares, favour it.
    /// Returns true when it relabelled `d`.
    fn take_document_language(
        &self,
        d: &mut Detection,
        by_lang: &[(&'static str, usize, f32, &'static str)],
    ) -> bool {
        let total: usize = by_lang.iter().map(|e| e.1).sum();
        let Some(&(code, n, _, script)) = by_lang
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        else {
            return false;
        };
        if d.letters >= SHORT || d.tag.score >= WEAK || d.tag.script != script {
            return false;
        }
        if d.tag.code == code || d.letters < self.cfg.min_letters {
            return false;
        }
        let Some(&(_, own)) = d.candidates.iter().find(|c| c.0 == code) else {
            return false;
        };
        // Prior: the document's letter shares, smoothed by the paragraph's
        // own letters so a one-paragraph document is not pulled by itself.
        let prior = |c: &str| {
            let m = by_lang.iter().find(|e| e.0 == c).map_or(0, |e| e.1);
            (m as f32 + 1.0) / (total as f32 + 2.0)
        };
        let z: f32 = d.candidates.iter().map(|(c, s)| s * prior(c)).sum();
        if z <= 0.0 {
            return false;
        }
        let post = own * prior(code) / z;
        let rival = d
            .candidates
            .iter()
            .map(|(c, s)| s * prior(c) / z)
            .fold(0.0f32, f32::max);
        if post >= rival && n > d.letters {
            d.tag.code = code;
            d.tag.score = post;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lid() -> Langid {
        Langid::new(&crate::config::Config::default().langid).unwrap()
    }

    fn check(text: &str, code: &str) {
        assert_eq!(lid().detect(text).0.code, code, "{text}");
    }

    #[test]
    fn cyrillic_by_letters() {
        check(
            "Держсекретар США каже, що дипломатичне вирішення кризи в Україні все ще можливе",
            "uk",
        );
        check(
            "Госсекретарь США считает, что дипломатическое решение кризиса всё ещё возможно",
            "ru",
        );
        check("Беларусь — краіна ў Усходняй Еўропе", "be");
    }

    #[test]
    fn english_and_und() {
        check(
            "The US secretary of state said a diplomatic resolution was still possible.",
            "en",
        );
        check("2022", "und");
    }

    fn words(text: &str, script: Script) -> Vec<(bool, String)> {
        let mut out = Vec::new();
        words_of(text, script, |w| {
            out.push(match w {
                Word::Ascii { text, start, len } => (
                    true,
                    String::from_utf8(text[start..start + len].to_ascii_lowercase()).unwrap(),
                ),
                Word::Text(t) => (false, t.to_owned()),
            })
        });
        out
    }

    #[test]
    fn ascii_words_come_whole_and_others_lower_cased() {
        let got = words(
            "Naïve CAFÉ owner’s x\u{0307}y Kyiv-based 12abc Ελλάδα über NATO",
            Script::Latin,
        );
        let want: Vec<(bool, String)> = [
            (false, "naïve"),
            (false, "café"),
            (true, "owner"),
            (true, "s"),
            (false, "xy"),
            (true, "kyiv"),
            (true, "based"),
            (true, "abc"),
            (false, "über"),
            (true, "nato"),
        ]
        .iter()
        .map(|&(a, w)| (a, w.to_owned()))
        .collect();
        assert_eq!(got, want);
        // In Cyrillic text, Latin look-alikes inside a Cyrillic word are read
        // as Cyrillic, Latin words are skipped, and no word comes as ASCII.
        let got = words("Київ, Paris, мiсто", Script::Cyrillic);
        assert_eq!(
            got,
            vec![(false, "київ".to_owned()), (false, "місто".to_owned())]
        );
    }

    #[test]
    fn the_default_languages_read_ascii_words_by_their_words_alone() {
        assert!(lid().ascii_plain);
    }

    #[test]
    fn unknown_code_is_an_error() {
        let mut c = crate::config::Config::default().langid;
        c.langs.push("xx".into());
        assert!(Langid::new(&c).unwrap_err().to_string().contains("\"xx\""));
    }
}
