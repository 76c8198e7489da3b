//! The language files themselves: each parses, has exactly Japanese's messages, each message
//! takes the same `$variables` as in Japanese, and plurals select in every language.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

include!("../discover.rs");

use std::collections::{BTreeMap, BTreeSet};

use akinai_i18n::Lang;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

/// Each file's messages: id → the variables it uses (value and attributes), in file order.
fn messages(path: &str) -> Vec<(String, BTreeSet<String>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(dir.join(path)).expect("a language file");
    let resource = fluent_syntax::parser::parse(text.as_str())
        .unwrap_or_else(|(_, errors)| panic!("{path} does not parse: {errors:?}"));
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            Entry::Message(message) => {
                let mut vars = BTreeSet::new();
                let patterns =
                    message.value.iter().chain(message.attributes.iter().map(|a| &a.value));
                for pattern in patterns {
                    pattern_vars(pattern, &mut vars);
                }
                Some((message.id.name.to_owned(), vars))
            }
            _ => None,
        })
        .collect()
}

fn pattern_vars(pattern: &Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(expression: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => inline_vars(inline, vars),
        Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for variant in variants {
                pattern_vars(&variant.value, vars);
            }
        }
    }
}

fn inline_vars(inline: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_vars(argument, vars);
            }
            for argument in &arguments.named {
                inline_vars(&argument.value, vars);
            }
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        _ => {}
    }
}

fn files() -> Vec<Found> {
    discover(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the crate's files")
}

#[test]
fn every_file_has_exactly_japaneses_messages_with_the_same_variables() {
    let files = files();
    let ja = messages(&files[0].path);
    assert!(ja.len() > 500, "ja.ftl has its messages");
    let ja_map: BTreeMap<_, _> = ja.iter().cloned().collect();
    assert_eq!(ja_map.len(), ja.len(), "ja.ftl has no id twice");
    for file in &files[1..] {
        let ours = messages(&file.path);
        let map: BTreeMap<_, _> = ours.iter().cloned().collect();
        assert_eq!(map.len(), ours.len(), "{} has no id twice", file.path);
        let missing: Vec<_> = ja_map.keys().filter(|id| !map.contains_key(*id)).collect();
        let extra: Vec<_> = map.keys().filter(|id| !ja_map.contains_key(*id)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, not in ja {extra:?}",
            file.path
        );
        for (id, vars) in &ja_map {
            assert_eq!(
                &map[id], vars,
                "{}: {id} takes the variables it takes in ja.ftl",
                file.path
            );
        }
    }
}

#[test]
fn a_plural_message_selects_in_every_language() {
    for lang in Lang::all() {
        let waiting = |count: u32| lang.text_with("outbox-waiting", &[("count", count.into())]);
        assert!(!waiting(0).contains('0'), "{lang:?}: 0 reads as synced: {}", waiting(0));
        assert_ne!(waiting(0), waiting(5), "{lang:?}");
        assert!(waiting(5).contains('5'), "{lang:?}: {}", waiting(5));
        assert!(waiting(1).contains('1'), "{lang:?}: {}", waiting(1));
        assert_ne!(waiting(5), "outbox-waiting", "{lang:?}");
    }
    // English picks its singular by the plural rules (one), not by the number 1 itself.
    let receipts = |count: u32| Lang::EN.text_with("owner-receipts-n", &[("count", count.into())]);
    assert_eq!(receipts(1), "1 receipt");
    assert_eq!(receipts(21), "21 receipts");
}
