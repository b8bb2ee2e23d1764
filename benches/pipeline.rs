//! Per-stage micro-benchmarks on the seed documents (`fixtures/seeds`).
//!
//! Each stage runs on a copy of the document as the stages before it left
//! it, so a figure is the cost of that stage alone. Throughput is in bytes
//! of the fixture's text. `cargo bench --bench pipeline`.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use textnorm::config::Config;
use textnorm::decode::Decoder;
use textnorm::document::Document;
use textnorm::pipeline::{Body, Pipeline};
use textnorm::report::Changes;
use textnorm::segment::{Header, Segmenter};
use textnorm::stages::{
    Stage, boilerplate::Boilerplate, langid::Langid, stem::Stem, translit::Translit,
    unicode::Unicode,
};

/// The five seed documents, one after the other, as one document.
fn fixture() -> Vec<u8> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/seeds")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        out.extend(std::fs::read(p).expect("seed"));
        out.extend_from_slice(b"\n\n");
    }
    out
}

/// The stages after `segment`, in pipeline order, with their bench names
/// (the header reader counts under `segment` in `--stats`).
fn stages(cfg: &Config) -> Vec<(&'static str, Box<dyn Stage>)> {
    vec![
        ("unicode", Box::new(Unicode::new(&cfg.unicode))),
        (
            "langid",
            Box::new(Langid::new(&cfg.langid).expect("langid")),
        ),
        (
            "boilerplate",
            Box::new(Boilerplate::new(&cfg.boilerplate).expect("boilerplate")),
        ),
        (
            "translit",
            Box::new(Translit::new(&cfg.translit, false).expect("translit")),
        ),
        ("header", Box::new(Header(Segmenter::new(&cfg.segment)))),
        ("stem", Box::new(Stem::new(&cfg.stem).expect("stem"))),
    ]
}

fn bench(c: &mut Criterion) {
    let cfg = Config::default();
    let bytes = fixture();
    let mut g = c.benchmark_group("stage");
    g.throughput(Throughput::Bytes(bytes.len() as u64));

    let decoder = Decoder::new(&cfg.decode).expect("decoder");
    g.bench_function("decode", |b| {
        b.iter(|| {
            let d = decoder.decode(black_box(&bytes), &mut Changes::default());
            assert!(!d.text.is_empty());
            d
        })
    });
    let text = decoder.decode(&bytes, &mut Changes::default()).text;
    let segmenter = Segmenter::new(&cfg.segment);
    g.bench_function("segment", |b| {
        b.iter(|| {
            let p = segmenter.segment(black_box(&text), &mut Changes::default());
            assert!(p.len() > 10);
            p
        })
    });

    let mut doc = Document {
        paragraphs: segmenter.segment(&text, &mut Changes::default()),
        ..Document::default()
    };
    for (name, stage) in stages(&cfg) {
        g.bench_function(name, |b| {
            b.iter_batched_ref(
                || doc.clone(),
                |d| stage.apply(black_box(d)),
                BatchSize::SmallInput,
            )
        });
        stage.apply(&mut doc);
    }
    assert!(doc.kept().count() > 10);

    let pipeline = Pipeline::new(&cfg).expect("default pipeline");
    g.bench_function("whole_default_pipeline", |b| {
        b.iter(|| {
            let d = pipeline.process("b".into(), "b".into(), Body::Bytes(black_box(&bytes)));
            assert!(d.kept().count() > 10);
            d
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
