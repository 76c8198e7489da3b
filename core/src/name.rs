//! A name a person types (of staff, a shop, a device, an account): trimmed, never empty.

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
}
