//! Properties that hold for any input.

use proptest::prelude::*;
use textnorm::config::{Config, OutputConfig};
use textnorm::pipeline::{Body, Pipeline};
use textnorm::{emit, stages::translit};

fn pipeline() -> &'static Pipeline {
    static P: std::sync::OnceLock<Pipeline> = std::sync::OnceLock::new();
    P.get_or_init(|| Pipeline::new(&Config::default()).expect("default pipeline"))
}

fn output_cfg() -> OutputConfig {
    Config::default().output
}

/// Text made of news-like pieces, odd characters and paragraph breaks.
fn newsish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Kiev".to_owned()),
        Just("Zelensky".to_owned()),
        Just("the Ukraine".to_owned()),
        Just("Київ".to_owned()),
        Just("[Ukraine](#)".to_owned()),
        Just("https://example.com/Kiev".to_owned()),
        Just("Sign up now for unlimited free access to".to_owned()),
        Just(" read more".to_owned()),
        Just("\n\n".to_owned()),
        Just("\n".to_owned()),
        Just("  ".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("\u{200b}".to_owned()),
        Just("e\u{301}".to_owned()),
        Just("â€™".to_owned()),
        Just(".".to_owned()),
        Just("20220107".to_owned()),
        "[a-zA-Z]{1,8}",
        "[а-яіїєґА-Я]{1,8}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_give_one_valid_record(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let doc = pipeline().process("x".into(), "x".into(), Body::Bytes(&bytes));
        let mut out = Vec::new();
        emit::write_document(&doc, &output_cfg(), &mut out);
        prop_assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1);
        prop_assert!(out.ends_with(b"\n"));
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        prop_assert!(v.is_object());
    }

    #[test]
    fn spans_are_ordered_and_in_bounds(text in newsish()) {
        let doc = pipeline().process("x".into(), "x".into(), Body::Text(&text));
        let mut out = Vec::new();
        emit::write_document(&doc, &output_cfg(), &mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let chars: Vec<char> = v["text"].as_str().unwrap().chars().collect();
        let mut last_end = 0;
        let mut last_index = None;
        for p in v["paragraphs"].as_array().unwrap() {
            let (s, e) = (p["start"].as_u64().unwrap() as usize, p["end"].as_u64().unwrap() as usize);
            prop_assert!(last_end <= s && s <= e && e <= chars.len());
            let idx = p["index"].as_u64().unwrap();
            prop_assert!(last_index.is_none_or(|l| l < idx));
            last_index = Some(idx);
            last_end = e;
            let para: String = chars[s..e].iter().collect();
            prop_assert_eq!(para.trim(), para.as_str());
        }
    }

    #[test]
    fn output_is_a_fixed_point(text in newsish()) {
        let once = emit::document_text(&pipeline().process("x".into(), "x".into(), Body::Text(&text)), false);
        let twice = emit::document_text(&pipeline().process("x".into(), "x".into(), Body::Text(&once)), false);
        // A document without a blank line is read line by line, so an output
        // of one paragraph with line breaks is read differently the second
        // time (documented in README); every other output is a fixed point.
        prop_assume!(once.contains("\n\n") || !once.contains('\n'));
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn translit_never_changes_a_url(word in "(Kiev|Odessa|Zelensky|Kharkov)", path in "[a-z]{0,6}") {
        let t = translit::Translit::new(&Config::default().translit, false).unwrap();
        let url = format!("https://news.example/{path}/{word}?q={word}");
        let text = format!("In {word}, see {url} for more.");
        let out = t.rewrite(&text).map(|(s, _)| s).unwrap_or(text);
        prop_assert!(out.contains(&url), "{}", out);
    }
}
