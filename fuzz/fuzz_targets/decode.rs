//! The decoder on arbitrary bytes: never panics, always gives text, and
//! reports the encoding it used.
#![no_main]

use libfuzzer_sys::fuzz_target;
use textnorm::decode::Decoder;
use textnorm::report::Changes;

fuzz_target!(|data: &[u8]| {
    static DECODER: std::sync::OnceLock<Decoder> = std::sync::OnceLock::new();
    let d = DECODER.get_or_init(|| {
        Decoder::new(&textnorm::Config::default().decode).expect("default decoder")
    });
    let mut changes = Changes::default();
    let out = d.decode(data, &mut changes);
    assert!((0.0..=1.0).contains(&out.confidence));
    if data.is_empty() {
        assert!(out.text.is_empty());
    }
});
