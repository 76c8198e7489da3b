//! Imports run one way: in every folder of the app and the server (the crate root included), the
//! modules side by side never import each other in a circle. A child may use its parent (the
//! usual `use super::...`) and the parent its children; what is refused is, say, `state` using
//! `device` while something in `device` uses `state`, which makes neither readable alone.
//!
//! Module paths are read with `syn`: `use` trees, paths in code, and `crate::...` inside macro
//! bodies such as Leptos's `view!`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use syn::visit::Visit;

/// A module's path below its crate root (`["device", "sync"]`).
type ModPath = Vec<String>;

/// Checks each crate source folder (`app/src`, `server/src`); fails naming every circle found.
pub fn check(src_dirs: &[PathBuf]) -> Result<()> {
    let mut circles = Vec::new();
    for dir in src_dirs {
        let files = modules(dir)?;
        for circle in circles_in(&files) {
            circles.push(format!("{}: {}", dir.display(), circle.join(" -> ")));
        }
    }
    if !circles.is_empty() {
        bail!("modules import each other in a circle:\n  {}", circles.join("\n  "));
    }
    println!("imports: no circle between modules in {} crates", src_dirs.len());
    Ok(())
}

/// Every module file of a crate (from `lib.rs` down; binaries' `main.rs` and `bin/` are their
/// own crates) with the module paths it refers to.
fn modules(dir: &Path) -> Result<BTreeMap<ModPath, BTreeSet<ModPath>>> {
    let mut found = BTreeMap::new();
    walk(dir, dir, &mut found)?;
    Ok(found)
}

fn walk(root: &Path, dir: &Path, found: &mut BTreeMap<ModPath, BTreeSet<ModPath>>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(std::fs::DirEntry::path);
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            if path != root.join("bin") {
                walk(root, &path, found)?;
            }
            continue;
        }
        let Some(module) = module_of(root, &path) else { continue };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let file = syn::parse_file(&text).with_context(|| format!("parsing {}", path.display()))?;
        let mut refs = Refs { here: module.clone(), found: BTreeSet::new() };
        refs.visit_file(&file);
        found.insert(module, refs.found);
    }
    Ok(())
}

/// The module a source file holds, or `None` for what is not a module of the library.
fn module_of(root: &Path, file: &Path) -> Option<ModPath> {
    let relative = file.strip_prefix(root).ok()?;
    if relative.extension()? != "rs" || relative == Path::new("main.rs") {
        return None;
    }
    let mut parts: ModPath =
        relative.with_extension("").iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    Some(parts)
}

/// Collects the crate paths one file refers to, made absolute.
struct Refs {
    here: ModPath,
    found: BTreeSet<ModPath>,
}

impl Refs {
    /// Adds a path written in this file, given as its segments.
    fn add(&mut self, segments: &[String]) {
        let Some(first) = segments.first() else { return };
        let absolute = match first.as_str() {
            "crate" => segments[1..].to_vec(),
            "super" | "self" => {
                let mut base = self.here.clone();
                let mut rest = segments;
                while let Some(step) = rest.first() {
                    match step.as_str() {
                        "super" => drop(base.pop()),
                        "self" => {}
                        _ => break,
                    }
                    rest = &rest[1..];
                }
                base.extend_from_slice(rest);
                base
            }
            // A bare name may be a child module (`cart_panel::CartPanel` in a mod.rs).
            _ => self.here.iter().chain(segments).cloned().collect(),
        };
        self.found.insert(absolute);
    }

    /// Every full path of a `use` tree.
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.add(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.add(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.add(&prefix.clone()),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_tree(prefix, t)),
        }
    }
}

impl<'ast> Visit<'ast> for Refs {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if matches!(segments.first().map(String::as_str), Some("crate" | "super" | "self"))
            && segments.len() > 1
        {
            self.add(&segments);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // `crate::a::b` inside a macro body (view! markup), read from its tokens.
        let mut tokens = Vec::new();
        flatten(mac.tokens.clone(), &mut tokens);
        for (i, token) in tokens.iter().enumerate() {
            if token == "crate" {
                let path: Vec<String> = tokens[i..].iter().take(4).cloned().collect();
                self.add(&path);
            }
        }
        syn::visit::visit_macro(self, mac);
    }
}

/// The words of a token stream, groups opened, `:` left out (`crate::a::b` -> crate a b).
fn flatten(stream: proc_macro2::TokenStream, into: &mut Vec<String>) {
    for token in stream {
        match token {
            proc_macro2::TokenTree::Group(group) => flatten(group.stream(), into),
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ':' => {}
            other => into.push(other.to_string()),
        }
    }
}

/// Every circle among sibling modules, in every folder, as the siblings' names.
fn circles_in(files: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<String>> {
    let folders: BTreeSet<ModPath> =
        files.keys().filter_map(|m| m.split_last().map(|(_, parent)| parent.to_vec())).collect();
    let mut circles = Vec::new();
    for folder in folders {
        // The folder's direct children that are modules.
        let children: BTreeSet<&String> = files
            .keys()
            .filter(|m| m.len() > folder.len() && m.starts_with(&folder))
            .map(|m| &m[folder.len()])
            .collect();
        let mut edges: BTreeMap<&String, BTreeSet<&String>> = BTreeMap::new();
        for (module, refs) in files {
            let Some(from) = module.get(folder.len()).filter(|_| module.starts_with(&folder))
            else {
                continue;
            };
            for target in refs {
                if let Some(to) = target.get(folder.len())
                    && target.starts_with(&folder)
                    && to != from
                    && children.contains(to)
                {
                    edges.entry(from).or_default().insert(to);
                }
            }
        }
        circles.extend(cycles(&edges).into_iter().map(|cycle| {
            let mut named: Vec<String> = cycle
                .iter()
                .map(|c| folder.iter().chain([*c]).cloned().collect::<Vec<_>>().join("::"))
                .collect();
            if let Some(first) = named.first().cloned() {
                named.push(first);
            }
            named
        }));
    }
    circles
}

/// One cycle through each strongly connected part of a small graph that has one.
fn cycles<'a>(edges: &BTreeMap<&'a String, BTreeSet<&'a String>>) -> Vec<Vec<&'a String>> {
    let mut seen_in_cycle: BTreeSet<&String> = BTreeSet::new();
    let mut found = Vec::new();
    for &start in edges.keys() {
        if seen_in_cycle.contains(start) {
            continue;
        }
        // Depth-first search for a path from start's successors back to start.
        let mut stack: Vec<(Vec<&String>, &String)> =
            edges[start].iter().map(|&next| (vec![start], next)).collect();
        let mut visited = BTreeSet::new();
        while let Some((path, node)) = stack.pop() {
            if node == start {
                seen_in_cycle.extend(path.iter().copied());
                found.push(path);
                break;
            }
            if !visited.insert(node) {
                continue;
            }
            for &next in edges.get(node).into_iter().flatten() {
                let mut longer = path.clone();
                longer.push(node);
                stack.push((longer, next));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules of a crate written to a fresh folder (one per test: tests run in parallel).
    fn crate_of(name: &str, files: &[(&str, &str)]) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
        let dir = std::env::temp_dir().join(format!("imports-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let found = modules(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        found
    }

    #[test]
    fn the_app_and_the_server_import_one_way() {
        check(&[crate::root().join("app/src"), crate::root().join("server/src")]).unwrap();
    }

    #[test]
    fn siblings_that_use_each_other_are_a_circle() {
        let files = crate_of(
            "circle",
            &[
                ("lib.rs", "mod state; mod device;"),
                ("state.rs", "use crate::device::storage::Storage;"),
                ("device/mod.rs", "pub mod storage; pub mod pairing;"),
                ("device/storage.rs", "pub struct Storage;"),
                (
                    "device/pairing.rs",
                    "fn f() { let _ = view! { <p>{crate::state::use_app()}</p> }; }",
                ),
            ],
        );
        let circles = circles_in(&files);
        assert_eq!(circles, vec![vec!["device", "state", "device"]]);
    }

    #[test]
    fn parents_and_children_and_one_way_imports_are_fine() {
        let files = crate_of(
            "fine",
            &[
                ("lib.rs", "mod register; mod state; use register::Register;"),
                ("state.rs", ""),
                (
                    "register/mod.rs",
                    "mod pay; use pay::Pay; use crate::state::AppState; fn parse() {}",
                ),
                ("register/pay.rs", "use super::parse; use crate::{state::AppState, register};"),
            ],
        );
        assert!(circles_in(&files).is_empty());
    }

    #[test]
    fn a_circle_deep_in_a_folder_is_found_through_super() {
        let files = crate_of(
            "deep",
            &[
                ("lib.rs", "mod device;"),
                ("device/mod.rs", "mod storage; mod sync;"),
                ("device/storage.rs", "use super::sync::Link;"),
                ("device/sync.rs", "fn f(_: super::storage::Storage) {}"),
            ],
        );
        assert_eq!(circles_in(&files).len(), 1);
    }
}
