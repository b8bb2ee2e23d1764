//! The JSONL reader on arbitrary bytes: every non-blank line gives exactly
//! one record or one reject, rejects keep the line verbatim, and records
//! go through the pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;
use textnorm::input::{self, Item};

fuzz_target!(|data: &[u8]| {
    static P: std::sync::OnceLock<(textnorm::Pipeline, textnorm::Config)> =
        std::sync::OnceLock::new();
    let (p, cfg) = P.get_or_init(|| {
        let mut cfg = textnorm::Config::default();
        cfg.input.max_doc_bytes = 4096;
        cfg.input.max_paragraph_bytes = 1024;
        (
            textnorm::Pipeline::new(&cfg).expect("default pipeline"),
            cfg,
        )
    });
    // The lines the reader must answer for: every line over the limit
    // (with its line break), and every other line that is not blank.
    let limit = cfg.input.max_doc_bytes as usize;
    let mut lines: Vec<(&[u8], bool)> = Vec::new();
    let mut expected_spill = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (line, with_nl) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        rest = &rest[with_nl..];
        let over = with_nl > limit + 1;
        if over {
            expected_spill.extend_from_slice(line);
        }
        let bare = line.strip_suffix(b"\r").unwrap_or(line);
        if over || !bare.iter().all(u8::is_ascii_whitespace) {
            lines.push((bare, over));
        }
    }
    let mut items = Vec::new();
    let mut spilled = Vec::new();
    input::read_reader_with(
        &mut &data[..],
        "f",
        true,
        &cfg.input,
        &mut |i| {
            items.push(i);
            Ok(())
        },
        &mut |c| {
            spilled.extend_from_slice(c);
            Ok(())
        },
    )
    .expect("reading a slice cannot fail");
    assert_eq!(items.len(), lines.len(), "one item per non-blank line");
    assert!(
        spilled == expected_spill,
        "over-long lines are handed over whole"
    );
    for (item, (line, over)) in items.into_iter().zip(lines) {
        match item {
            Item::Record(r) => {
                assert!(!over);
                let doc = p.process_record(r, None);
                let mut out = Vec::new();
                textnorm::emit::write_document(&doc, &cfg.output, &mut out);
                serde_json::from_slice::<serde_json::Value>(&out).expect("valid JSON");
            }
            Item::Reject(r) => match r.raw {
                Some(raw) => assert_eq!(raw, line),
                None => assert!(over, "only an over-long line is not kept"),
            },
            Item::Error(e) => panic!("no I/O error on a slice: {e}"),
        }
    }
});
