//! Language identification: the stage's labels on small hand-written cases
//! (`fixtures/langid/`), documents, the allowlist, and the command line.

mod util;

use textnorm::Config;
use textnorm::document::{Document, Paragraph};
use textnorm::stages::Stage;
use textnorm::stages::langid::{Langid, LangidConfig};

use util::{records, run, stderr};

fn config(langs: &[&str]) -> LangidConfig {
    let mut c = Config::default().langid;
    if !langs.is_empty() {
        c.langs = langs.iter().map(|s| s.to_string()).collect();
    }
    c
}

fn lid(langs: &[&str]) -> Langid {
    Langid::new(&config(langs)).expect("valid config")
}

fn document(paragraphs: &[&str]) -> Document {
    Document {
        paragraphs: paragraphs
            .iter()
            .enumerate()
            .map(|(i, t)| Paragraph::new(i, *t))
            .collect(),
        ..Document::default()
    }
}

#[test]
fn fixture_cases() {
    let text = include_str!("../fixtures/langid/cases.tsv");
    let stage = lid(&[]);
    let mut wrong = Vec::new();
    let mut n = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (code, sample) = line.split_once('\t').expect("code<TAB>text");
        let (tag, _) = stage.detect(sample);
        n += 1;
        if tag.code != code {
            wrong.push(format!(
                "{code} → {} ({:.3}): {sample}",
                tag.code, tag.score
            ));
        }
        assert!((0.0..=1.0).contains(&tag.score), "{sample}: {}", tag.score);
        if tag.code == "und" {
            assert_eq!(tag.score, 0.0, "{sample}");
        }
    }
    assert!(n >= 30, "only {n} cases read");
    assert!(wrong.is_empty(), "wrong labels:\n{}", wrong.join("\n"));
}

#[test]
fn kazakh_is_detected_without_a_whatlang_model() {
    let stage = lid(&["uk", "ru", "kk"]);
    let (tag, _) = stage.detect("Біз балалардың мектепке оралуы үшін жұмыс істеп жатырмыз.");
    assert_eq!(tag.code, "kk");
    assert!(tag.score > 0.9, "{}", tag.score);
}

#[test]
fn russian_without_its_own_letters_is_not_bulgarian() {
    // No ы э ё: the decision rests on function words and on `ь` before a
    // consonant, which Bulgarian does not write.
    let stage = lid(&["ru", "bg", "uk"]);
    assert_eq!(
        stage
            .detect("Он сказал, что готов подождать до завтра.")
            .0
            .code,
        "ru"
    );
    assert_eq!(
        stage
            .detect("Той каза, че е готов да почака до утре.")
            .0
            .code,
        "bg"
    );
}

#[test]
fn latin_look_alikes_in_ukrainian_words() {
    // Web text often types Latin `i` for Ukrainian `і`.
    let stage = lid(&["uk", "ru", "en"]);
    let (tag, _) = stage.detect("Мiсто святкувало перемогу, i люди вийшли на вулицi.");
    assert_eq!((tag.code, tag.script), ("uk", "Cyrillic"));
}

#[test]
fn mixed_scripts_take_the_language_of_most_letters() {
    let stage = lid(&[]);
    let (tag, _) = stage.detect("He ended the speech with «Слава Україні» and left the stage.");
    assert_eq!((tag.code, tag.script), ("en", "Latin"));
    let (tag, _) = stage.detect(
        "У заяві міністерства сказано, що «we will not give up», і далі йдеться про допомогу.",
    );
    assert_eq!((tag.code, tag.script), ("uk", "Cyrillic"));
}

#[test]
fn the_allowlist_applies_before_scoring() {
    let stage = lid(&["en", "de"]);
    let (tag, _) = stage.detect("Уряд ухвалив рішення про підтримку переселенців.");
    assert_eq!((tag.code, tag.script), ("und", "Cyrillic"));
    let stage = lid(&["uk"]);
    assert_eq!(stage.detect("Мы работаем над тем.").0.code, "uk");
}

#[test]
fn thin_evidence_is_und() {
    let stage = lid(&[]);
    for t in ["", "2022-01-07", "—", "Ж", "12 %"] {
        assert_eq!(stage.detect(t).0.code, "und", "{t:?}");
    }
}

#[test]
fn document_language_and_short_headings() {
    let stage = lid(&[]);
    let mut doc = document(&[
        "Держсекретар США каже, що дипломатичне вирішення кризи ще можливе.",
        "The US secretary of state said on Friday that a diplomatic solution to the crisis was still possible.",
        "Weapons built-up",
        "Talks between the two sides are expected to continue in Geneva next week, officials said.",
    ]);
    stage.apply(&mut doc);
    let labels: Vec<&str> = doc
        .paragraphs
        .iter()
        .map(|p| p.lang.map_or("-", |t| t.code))
        .collect();
    assert_eq!(labels, ["uk", "en", "en", "en"]);
    let lang = doc.lang.expect("document language");
    assert_eq!(lang.code, "en");
    assert!(lang.score > 0.5 && lang.score <= 1.0, "{}", lang.score);
}

#[test]
fn a_heading_alone_keeps_its_own_label() {
    // Without a document around it, a short heading is judged on its own:
    // whatever it gets, it is not pulled towards anything.
    let stage = lid(&[]);
    let alone = stage.detect("Weapons built-up").0;
    let mut doc = document(&["Weapons built-up"]);
    stage.apply(&mut doc);
    assert_eq!(doc.paragraphs[0].lang, Some(alone));
    assert_eq!(doc.changes.get("langid", "from_document"), 0);
}

#[test]
fn metadata_paragraphs_are_not_labelled() {
    let stage = lid(&[]);
    let mut doc = document(&[
        "https://example.com/news",
        "Talks between the two sides resumed in Brussels on Monday.",
    ]);
    doc.paragraphs[0].metadata = Some("url");
    stage.apply(&mut doc);
    assert_eq!(doc.paragraphs[0].lang, None);
    assert_eq!(doc.paragraphs[1].lang.map(|t| t.code), Some("en"));
}

#[test]
fn cli_langs_sets_the_allowlist() {
    let input = "Біз балалардың мектепке оралуы үшін жұмыс істеп жатырмыз.\n";
    let out = run(&["--langs", "en,ru,kk"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(records(&out)[0]["lang"], "kk");
    let out = run(&["--langs", "en,ru"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_ne!(records(&out)[0]["lang"], "kk");
}

#[test]
fn cli_unknown_language_is_an_error_naming_it() {
    let out = run(&["--langs", "en,xx"], b"Hello there, friends.\n");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("xx"), "{}", stderr(&out));
}

#[test]
fn labels_do_not_depend_on_jobs() {
    let text = include_str!("../fixtures/langid/cases.tsv");
    let input: String = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .enumerate()
        .map(|(i, l)| {
            let t = l.split_once('\t').map_or(l, |x| x.1);
            format!("{}\n", serde_json::json!({ "id": i, "text": t }))
        })
        .collect();
    let one = run(
        &["--jobs", "1", "--granularity", "paragraph"],
        input.as_bytes(),
    );
    let two = run(
        &["--jobs", "2", "--granularity", "paragraph"],
        input.as_bytes(),
    );
    assert!(one.status.success(), "{}", stderr(&one));
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn without_the_second_model_the_fast_path_still_labels() {
    let mut c = config(&["uk", "ru", "bg", "kk", "en"]);
    c.second_model = false;
    let stage = Langid::new(&c).expect("valid config");
    let samples = [
        (
            "uk",
            "Уряд ухвалив рішення про підтримку переселенців із прифронтових областей.",
        ),
        (
            "ru",
            "Мы работаем над тем, чтобы дети могли вернуться в школы.",
        ),
        (
            "kk",
            "Біз балалардың мектепке оралуы үшін жұмыс істеп жатырмыз.",
        ),
        (
            "en",
            "We are working to make sure that children can go back to school.",
        ),
    ];
    for (code, text) in samples {
        let d = stage.detect_full(text);
        assert_eq!(d.tag.code, code, "{text}");
        assert_ne!(d.decided_by, textnorm::stages::langid::Decider::SecondModel);
    }
}
