//! Every message id the code names is defined: a typo in an id would otherwise show the raw id
//! to a shop's customer. The rule (measured on the code, see the issue-12 plan §1): every
//! kebab-case string literal in the scanned code is a message id of `ja.ftl` (and so of every
//! file: `files.rs` checks they all have ja's ids), unless it is the value of an HTML attribute
//! or CSS class, or listed in `not-ids.txt`. Ids built at run time (`format!("brand-{brand}")`)
//! must belong to a family of [`families`], whose every member is enumerated and checked.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use akinai_core::api::{ErrorCode, ProviderEnv};
use akinai_core::payment::{PaymentMethod, brands};
use akinai_core::staff::Role;
use akinai_core::tax::{Named, PricingMode, Rounding, TaxClass};
use regex::Regex;

/// The code that names message ids, relative to the workspace. The rest of the server names
/// no ids (and has header names and keys that look like them), so only its e-receipt pages.
const SCANNED: [&str; 3] = ["app/src", "i18n/src", "server/src/ereceipt"];

/// What comes right before a literal that is an attribute's or class's value, not an id:
/// `class="…"`, `aria-label="…"`, `class: "…"`, `row.class == "…"`, `id=format!("revoke-{id}")`;
/// and an attribute's name in the DOM API: `get_attribute("data-url")`.
const ATTRIBUTE: &str = r"(?:(?:\b(?:class|id|for|role|autocomplete|inputmode|type|name|rel|key)|\baria-[a-z-]+|\bdata-[a-z-]+)\s*(?:[=:]|==)\s*(?:format!\(\s*)?|\b(?:get|set|remove|has)_attribute\(\s*)$";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The ids `ja.ftl` defines.
fn defined() -> BTreeSet<String> {
    let text = std::fs::read_to_string(workspace().join("i18n/ja.ftl")).expect("ja.ftl");
    let resource = fluent_syntax::parser::parse(text.as_str()).expect("ja.ftl parses");
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

fn not_ids() -> BTreeSet<String> {
    include_str!("not-ids.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn words<T: Named>() -> Vec<String> {
    T::NAMES.iter().map(|(word, _)| (*word).to_owned()).collect()
}

/// The families of ids built at run time: the literal prefix before `{`, and every id of the
/// family (`None`: a lookup that may miss by design, e.g. a field with no name).
fn families() -> Vec<(&'static str, Option<Vec<String>>)> {
    let csv_header = akinai_core::catalog::export_csv(&[]);
    let csv_columns: Vec<String> = csv_header
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .expect("a header")
        .split(',')
        .map(str::to_owned)
        .collect();
    let envs = [ProviderEnv::Production, ProviderEnv::Sandbox, ProviderEnv::StandIn]
        .map(|env| serde_json::to_value(env).expect("a word").as_str().expect("a word").to_owned());
    vec![
        (
            "brand-",
            Some(
                PaymentMethod::ALL
                    .iter()
                    .flat_map(|m| brands(*m))
                    .map(|b| (*b).to_owned())
                    .collect(),
            ),
        ),
        ("payment-", Some(words::<PaymentMethod>())),
        ("code-", Some(ErrorCode::ALL.iter().map(|c| c.as_str().replace('_', "-")).collect())),
        ("csv-column-", Some(csv_columns)),
        // The columns a cell can be wrong in (CsvCell): the others cannot fail.
        (
            "csv-expected-",
            Some(
                ["name", "price", "tax_class", "open_price", "color", "barcode"]
                    .map(str::to_owned)
                    .to_vec(),
            ),
        ),
        ("env-", Some(envs.to_vec())),
        ("fmt-month-", Some((1..=12).map(|m| m.to_string()).collect())),
        // `{prefix}-{word}` of app/src/fields.rs's select fields: the prefixes are literals there.
        ("tax-class-", Some(words::<TaxClass>())),
        ("role-", Some(words::<Role>())),
        ("pricing-", Some(words::<PricingMode>())),
        ("rounding-", Some(words::<Rounding>())),
        // A refusal names its field when the field has a name, and leaves it out otherwise.
        ("field-", None),
    ]
}

/// Where in the code (`file:line`) and what.
type Found = Vec<(String, String)>;

/// Every kebab-case literal in the scanned code that is not an attribute's value, and the
/// prefixes of the ids built with `format!`.
fn scan() -> (Found, Found) {
    let literal = Regex::new(r#""([a-z][a-z0-9]*(?:-[a-z0-9]+)+)""#).unwrap();
    let built = Regex::new(r#"format!\(\s*"([a-z][a-z0-9]*(?:-[a-z0-9]+)*-)\{"#).unwrap();
    let attribute = Regex::new(ATTRIBUTE).unwrap();
    let mut files = Vec::new();
    for dir in SCANNED {
        rust_files(&workspace().join(dir), &mut files);
    }
    assert!(files.len() > 40, "the code is where it was");
    let (mut literals, mut prefixes) = (Vec::new(), Vec::new());
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file");
        let name = file.strip_prefix(workspace()).unwrap_or(&file).display().to_string();
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            let at = format!("{name}:{}", number + 1);
            for found in literal.captures_iter(line) {
                let whole = found.get(0).unwrap();
                if !attribute.is_match(&line[..whole.start()]) {
                    literals.push((at.clone(), found[1].to_owned()));
                }
            }
            for found in built.captures_iter(line) {
                if !attribute.is_match(&line[..found.get(0).unwrap().start()]) {
                    prefixes.push((at.clone(), found[1].to_owned()));
                }
            }
        }
    }
    (literals, prefixes)
}

#[test]
fn every_id_the_code_names_is_defined() {
    let (defined, not_ids) = (defined(), not_ids());
    let (literals, _) = scan();
    let undefined: Vec<_> = literals
        .iter()
        .filter(|(_, id)| !defined.contains(id) && !not_ids.contains(id))
        .map(|(at, id)| format!("{at}: {id}"))
        .collect();
    assert!(
        undefined.is_empty(),
        "ids no file defines (or add to not-ids.txt):\n{}",
        undefined.join("\n")
    );
    let used: BTreeSet<_> = literals.iter().map(|(_, id)| id).collect();
    let stale: Vec<_> = not_ids.iter().filter(|id| !used.contains(id)).collect();
    assert!(stale.is_empty(), "not-ids.txt lists what the code no longer has: {stale:?}");
}

#[test]
fn every_id_the_code_builds_is_in_a_family_whose_members_are_defined() {
    let defined = defined();
    let families = families();
    let (_, prefixes) = scan();
    let unknown: Vec<_> = prefixes
        .iter()
        .filter(|(_, prefix)| !families.iter().any(|(family, _)| family == prefix))
        .map(|(at, prefix)| format!("{at}: {prefix}…"))
        .collect();
    assert!(
        unknown.is_empty(),
        "ids built with a prefix of no family (add it to families()):\n{}",
        unknown.join("\n")
    );
    for (prefix, members) in families {
        for member in members.iter().flatten() {
            let id = format!("{prefix}{member}");
            assert!(defined.contains(&id), "{id} is built by the code but not defined");
        }
    }
}
