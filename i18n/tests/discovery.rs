//! build.rs's discovery of the language files: a file dropped into `locales/` is a language.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

include!("../discover.rs");

use akinai_i18n::Lang;

fn write(dir: &std::path::Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
    std::fs::write(path, text).expect("a file");
}

/// A crate directory with ja and en, as every build has.
fn base() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    write(dir.path(), "ja.ftl", "app-name = 商い\nlanguage-self = 日本語\n");
    write(dir.path(), "locales/en.ftl", "language-self = English\napp-name = Akinai\n");
    dir
}

#[test]
fn a_file_dropped_into_locales_is_a_language() {
    let dir = base();
    write(dir.path(), "locales/fr.ftl", "# Français\nlanguage-self   =   Français  \n");
    write(dir.path(), "locales/pt-BR.ftl", "language-self = Português (Brasil)\n");
    write(dir.path(), "locales/README.md", "not a language");
    let found = discover(dir.path()).expect("the files are found");
    let tags: Vec<_> =
        found.iter().map(|f| (f.tag.as_str(), f.own_name.as_str(), f.path.as_str())).collect();
    assert_eq!(
        tags,
        [
            ("ja", "日本語", "ja.ftl"),
            ("en", "English", "locales/en.ftl"),
            ("fr", "Français", "locales/fr.ftl"),
            ("pt-BR", "Português (Brasil)", "locales/pt-BR.ftl"),
        ]
    );
    let source = generate(&found);
    assert!(source.contains("pub(crate) const EN: u8 = 1;"));
    assert!(source.contains(
        "LangFile { tag: \"fr\", own_name: \"Français\", path: \"locales/fr.ftl\", text: TEXT_2 }"
    ));
    assert!(source.contains("\"/locales/pt-BR.ftl\""));
}

#[test]
fn files_that_cannot_be_a_language_are_refused() {
    for (path, text, why) in [
        ("locales/not a tag.ftl", "language-self = ?\n", "not a language tag"),
        ("locales/zh-hant.ftl", "language-self = 繁體中文\n", "must be written zh-Hant"),
        ("locales/ja.ftl", "language-self = 日本語\n", "not ja"),
        ("locales/ko.ftl", "app-name = Akinai\n", "no language-self"),
        ("locales/ko.ftl", "language-self =\n", "no language-self"),
    ] {
        let dir = base();
        write(dir.path(), path, text);
        let err = discover(dir.path()).expect_err(path);
        assert!(err.contains(why), "{path}: {err}");
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    write(dir.path(), "ja.ftl", "language-self = 日本語\n");
    write(dir.path(), "locales/ko.ftl", "language-self = 한국어\n");
    assert!(discover(dir.path()).expect_err("no English").contains("en.ftl"));
}

#[test]
fn the_build_has_the_crates_files() {
    let found =
        discover(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the crate's files");
    let tags: Vec<_> = found.iter().map(|f| f.tag.as_str()).collect();
    assert_eq!(tags, ["ja", "en", "ko", "zh-Hans", "zh-Hant"]);
    let built: Vec<_> = Lang::all().iter().map(|l| l.tag()).collect();
    assert_eq!(built, tags);
    for (lang, file) in Lang::all().iter().zip(&found) {
        assert_eq!(lang.own_name(), file.own_name);
        assert_eq!(lang.own_name(), lang.text("language-self"), "build.rs read it as Fluent does");
        assert_eq!(lang.file(), file.path);
    }
    assert_eq!(Lang::EN.tag(), "en");
    assert_eq!(Lang::JA.file(), "ja.ftl");
    assert_eq!(Lang::all()[4].file(), "locales/zh-Hant.ftl");
}
