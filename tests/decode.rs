//! The decode stage on the small cases in `fixtures/decode/`: encoding
//! detection (`encodings.jsonl` + `encodings/`), mojibake repair of every kind
//! (`mojibake.jsonl`) and text that is right and must stay as it is
//! (`negatives.txt`).

use std::path::{Path, PathBuf};

use textnorm::config::Config;
use textnorm::decode::{DecodeConfig, Decoder};
use textnorm::pipeline::{Body, Pipeline};
use textnorm::report::Changes;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/decode")
}

fn decoder(mojibake: bool) -> Decoder {
    Decoder::new(&DecodeConfig {
        encoding: "auto".into(),
        mojibake,
    })
    .expect("auto decoder")
}

fn jsonl(name: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(fixtures().join(name))
        .expect("fixture file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("fixture line is JSON"))
        .collect()
}

#[test]
fn every_encoding_fixture_decodes_exactly() {
    let d = decoder(true);
    let cases = jsonl("encodings.jsonl");
    assert!(cases.len() >= 20);
    for c in cases {
        let file = c["file"].as_str().unwrap();
        let bytes = std::fs::read(fixtures().join("encodings").join(file)).unwrap();
        let mut ch = Changes::default();
        let out = d.decode(&bytes, &mut ch);
        assert_eq!(
            out.text,
            c["text"].as_str().unwrap(),
            "{file}: decoded as {}",
            out.encoding.name()
        );
        assert_eq!(ch.get("decode", "replaced"), 0, "{file}");
        assert!(
            ch.stage("decode")
                .is_some_and(|m| m.contains_key("replaced"))
        );
        assert!((0.0..=1.0).contains(&out.confidence));
    }
}

#[test]
fn ukrainian_koi8u_and_mac_cyrillic_are_named() {
    let d = decoder(false);
    for (file, name) in [
        ("koi8-u-0.txt", "KOI8-U"),
        ("x-mac-cyrillic-0.txt", "x-mac-cyrillic"),
        ("utf-16le.txt", "UTF-16LE"),
        ("windows-1250-short.txt", "windows-1250"),
    ] {
        let bytes = std::fs::read(fixtures().join("encodings").join(file)).unwrap();
        let out = d.decode(&bytes, &mut Changes::default());
        assert_eq!(out.encoding.name(), name, "{file}");
    }
}

#[test]
fn forced_encoding_wins_and_replacements_are_counted() {
    let d = Decoder::new(&DecodeConfig {
        encoding: "utf-8".into(),
        mojibake: true,
    })
    .unwrap();
    let mut ch = Changes::default();
    let out = d.decode(b"ab\xFFcd\xFE", &mut ch);
    assert_eq!(out.encoding.name(), "UTF-8");
    assert_eq!(out.text, "ab\u{FFFD}cd\u{FFFD}");
    assert_eq!(ch.get("decode", "replaced"), 2);
}

#[test]
fn mostly_utf8_with_a_broken_byte_stays_utf8() {
    let mut bytes = "Київ — столиця України, де живуть мільйони людей."
        .as_bytes()
        .to_vec();
    // After `Київ` (8 bytes), between two characters.
    bytes.insert(8, 0xFF);
    let mut ch = Changes::default();
    let out = decoder(true).decode(&bytes, &mut ch);
    assert_eq!(out.encoding.name(), "UTF-8");
    assert_eq!(ch.get("decode", "replaced"), 1);
}

#[test]
fn every_mojibake_kind_is_repaired_and_counted() {
    let d = decoder(true);
    let cases = jsonl("mojibake.jsonl");
    let mut kinds = std::collections::BTreeSet::new();
    for c in cases {
        let kind = c["kind"].as_str().unwrap();
        let broken = c["broken"].as_str().unwrap();
        let fixed = c["fixed"].as_str().unwrap();
        assert_ne!(broken, fixed);
        let mut ch = Changes::default();
        let got = d.repair(broken.to_owned(), &mut ch);
        assert_eq!(got, fixed, "{kind}: {broken:?}");
        assert!(
            ch.get("decode", &format!("mojibake.{kind}")) > 0,
            "{kind} not counted: {ch:?}"
        );
        kinds.insert(kind.to_owned());
    }
    assert_eq!(kinds.len(), 13, "{kinds:?}");
}

#[test]
fn right_text_is_never_changed() {
    let d = decoder(true);
    let text = std::fs::read_to_string(fixtures().join("negatives.txt")).unwrap();
    for line in text.lines() {
        let mut ch = Changes::default();
        assert_eq!(d.repair(line.to_owned(), &mut ch), line);
        assert!(ch.is_empty(), "{line}: {ch:?}");
    }
    // The whole file at once, too (support from one line must not spill over).
    assert_eq!(d.repair(text.clone(), &mut Changes::default()), text);
}

#[test]
fn repair_can_be_switched_off() {
    let broken = "donâ€™t";
    assert_eq!(
        decoder(false).repair(broken.to_owned(), &mut Changes::default()),
        broken
    );
    assert_eq!(
        decoder(true).repair(broken.to_owned(), &mut Changes::default()),
        "don’t"
    );
}

#[test]
fn jsonl_text_skips_detection_but_not_repair() {
    let p = Pipeline::new(&Config::default()).unwrap();
    let doc = p.process(
        "a".into(),
        "-".into(),
        Body::Text("Р”РµСЂР¶СЃРµРєСЂРµС‚Р°СЂ РЎРЁРђ РїСЂРёР±СѓРІ РґРѕ РљРёС”РІР°."),
    );
    assert_eq!(doc.encoding, None);
    assert_eq!(doc.paragraphs[0].text, "Держсекретар США прибув до Києва.");
    assert!(doc.changes.get("decode", "mojibake.utf8_as_cp1251") > 0);
}

#[test]
fn seeds_are_left_as_they_are() {
    let d = decoder(true);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    for e in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        let mut ch = Changes::default();
        let out = d.decode(&bytes, &mut ch);
        assert_eq!(out.encoding.name(), "UTF-8");
        assert_eq!(
            out.text.as_bytes(),
            bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)
        );
        assert_eq!(ch.get("decode", "replaced"), 0);
    }
}

#[test]
fn c1_controls_are_repaired_in_unicode_text_but_kept_in_decoded_bytes() {
    // The same line as a JSON string and as a UTF-8 file.
    let line = "Er sagte \u{84}ja\u{93} und ging.";
    let d = decoder(true);
    let mut ch = Changes::default();
    assert_eq!(
        d.repair(line.to_owned(), &mut ch),
        "Er sagte „ja“ und ging."
    );
    assert_eq!(ch.get("decode", "mojibake.c1_controls"), 1);
    let mut ch = Changes::default();
    assert_eq!(d.decode(line.as_bytes(), &mut ch).text, line);
    assert!(
        !ch.stage("decode")
            .is_some_and(|m| m.keys().any(|k| k.starts_with("mojibake")))
    );
}
