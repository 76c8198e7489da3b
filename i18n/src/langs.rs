//! The language files of this build: `ja.ftl` first, then `locales/<tag>.ftl` by tag.

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

/// The index of `en` in [`LANGS`].
pub(crate) const EN: u8 = 1;

/// Every language, `ja` first.
pub(crate) const LANGS: [LangFile; 5] = [
    LangFile {
        tag: "ja",
        own_name: "日本語",
        path: "ja.ftl",
        text: Some(include_str!("../ja.ftl")),
    },
    LangFile { tag: "en", own_name: "English", path: "locales/en.ftl", text: EN_TEXT },
    LangFile { tag: "ko", own_name: "한국어", path: "locales/ko.ftl", text: KO_TEXT },
    LangFile {
        tag: "zh-Hans",
        own_name: "简体中文",
        path: "locales/zh-Hans.ftl",
        text: ZH_HANS_TEXT,
    },
    LangFile {
        tag: "zh-Hant",
        own_name: "繁體中文",
        path: "locales/zh-Hant.ftl",
        text: ZH_HANT_TEXT,
    },
];

#[cfg(feature = "all")]
const EN_TEXT: Option<&str> = Some(include_str!("../locales/en.ftl"));
#[cfg(not(feature = "all"))]
const EN_TEXT: Option<&str> = None;
#[cfg(feature = "all")]
const KO_TEXT: Option<&str> = Some(include_str!("../locales/ko.ftl"));
#[cfg(not(feature = "all"))]
const KO_TEXT: Option<&str> = None;
#[cfg(feature = "all")]
const ZH_HANS_TEXT: Option<&str> = Some(include_str!("../locales/zh-Hans.ftl"));
#[cfg(not(feature = "all"))]
const ZH_HANS_TEXT: Option<&str> = None;
#[cfg(feature = "all")]
const ZH_HANT_TEXT: Option<&str> = Some(include_str!("../locales/zh-Hant.ftl"));
#[cfg(not(feature = "all"))]
const ZH_HANT_TEXT: Option<&str> = None;
