//! Discovers the language files (`ja.ftl`, `locales/*.ftl`) and generates `Lang`'s table: a new
//! file is a new language, with no code change.

include!("discover.rs");

fn main() {
    println!("cargo::rerun-if-changed=ja.ftl");
    println!("cargo::rerun-if-changed=locales");
    println!("cargo::rerun-if-changed=discover.rs");
    let dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let found = match discover(&dir) {
        Ok(found) => found,
        Err(err) => {
            println!("cargo::error={err}");
            return;
        }
    };
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(err) = std::fs::write(out.join("langs.rs"), generate(&found)) {
        println!("cargo::error=langs.rs: {err}");
    }
}
