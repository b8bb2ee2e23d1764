//! Stage 4, `langid`: the language of every paragraph, and of the document.
//!
//! 1. Script first: letters are counted per script; the paragraph's script is
//!    the one with most letters.
//! 2. Cyrillic: letters that belong to one language only decide (Ukrainian
//!    і ї є ґ, Russian ы э ъ ё, Belarusian ў, Serbian ђ ј љ њ ћ џ, Kazakh
//!    ә ғ қ ң ө ұ ү һ); without them whatlang chooses among the allowed
//!    Cyrillic languages.
//! 3. Other scripts: whatlang with the allowlist applied before scoring.
//! 4. A paragraph with fewer than `min_letters` letters, or a score below
//!    `threshold`, is `und`.
//!
//! The document's language is the one with most letters over its kept
//! paragraphs.
//!
//! Counters (`changes.langid`): `und` (paragraphs left undetermined).

use serde::{Deserialize, Serialize};
use whatlang::{Detector, Lang};

use crate::document::{Document, LangTag};
use crate::error::{Error, Result};
use crate::stages::Stage;

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
}

/// ISO 639-1 codes (where they exist) and whatlang's languages.
const CODES: &[(&str, Option<Lang>)] = &[
    ("en", Some(Lang::Eng)),
    ("uk", Some(Lang::Ukr)),
    ("ru", Some(Lang::Rus)),
    ("be", Some(Lang::Bel)),
    ("bg", Some(Lang::Bul)),
    ("sr", Some(Lang::Srp)),
    ("mk", Some(Lang::Mkd)),
    ("kk", None),
    ("pl", Some(Lang::Pol)),
    ("cs", Some(Lang::Ces)),
    ("sk", Some(Lang::Slk)),
    ("sl", Some(Lang::Slv)),
    ("hr", Some(Lang::Hrv)),
    ("de", Some(Lang::Deu)),
    ("fr", Some(Lang::Fra)),
    ("es", Some(Lang::Spa)),
    ("it", Some(Lang::Ita)),
    ("pt", Some(Lang::Por)),
    ("nl", Some(Lang::Nld)),
    ("ro", Some(Lang::Ron)),
    ("hu", Some(Lang::Hun)),
    ("tr", Some(Lang::Tur)),
    ("lt", Some(Lang::Lit)),
    ("lv", Some(Lang::Lav)),
    ("et", Some(Lang::Est)),
    ("fi", Some(Lang::Fin)),
    ("sv", Some(Lang::Swe)),
    ("da", Some(Lang::Dan)),
    ("no", Some(Lang::Nob)),
    ("el", Some(Lang::Ell)),
    ("ka", Some(Lang::Kat)),
    ("hy", Some(Lang::Hye)),
    ("he", Some(Lang::Heb)),
    ("ar", Some(Lang::Ara)),
    ("fa", Some(Lang::Pes)),
    ("hi", Some(Lang::Hin)),
    ("zh", Some(Lang::Cmn)),
    ("ja", Some(Lang::Jpn)),
    ("ko", Some(Lang::Kor)),
    ("az", Some(Lang::Aze)),
    ("uz", Some(Lang::Uzb)),
];

/// The static code for a configured language code, if supported.
pub fn known_code(code: &str) -> Option<&'static str> {
    CODES.iter().find(|(c, _)| *c == code).map(|(c, _)| *c)
}

fn code_of(lang: Lang) -> &'static str {
    CODES
        .iter()
        .find(|(_, l)| *l == Some(lang))
        .map(|(c, _)| *c)
        .unwrap_or_else(|| lang.code())
}

/// The langid stage.
#[derive(Debug, Clone)]
pub struct Langid {
    cfg: LangidConfig,
    allowed: Vec<&'static str>,
    detector: Option<Detector>,
    cyrillic: Option<Detector>,
}

impl Langid {
    /// Builds the stage; an unknown language code is an error naming it.
    pub fn new(cfg: &LangidConfig) -> Result<Self> {
        let mut allowed = Vec::new();
        for c in &cfg.langs {
            let code = known_code(c.trim()).ok_or_else(|| {
                Error::UnknownLanguage(
                    c.clone(),
                    CODES.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(" "),
                )
            })?;
            allowed.push(code);
        }
        let wl = |filter: &dyn Fn(Lang) -> bool| {
            let v: Vec<Lang> = allowed
                .iter()
                .filter_map(|c| CODES.iter().find(|(k, _)| k == c).and_then(|(_, l)| *l))
                .filter(|l| filter(*l))
                .collect();
            (!v.is_empty()).then(|| Detector::with_allowlist(v))
        };
        let detector = wl(&|_| true);
        let cyrillic = wl(&|l| {
            matches!(
                l,
                Lang::Ukr | Lang::Rus | Lang::Bel | Lang::Bul | Lang::Srp | Lang::Mkd
            )
        });
        Ok(Langid {
            cfg: cfg.clone(),
            allowed,
            detector,
            cyrillic,
        })
    }

    fn allows(&self, code: &str) -> bool {
        self.allowed.contains(&code)
    }

    /// Labels one text, returning the tag and its letter count.
    pub fn detect(&self, text: &str) -> (LangTag, usize) {
        let counts = ScriptCounts::of(text);
        let (script, letters) = counts.dominant();
        if letters < self.cfg.min_letters {
            return (
                LangTag {
                    script,
                    ..LangTag::UNDETERMINED
                },
                letters,
            );
        }
        let und = LangTag {
            script,
            ..LangTag::UNDETERMINED
        };
        if script == "Cyrillic" {
            if let Some(code) = self.cyrillic_by_letters(text) {
                return (
                    LangTag {
                        code,
                        score: 0.99,
                        script,
                    },
                    letters,
                );
            }
            return match self.cyrillic.as_ref().and_then(|d| d.detect(text)) {
                Some(info) => (self.tag(info, script), letters),
                None => (und, letters),
            };
        }
        match self.detector.as_ref().and_then(|d| d.detect(text)) {
            Some(info) if info.script().name() == script || script == "Latin" => {
                (self.tag(info, script), letters)
            }
            _ => (und, letters),
        }
    }

    fn tag(&self, info: whatlang::Info, script: &'static str) -> LangTag {
        let score = info.confidence() as f32;
        if score < self.cfg.threshold {
            return LangTag {
                script,
                ..LangTag::UNDETERMINED
            };
        }
        LangTag {
            code: code_of(info.lang()),
            score,
            script,
        }
    }

    /// Decides by letters unique to one language, among the allowed ones.
    fn cyrillic_by_letters(&self, text: &str) -> Option<&'static str> {
        let mut hits = [0usize; 5]; // uk ru be sr kk
        for c in text.chars().flat_map(char::to_lowercase) {
            match c {
                'ї' | 'є' | 'ґ' => hits[0] += 2,
                'і' => {
                    hits[0] += 1;
                    hits[2] += 1;
                    hits[4] += 1;
                }
                'ы' | 'э' => {
                    hits[1] += 1;
                    hits[2] += 1;
                    hits[4] += 1;
                }
                'ъ' | 'ё' => hits[1] += 1,
                'ў' => hits[2] += 3,
                'ђ' | 'ј' | 'љ' | 'њ' | 'ћ' | 'џ' => hits[3] += 3,
                'ә' | 'ғ' | 'қ' | 'ң' | 'ө' | 'ұ' | 'ү' | 'һ' => hits[4] += 3,
                _ => {}
            }
        }
        let codes = ["uk", "ru", "be", "sr", "kk"];
        let (best, &n) = hits
            .iter()
            .enumerate()
            .filter(|(i, _)| self.allows(codes[*i]))
            .max_by_key(|(_, n)| **n)?;
        // `ъ` alone is also Bulgarian; let the model decide then.
        (n >= 2 || (n == 1 && best != 1)).then_some(codes[best])
    }
}

/// Script names as `'static` strings.
const SCRIPT_NAMES: &[&str] = &[
    "Latin",
    "Cyrillic",
    "Arabic",
    "Devanagari",
    "Hiragana",
    "Katakana",
    "Ethiopic",
    "Hebrew",
    "Bengali",
    "Georgian",
    "Mandarin",
    "Hangul",
    "Greek",
    "Kannada",
    "Tamil",
    "Thai",
    "Gujarati",
    "Gurmukhi",
    "Telugu",
    "Malayalam",
    "Oriya",
    "Myanmar",
    "Sinhala",
    "Khmer",
    "Armenian",
];

fn script_name(s: whatlang::Script) -> &'static str {
    SCRIPT_NAMES
        .iter()
        .find(|n| **n == s.name())
        .copied()
        .unwrap_or("Other")
}

/// Letters per script.
#[derive(Debug, Default)]
struct ScriptCounts {
    latin: usize,
    cyrillic: usize,
    other: Vec<(&'static str, usize)>,
}

impl ScriptCounts {
    fn of(text: &str) -> Self {
        let mut s = ScriptCounts::default();
        for c in text.chars() {
            if c.is_ascii_alphabetic() {
                s.latin += 1;
            } else if c.is_ascii() || !c.is_alphabetic() {
                continue;
            } else if ('\u{0400}'..='\u{052F}').contains(&c) {
                s.cyrillic += 1;
            } else if ('\u{00C0}'..='\u{024F}').contains(&c)
                || ('\u{1E00}'..='\u{1EFF}').contains(&c)
            {
                s.latin += 1;
            } else {
                let name = whatlang::detect_script(c.encode_utf8(&mut [0; 4]))
                    .map(script_name)
                    .unwrap_or("Other");
                match s.other.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, k)) => *k += 1,
                    None => s.other.push((name, 1)),
                }
            }
        }
        s
    }

    fn dominant(&self) -> (&'static str, usize) {
        let total = self.latin + self.cyrillic + self.other.iter().map(|(_, n)| n).sum::<usize>();
        let mut best = ("none", 0);
        for (name, n) in [("Latin", self.latin), ("Cyrillic", self.cyrillic)]
            .into_iter()
            .chain(self.other.iter().copied())
        {
            if n > best.1 {
                best = (name, n);
            }
        }
        (best.0, total)
    }
}

impl Stage for Langid {
    fn name(&self) -> &'static str {
        "langid"
    }

    fn apply(&self, doc: &mut Document) {
        let mut by_lang: Vec<(&'static str, usize, f32, &'static str)> = Vec::new();
        let mut und = 0;
        for p in doc.paragraphs.iter_mut().filter(|p| p.metadata.is_none()) {
            let (tag, letters) = self.detect(&p.text);
            if tag.code == "und" {
                und += 1;
            } else if p.removed.is_none() {
                match by_lang.iter_mut().find(|(c, ..)| *c == tag.code) {
                    Some(e) => {
                        e.1 += letters;
                        e.2 += tag.score * letters as f32;
                    }
                    None => {
                        by_lang.push((tag.code, letters, tag.score * letters as f32, tag.script))
                    }
                }
            }
            p.lang = Some(tag);
        }
        if und > 0 {
            doc.changes.add("langid", "und", und);
        }
        doc.lang = Some(
            by_lang
                .iter()
                .max_by_key(|e| e.1)
                .map(|&(code, n, weighted, script)| LangTag {
                    code,
                    score: weighted / n.max(1) as f32,
                    script,
                })
                .unwrap_or(LangTag::UNDETERMINED),
        );
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

    #[test]
    fn unknown_code_is_an_error() {
        let mut c = crate::config::Config::default().langid;
        c.langs.push("xx".into());
        assert!(Langid::new(&c).unwrap_err().to_string().contains("\"xx\""));
    }
}
