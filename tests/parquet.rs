//! Parquet input and output through the command line.
#![cfg(feature = "parquet")]

mod util;

use serde_json::Value;

use util::{records, run, scratch, stderr};

const INPUT: &str = concat!(
    "{\"id\":\"a\",\"meta\":{\"k\":[1,2]},\"score\":0.5,\"content\":\"Talks in Kiev went on.\\n\\nSign up now for unlimited free access to\"}\n",
    "{\"id\":7,\"score\":1.5,\"content\":\"Переговори у Києві тривали.\\n\\nRescuers in Kharkov worked on.\"}\n",
    "{\"content\":null}\n",
    "{\"id\":\"c\",\"flag\":true,\"content\":\"January 7, 2022\\n\\nPresident Zelensky met the mayor of Odessa.\"}\n",
);

/// Records with the `source` file name replaced, for comparing runs over
/// different files.
fn without_source(mut v: Vec<Value>, file: &str) -> Vec<Value> {
    for r in &mut v {
        if let Some(Value::String(s)) = r.get_mut("source") {
            *s = s.replacen(file, "FILE", 1);
        }
        if let Some(Value::String(s)) = r.get_mut("id") {
            *s = s.replacen(file, "FILE", 1);
        }
    }
    v
}

#[test]
fn parquet_round_trip_gives_the_jsonl_records() {
    let dir = scratch("parquet_round_trip");
    let jsonl = dir.join("in.jsonl");
    std::fs::write(&jsonl, INPUT).unwrap();
    let pq = dir.join("in.parquet");
    assert_eq!(textnorm::parquet::jsonl_to_parquet(&jsonl, &pq).unwrap(), 4);

    // JSONL in, JSONL out: the reference.
    let a = run(&["--text-field", "content", jsonl.to_str().unwrap()], b"");
    assert_eq!(a.status.code(), Some(3), "{}", stderr(&a));
    let expected = without_source(records(&a), jsonl.to_str().unwrap());
    assert_eq!(expected.len(), 3);
    assert!(stderr(&a).contains("in.jsonl:3: field `content` is not a string"));

    // Parquet in, JSONL out: the same records, and the same reject.
    let b = run(&["--text-field", "content", pq.to_str().unwrap()], b"");
    assert_eq!(b.status.code(), Some(3), "{}", stderr(&b));
    assert!(stderr(&b).contains("in.parquet:3: field `content` is not a string"));
    let from_pq = without_source(records(&b), pq.to_str().unwrap());
    // Parquet has a column for every key, so rows without one hold null.
    for (got, want) in from_pq.iter().zip(&expected) {
        for (k, v) in want.as_object().unwrap() {
            assert_eq!(&got[k], v, "field {k}");
        }
        for (k, v) in got.as_object().unwrap() {
            if !want.as_object().unwrap().contains_key(k) {
                assert!(v.is_null(), "extra field {k} = {v}");
            }
        }
    }

    // Parquet in, Parquet out, read back.
    let out = dir.join("out.parquet");
    let c = run(
        &[
            "--text-field",
            "content",
            pq.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(c.status.code(), Some(3), "{}", stderr(&c));
    assert!(!dir.join("out.parquet.jsonl.part").exists());
    let back = textnorm::parquet::read_values(&out).unwrap();
    let back: Vec<Value> = back
        .into_iter()
        .map(|r| {
            // Keys a record did not have come back as nulls.
            Value::Object(
                r.as_object()
                    .unwrap()
                    .clone()
                    .into_iter()
                    .filter(|(_, v)| !v.is_null())
                    .collect(),
            )
        })
        .collect();
    let from_pq: Vec<Value> = from_pq
        .into_iter()
        .map(|r| {
            Value::Object(
                r.as_object()
                    .unwrap()
                    .clone()
                    .into_iter()
                    .filter(|(_, v)| !v.is_null())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(without_source(back, pq.to_str().unwrap()), from_pq);
}

#[test]
fn parquet_output_needs_a_file_and_stdin_cannot_be_parquet() {
    let out = run(&["--output-format", "parquet"], b"{\"text\":\"x\"}\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Parquet output needs --output FILE"));
    let out = run(&["--input-format", "parquet"], b"PAR1");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Parquet cannot be read from stdin"));
}

#[test]
fn a_broken_parquet_file_is_an_error_and_the_run_goes_on() {
    let dir = scratch("parquet_broken");
    std::fs::write(dir.join("bad.parquet"), b"PAR1 not really").unwrap();
    std::fs::write(dir.join("ok.jsonl"), b"{\"text\":\"Kiev\"}\n").unwrap();
    let out = run(&[dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.parquet: not a readable Parquet file"));
    assert_eq!(records(&out)[0]["text"], "Kyiv");
}
