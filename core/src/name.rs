//! A name a person types (of staff, a shop, a device, an account): trimmed, never empty; and
//! the language tags that say which language a name or a receipt is in.

use std::fmt;

use crate::error::{Error, Field, Result};

/// A trimmed, non-empty name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Name(String);

impl Name {
    /// Reads a name typed into `field`, trimmed; refused when nothing but spaces is left.
    pub fn parse(text: &str, field: Field) -> Result<Name> {
        let name = text.trim();
        if name.is_empty() { Err(Error::NameNeeded { field }) } else { Ok(Name(name.to_owned())) }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.0
    }
}

/// True for a language tag of the shape the register uses: a language of 2-3 lower-case
/// letters, then optionally a script (`Hant`) and a region (`TW`), as in `ko`, `zh-Hant` or
/// `pt-BR`. Stricter than BCP 47 on purpose, so that one language has one spelling.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    let script = |part: &str| {
        let mut bytes = part.bytes();
        part.len() == 4
            && bytes.next().is_some_and(|b| b.is_ascii_uppercase())
            && bytes.all(|b| b.is_ascii_lowercase())
    };
    let region = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_uppercase());
    let rest: Vec<&str> = parts.collect();
    match rest.as_slice() {
        [] => true,
        [one] => script(one) || region(one),
        [first, second] => script(first) && region(second),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_never_empty() {
        let field = || Field::top("name");
        assert_eq!(
            Name::parse("　山田 太郎 ", field()).map(String::from),
            Ok("山田 太郎".to_owned())
        );
        for blank in ["", "   ", "　\t"] {
            assert_eq!(Name::parse(blank, field()), Err(Error::NameNeeded { field: field() }));
        }
    }

    #[test]
    fn language_tags_are_language_script_region() {
        for good in ["en", "ko", "ja", "fil", "zh-Hans", "zh-Hant", "zh-TW", "zh-Hant-TW", "pt-BR"]
        {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in [
            "",
            "e",
            "english",
            "EN",
            "zh-hant",
            "zh-HANT",
            "zh-tw",
            "zh-Hant-tw",
            "zh-TW-Hant",
            "zh-Hant-TW-x",
            "zh_Hant",
            "zh-",
            "-zh",
            "ko ",
            "한국어",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
