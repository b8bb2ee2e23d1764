//! Encoding detection for bytes that are neither BOM-marked nor valid UTF-8.
//!
//! Every candidate code page (the legacy encodings of the Cyrillic and Latin
//! web: windows-1251, KOI8-R, KOI8-U, ISO-8859-5, IBM866, x-mac-cyrillic,
//! windows-1252, windows-1250, ISO-8859-2) is scored on the bytes directly,
//! through a 256-entry table per encoding, without decoding:
//!
//! - characters that real text hardly contains (controls, bytes the encoding
//!   leaves undefined, box drawing, rare symbols) cost points;
//! - so do shapes that only wrong decodings produce: an upper-case letter
//!   after a lower-case one (`моЯ`), Latin next to Cyrillic inside a word, a
//!   symbol between two letters (`пра»ї`) or glued to a word (`€ерусалим`,
//!   `врем€`), an apostrophe opening a word (`’ы`), and letters that are
//!   rare in real text but common in misreadings (`ґ`, `ќ`, `ŕ`);
//! - non-ASCII letters that no single language's alphabet explains cost a
//!   point each (French read as windows-1250 gives `č`, `ŕ` and `é` together).
//!
//! The lowest score wins; ties (the bytes present decode the same way) go to
//! the more common encoding. chardetng is asked only when no candidate looks
//! like text (another script, such as Greek or CJK). UTF-16 without a BOM is
//! recognised by its zero bytes.

use std::sync::OnceLock;

use encoding_rs::Encoding;

/// The candidates, in order of preference on a tie.
const CANDIDATES: [&Encoding; 9] = [
    encoding_rs::WINDOWS_1251,
    encoding_rs::KOI8_R,
    encoding_rs::KOI8_U,
    encoding_rs::ISO_8859_5,
    encoding_rs::IBM866,
    encoding_rs::X_MAC_CYRILLIC,
    encoding_rs::WINDOWS_1252,
    encoding_rs::WINDOWS_1250,
    encoding_rs::ISO_8859_2,
];

/// Lower-case non-ASCII letters of the languages the candidates serve. A
/// decoding whose letters no alphabet covers is penalised per letter.
const ALPHABETS: &[(&str, &str)] = &[
    ("ukr", "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"),
    ("rus", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
    ("bel", "абвгдеёжзійклмнопрстуўфхцчшыьэюя"),
    ("bul", "абвгдежзийклмнопрстуфхцчшщъьюя"),
    ("srp", "абвгдђежзијклљмнњопрстћуфхцчџш"),
    ("mkd", "абвгдѓежзѕијклљмнњопрстќуфхцчџш"),
    ("pol", "ąćęłńóśźż"),
    ("ces", "áčďéěíňóřšťúůýž"),
    ("slk", "áäčďéíĺľňóôŕšťúýž"),
    ("hrv slv bos", "čćđšž"),
    ("hun", "áéíóöőúüű"),
    ("ron", "ăâîșțşţ"),
    ("deu", "äöüß"),
    ("fra", "àâæçéèêëîïôœùûüÿ"),
    ("spa", "áéíñóúü"),
    ("por", "áâãàçéêíóôõú"),
    ("ita", "àèéìíîòóùú"),
    ("tur", "çğıöşü"),
    ("isl", "áðéíóúýþæö"),
    ("swe dan nob fin", "åäöéæøü"),
    ("lit", "ąčęėįšųūž"),
    ("lav", "āčēģīķļņšūž"),
    ("est", "äöõüšž"),
];

/// Points for one character that real text hardly contains.
const RARE: u32 = 3;
/// Points for a control character or a byte the encoding leaves undefined.
const CONTROL: u32 = 20;

/// What one byte decodes to, as far as scoring is concerned.
#[derive(Debug, Clone, Copy, Default)]
struct Info {
    /// Letter (any script).
    letter: bool,
    /// Upper-case letter.
    upper: bool,
    /// 1 Latin, 2 Cyrillic, 3 other; 0 for non-letters.
    script: u8,
    /// A non-ASCII non-letter other than an apostrophe.
    symbol: bool,
    /// An opening quote (`«`, `„`, `“`, `‘`, `‚`).
    opening: bool,
    /// An apostrophe (`'` or `’`).
    apostrophe: bool,
    /// Punctuation that may follow a word (`»`, `”`, `…`, dashes, `®`, `™`).
    closing: bool,
    /// Points for the character itself.
    cost: u32,
}

/// Scoring tables of one candidate.
struct Table {
    enc: &'static Encoding,
    /// The character of each byte (U+FFFD where undefined).
    chars: [char; 256],
    info: [Info; 256],
    /// Per alphabet: bit `b - 128` set when byte `b` is a letter outside it.
    outside: Vec<u128>,
}

fn tables() -> &'static [Table] {
    static T: OnceLock<Vec<Table>> = OnceLock::new();
    T.get_or_init(|| CANDIDATES.iter().map(|&e| Table::new(e)).collect())
}

impl Table {
    fn new(enc: &'static Encoding) -> Table {
        let mut chars = ['\u{FFFD}'; 256];
        let mut info = [Info::default(); 256];
        for b in 0..=255u8 {
            let one = [b];
            let (s, had_errors) = enc.decode_without_bom_handling(&one);
            let c = if had_errors {
                '\u{FFFD}'
            } else {
                s.chars().next().unwrap_or('\u{FFFD}')
            };
            chars[b as usize] = c;
            info[b as usize] = classify(c);
        }
        let outside = ALPHABETS
            .iter()
            .map(|(_, alpha)| {
                let mut mask = 0u128;
                for (b, &c) in chars.iter().enumerate().skip(128) {
                    if c.is_alphabetic() {
                        let lc = c.to_lowercase().next().unwrap_or(c);
                        if !alpha.contains(lc) {
                            mask |= 1 << (b - 128);
                        }
                    }
                }
                mask
            })
            .collect();
        Table {
            enc,
            chars,
            info,
            outside,
        }
    }
}

/// Symbols ordinary text uses (typography, currency, legal marks).
fn is_common_symbol(c: char) -> bool {
    matches!(
        c,
        '\u{A0}'
            | '«'
            | '»'
            | '—'
            | '–'
            | '…'
            | '‘'
            | '“'
            | '”'
            | '„'
            | '€'
            | '№'
            | '©'
            | '§'
            | '°'
            | '•'
            | '®'
            | '™'
            | '£'
            | '\u{AD}'
    )
}

fn classify(c: char) -> Info {
    let u = c as u32;
    if c.is_alphabetic() {
        let script = if u < 0x250 {
            1
        } else if (0x400..0x530).contains(&u) {
            2
        } else {
            3
        };
        return Info {
            letter: true,
            upper: c.is_uppercase(),
            script,
            cost: if script == 3 {
                RARE
            } else if matches!(
                c,
                'ґ' | 'Ґ'
                    | 'ŕ'
                    | 'Ŕ'
                    | 'ĺ'
                    | 'Ĺ'
                    | 'Ќ'
                    | 'ќ'
                    | 'Ѓ'
                    | 'ѓ'
                    | 'Ђ'
                    | 'ђ'
                    | 'Ћ'
                    | 'ћ'
                    | 'Џ'
                    | 'џ'
                    | 'Љ'
                    | 'љ'
                    | 'Њ'
                    | 'њ'
                    | 'Ѕ'
                    | 'ѕ'
            ) {
                // Rare letters that wrong decodings produce often:
                // x-mac-cyrillic's `і` reads as `ґ` in windows-1251, and its
                // capitals as `Ќ`, `Ђ`, ...; French `à` and `å` read as `ŕ`
                // and `ĺ` in windows-1250.
                1
            } else {
                0
            },
            ..Info::default()
        };
    }
    if c.is_ascii() {
        let control = c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C');
        return Info {
            cost: if control { CONTROL } else { 0 },
            apostrophe: c == '\'',
            ..Info::default()
        };
    }
    if c == '\u{FFFD}' || c.is_control() {
        return Info {
            symbol: true,
            cost: CONTROL,
            ..Info::default()
        };
    }
    Info {
        symbol: c != '’',
        opening: matches!(c, '«' | '„' | '“' | '‘' | '‚'),
        closing: matches!(
            c,
            '»' | '”'
                | '“'
                | '…'
                | '–'
                | '—'
                | '®'
                | '™'
                | '°'
                | '\u{A0}'
                | '\u{AD}'
                | '©'
                | '§'
        ),
        apostrophe: c == '’',
        cost: if is_common_symbol(c) || c == '’' {
            0
        } else {
            RARE
        },
        ..Info::default()
    }
}

/// The winning candidate and its confidence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Guess {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// Confidence in 0..=1.
    pub confidence: f32,
}

/// Scores one candidate: lower is better.
fn score(t: &Table, bytes: &[u8], alphabet: u32) -> u32 {
    let mut pts = 0u32;
    let mut prev = Info::default();
    let mut prev2 = Info::default();
    let mut prev_high = false;
    // Script of the last letter seen, and whether it was a decoded byte.
    let (mut last_script, mut last_high) = (0u8, false);
    for &b in bytes {
        let high = b >= 0x80;
        let cur = t.info[b as usize];
        // Pairs with an ASCII character on both sides are the same in every
        // candidate; only look at pairs that involve a decoded byte.
        if high || prev_high {
            pts += cur.cost;
            if prev.letter && cur.letter {
                if prev.script != cur.script {
                    pts += 3;
                } else if cur.upper && !prev.upper {
                    pts += 2;
                } else if cur.upper && high {
                    pts += 1;
                }
            }
            if prev.letter && cur.symbol && !cur.closing {
                // `врем€`: a symbol glued to a word's end.
                pts += 2;
            }
            if cur.letter && prev.apostrophe && !prev2.letter && prev_high {
                // `’ы`: an apostrophe opening a word.
                pts += 2;
            }
            if cur.letter && prev.symbol {
                if prev2.letter {
                    // `пра»ї`: a symbol inside a word.
                    pts += 2;
                } else if !prev.opening {
                    // `€ерусалим`, `–е`: a symbol glued to a word's start.
                    pts += 2;
                } else if !cur.upper {
                    pts += 1;
                }
            }
        }
        if (high || prev_high)
            && prev.apostrophe
            && prev2.letter
            && !prev2.upper
            && cur.letter
            && cur.upper
        {
            // `п'Ять`
            pts += 2;
        }
        if cur.letter {
            if (high || last_high) && last_script != 0 && cur.script != last_script {
                pts += 1;
            }
            last_script = cur.script;
            last_high = high;
        }
        prev2 = prev;
        prev = cur;
        prev_high = high;
    }
    pts + alphabet
}

/// The alphabet penalty: decoded letters outside the best-fitting alphabet.
fn alphabet_penalty(t: &Table, hist: &[u32; 128], present: u128) -> u32 {
    t.outside
        .iter()
        .map(|&mask| outside_count(mask & present, hist))
        .min()
        .unwrap_or(0)
}

/// A lower bound of [`score`] from the byte counts alone: the cost of each
/// decoded character, plus the alphabet penalty.
fn lower_bound(t: &Table, hist: &[u32; 128], present: u128, alphabet: u32) -> u32 {
    let mut n = alphabet;
    let mut m = present;
    while m != 0 {
        let i = m.trailing_zeros() as usize;
        n += hist[i] * t.info[i + 128].cost;
        m &= m - 1;
    }
    n
}

/// How many of the counted bytes have their bit set in `mask`.
fn outside_count(mask: u128, hist: &[u32; 128]) -> u32 {
    let mut n = 0;
    let mut m = mask;
    while m != 0 {
        n += hist[m.trailing_zeros() as usize];
        m &= m - 1;
    }
    n
}

/// Among candidates that score the same but decode differently, the one that
/// whatlang finds most like a language whose alphabet has all its letters
/// (`Tę zmianę wprowadzili radni` is Polish; `Tê zmianê` is nothing).
fn break_tie(tied: &[usize], bytes: &[u8], hist: &[u32; 128]) -> usize {
    let tables = tables();
    let mut best = (tied[0], f64::MIN);
    // A prefix is enough for whatlang, and keeps long documents fast.
    let bytes = &bytes[..bytes.len().min(400)];
    for &i in tied {
        let (text, _) = tables[i].enc.decode_without_bom_handling(bytes);
        let Some(info) = whatlang::detect(&text) else {
            continue;
        };
        let fits = ALPHABETS
            .iter()
            .position(|(codes, _)| codes.split(' ').any(|c| c == info.lang().code()))
            .is_some_and(|k| outside_count(tables[i].outside[k], hist) == 0);
        if fits && info.confidence() > best.1 {
            best = (i, info.confidence());
        }
    }
    best.0
}

/// Guesses the single-byte encoding of `bytes` (which are not valid UTF-8).
pub(crate) fn guess(bytes: &[u8]) -> Guess {
    if let Some(enc) = utf16_without_bom(bytes) {
        return Guess {
            encoding: enc,
            confidence: 0.9,
        };
    }
    let mut hist = [0u32; 128];
    for &b in bytes {
        if b >= 0x80 {
            hist[(b - 0x80) as usize] += 1;
        }
    }
    let high: u32 = hist.iter().sum();
    let tables = tables();
    // Branch and bound: a candidate's characters alone (and its alphabet
    // penalty) give a lower bound of its score; candidates whose bound is
    // above the best full score so far cannot win or tie, and are not scanned.
    let present = hist
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .fold(0u128, |m, (i, _)| m | 1 << i);
    let alphabets: Vec<u32> = tables
        .iter()
        .map(|t| alphabet_penalty(t, &hist, present))
        .collect();
    let bounds: Vec<u32> = tables
        .iter()
        .zip(&alphabets)
        .map(|(t, &a)| lower_bound(t, &hist, present, a))
        .collect();
    let mut order: Vec<usize> = (0..tables.len()).collect();
    order.sort_by_key(|&i| (bounds[i], i));
    let mut scores = vec![u32::MAX; tables.len()];
    let mut best_so_far = u32::MAX;
    for &i in &order {
        if bounds[i] > best_so_far {
            break;
        }
        scores[i] = score(&tables[i], bytes, alphabets[i]);
        best_so_far = best_so_far.min(scores[i]);
    }
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s < scores[best] {
            best = i;
        }
    }
    let same = |a: &Table, b: &Table| {
        let mut m = present;
        while m != 0 {
            let i = m.trailing_zeros() as usize;
            if a.chars[i + 128] != b.chars[i + 128] {
                return false;
            }
            m &= m - 1;
        }
        true
    };
    let best_score = scores[best];
    let tied: Vec<usize> = (0..tables.len())
        .filter(|&i| scores[i] == best_score)
        .filter(|&i| i == best || !same(&tables[i], &tables[best]))
        .collect();
    if tied.len() > 1 {
        best = break_tie(&tied, bytes, &hist);
    }
    // No candidate looks like text: another script; let chardetng decide.
    if high > 0 && best_score > 2 * high {
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        det.feed(bytes, true);
        let enc = det.guess(None, chardetng::Utf8Detection::Allow);
        if !CANDIDATES.contains(&enc) {
            return Guess {
                encoding: enc,
                confidence: 0.3,
            };
        }
    }
    // The runner-up that decodes these bytes differently.
    let second = scores
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != best && !same(&tables[i], &tables[best]))
        .map(|(_, &s)| s)
        .min();
    let margin = match second {
        Some(s) => s.saturating_sub(best_score) as f32 / high.max(1) as f32,
        None => 1.0,
    };
    Guess {
        encoding: tables[best].enc,
        confidence: (0.5 + margin / 2.0).min(1.0),
    }
}

/// UTF-16 without a BOM: every other byte is zero (Latin text) or the code
/// units repeat a few high bytes (Cyrillic: 0x04), and the whole decodes to
/// ordinary text.
pub(crate) fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    // The high byte of each code unit: 0x00 for Latin, 0x04 for Cyrillic.
    let lowish = |start: usize| {
        bytes
            .iter()
            .skip(start)
            .step_by(2)
            .filter(|&&b| b == 0 || b == 4)
            .count()
            * 2
            >= bytes.len() / 2
    };
    for (enc, high_at) in [(encoding_rs::UTF_16LE, 1), (encoding_rs::UTF_16BE, 0)] {
        if !lowish(high_at) {
            continue;
        }
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if had_errors {
            continue;
        }
        let mut n = 0usize;
        let mut good = 0usize;
        for c in text.chars() {
            n += 1;
            let u = c as u32;
            let ok = (c.is_ascii() && (!c.is_ascii_control() || matches!(c, '\n' | '\r' | '\t')))
                || (0xA0..0x250).contains(&u)
                || (0x370..0x530).contains(&u)
                || (0x2000..0x2070).contains(&u)
                || c == '€'
                || c == '№';
            good += usize::from(ok);
        }
        if n > 0 && good * 100 >= n * 98 {
            return Some(enc);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, enc: &'static Encoding) {
        let (bytes, _, unmappable) = enc.encode(text);
        assert!(!unmappable, "{text} is not representable in {}", enc.name());
        let g = guess(&bytes);
        let (got, _) = g.encoding.decode_without_bom_handling(&bytes);
        assert_eq!(
            got,
            text,
            "guessed {} for {}",
            g.encoding.name(),
            enc.name()
        );
    }

    #[test]
    fn cyrillic_code_pages() {
        let uk = "Мова це жива річ: її слова з'являються, змінюються і зникають.";
        let ru = "Ещё одна съёмка прошла в Москве, и зрители её увидят уже в январе.";
        for enc in [
            encoding_rs::WINDOWS_1251,
            encoding_rs::KOI8_U,
            encoding_rs::ISO_8859_5,
            encoding_rs::X_MAC_CYRILLIC,
        ] {
            check(uk, enc);
            check(ru, enc);
        }
        check(ru, encoding_rs::KOI8_R);
        check(ru, encoding_rs::IBM866);
    }

    #[test]
    fn short_russian_in_windows_1251_and_mac() {
        for s in [
            "Один раз я её в городе такой и видела.",
            "Ты веришь мне?",
            "И время полетело.",
        ] {
            check(s, encoding_rs::WINDOWS_1251);
            check(s, encoding_rs::X_MAC_CYRILLIC);
        }
    }

    #[test]
    fn koi8u_is_not_read_as_koi8r() {
        let uk = "Їжак і єнот";
        let (bytes, _, _) = encoding_rs::KOI8_U.encode(uk);
        assert_eq!(guess(&bytes).encoding, encoding_rs::KOI8_U);
    }

    #[test]
    fn latin_code_pages() {
        check(
            "Où est l’hôtel ? Très près de l’église, à gauche.",
            encoding_rs::WINDOWS_1252,
        );
        check(
            "Die Straße in München ist gesperrt.",
            encoding_rs::WINDOWS_1252,
        );
        let pl = "Zażółć gęślą jaźń, Łódź i Świętokrzyskie.";
        check(pl, encoding_rs::WINDOWS_1250);
        check(pl, encoding_rs::ISO_8859_2);
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "Київ, 24 лютого";
        let mut le = Vec::new();
        let mut be = Vec::new();
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(guess(&le).encoding, encoding_rs::UTF_16LE);
        assert_eq!(guess(&be).encoding, encoding_rs::UTF_16BE);
    }
}
