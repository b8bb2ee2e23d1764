//! The whole pipeline on arbitrary bytes: one valid JSON line out, spans in
//! bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use textnorm::pipeline::{Body, Pipeline};

fuzz_target!(|data: &[u8]| {
    static P: std::sync::OnceLock<(Pipeline, textnorm::Config)> = std::sync::OnceLock::new();
    let (p, cfg) = P.get_or_init(|| {
        let cfg = textnorm::Config::default();
        (Pipeline::new(&cfg).expect("default pipeline"), cfg)
    });
    let doc = p.process("f".into(), "f".into(), Body::Bytes(data));
    let mut out = Vec::new();
    textnorm::emit::write_document(&doc, &cfg.output, &mut out);
    assert_eq!(memchr_count(&out), 1, "one line per document");
    let v: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    let n = v["text"].as_str().expect("text").chars().count() as u64;
    for s in v["paragraphs"].as_array().expect("paragraphs") {
        let (a, b) = (
            s["start"].as_u64().expect("start"),
            s["end"].as_u64().expect("end"),
        );
        assert!(a <= b && b <= n, "span {a}..{b} in {n}");
    }
});

fn memchr_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}
