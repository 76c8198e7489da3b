//! The language files of this build, found by build.rs: `ja.ftl` first, then
//! `locales/<tag>.ftl` by tag.

/// One language's file.
pub(crate) struct LangFile {
    /// Its BCP 47 tag, the file's stem.
    pub(crate) tag: &'static str,
    /// Its own name, the file's `language-self`.
    pub(crate) own_name: &'static str,
    /// Its path as the app's pages ship it.
    pub(crate) path: &'static str,
    /// Its texts, when compiled in.
    pub(crate) text: Option<&'static str>,
}

include!(concat!(env!("OUT_DIR"), "/langs.rs"));
