//! The config loader on arbitrary text: an error or a config that builds a
//! pipeline, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(cfg) = textnorm::Config::with_overlay(text, "fuzz.toml") {
        // Table files named by the input are not read: only the defaults'.
        if cfg.boilerplate.rules_file.is_some() || cfg.translit.table_file.is_some() {
            return;
        }
        if let Ok(p) = textnorm::Pipeline::new(&cfg) {
            let doc = p.process(
                "f".into(),
                "f".into(),
                textnorm::pipeline::Body::Text("Talks in Kiev.\n\nSign up now"),
            );
            let mut out = Vec::new();
            textnorm::emit::write_document(&doc, &cfg.output, &mut out);
        }
    }
});
