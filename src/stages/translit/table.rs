//! The transliteration table as written in `config/transliterations.toml`.
//!
//! A table has four parts:
//!
//! - `[[variant]]` rows: a variant spelling, its canonical form and the
//!   context guards that decide where the rewrite is safe;
//! - `[[keep]]` rows: spellings that are right as written (historical names,
//!   dishes, identifiers). Nothing inside a matched keep row is rewritten. A
//!   keep row spelled like a variant (`Dnepr` the rocket, `ODESSA` the
//!   acronym) marks an ambiguous form: it does not block on its own, the
//!   variant's guards decide;
//! - `[[person]]` rows: the given names of the people the person variants
//!   refer to, for the namesake guard;
//! - `[exceptions]`: phrases inside which nothing is rewritten;
//! - `[context]`: the word lists the generic guards use.

use serde::{Deserialize, Serialize};

/// A transliteration table file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Variant rows.
    #[serde(default)]
    pub variant: Vec<VariantRow>,
    /// Spellings that are right as written.
    #[serde(default)]
    pub keep: Vec<KeepRow>,
    /// People named by person variants.
    #[serde(default)]
    pub person: Vec<PersonRow>,
    /// Phrases inside which nothing is rewritten.
    #[serde(default)]
    pub exceptions: Exceptions,
    /// Word lists for the generic guards.
    #[serde(default)]
    pub context: ContextLists,
}

/// Variant → canonical, with the guards that apply to it.
///
/// Matching ignores ASCII case and keeps the case of the text (`KIEV` →
/// `KYIV`, `kiev` → `kyiv`); rows that differ only in case form one entry
/// whose guards are the union of theirs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantRow {
    /// The variant.
    pub from: String,
    /// The canonical spelling.
    pub to: String,
    /// place, person, region, other.
    #[serde(default)]
    pub kind: String,
    /// Why.
    #[serde(default)]
    pub note: String,
    /// Rewrite only when one of these words or phrases occurs in the same
    /// sentence (case-sensitive, whole words): `city` for Dnepr, `Yulia`
    /// for Timoshenko.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub require: Vec<String>,
    /// Never rewrite when one of these words or phrases occurs in the same
    /// paragraph (another place of the same name: `Texas` for Odessa).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless: Vec<String>,
    /// The form is also a surname: kept right after a given name
    /// (Prince Georgy Lvov, cosmonaut Andriyan Nikolayev).
    #[serde(default, skip_serializing_if = "is_false")]
    pub surname: bool,
    /// The form is also a first name or the first word of another name:
    /// kept right before a capitalised word (Odessa Young, Odessa Steps).
    #[serde(default, skip_serializing_if = "is_false")]
    pub first_name: bool,
    /// Titles of works that contain the variant and stay as published. A
    /// title longer than the variant is an exception phrase; a title that is
    /// the variant alone is kept in quotes or right after a work noun.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<String>,
    /// An article row (`the Ukraine` → `Ukraine`): rewrite only when the last
    /// word is the head noun, i.e. when punctuation, the end of the text or
    /// a function word follows (`the Ukraine war` stays).
    #[serde(default, skip_serializing_if = "is_false")]
    pub head_noun: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A spelling to keep.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeepRow {
    /// The word or phrase.
    pub word: String,
    /// Its kind.
    #[serde(default)]
    pub kind: String,
    /// Why.
    #[serde(default)]
    pub note: String,
}

/// A person named by person variants.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRow {
    /// The canonical surname as it ends the `to` of the person rows.
    pub name: String,
    /// Given names (in any common spelling) that may precede a variant of
    /// the surname. Any other given name right before it marks a namesake.
    #[serde(default)]
    pub given: Vec<String>,
}

/// Exception phrases.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exceptions {
    /// Phrases (matched ignoring ASCII case) that protect the variants
    /// inside them: names of battles, operations, nicknames.
    #[serde(default)]
    pub phrases: Vec<String>,
}

/// Word lists for the generic context guards. All are matched ignoring case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextLists {
    /// Function words (prepositions, conjunctions, determiners, auxiliaries).
    /// After an article row's noun they show it is the head noun; before a
    /// name they show the capitalised word is not a given name.
    #[serde(default)]
    pub function_words: Vec<String>,
    /// Titles and roles that may precede a person's name (President, Mayor).
    #[serde(default)]
    pub titles: Vec<String>,
    /// Capitalised words that extend a place name rather than begin a
    /// person's (Oblast, River, Port).
    #[serde(default)]
    pub place_nouns: Vec<String>,
    /// Nouns after which a capitalised run is the name of a work or a
    /// vessel (novel, film, carrier): variants in it are kept.
    #[serde(default)]
    pub work_nouns: Vec<String>,
    /// Words that introduce a mention of a name rather than a use of it
    /// (`known as`, `calls the city`, `spelling`): a variant right after
    /// one is kept.
    #[serde(default)]
    pub mention_before: Vec<String>,
}
