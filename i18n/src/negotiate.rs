//! Which of our languages a tag or an `Accept-Language` header means. Our own small rules:
//! fluent-langneg's likely-subtags are a mock and it ignores q-weights.

use unic_langid::LanguageIdentifier;

use crate::Lang;

/// Chinese regions whose people write Traditional characters: the one likely-subtag fact we
/// need (`zh-TW` → `zh-Hant`; any other `zh` → `zh-Hans`).
const HANT_REGIONS: [&str; 3] = ["TW", "HK", "MO"];

impl Lang {
    /// The language of a tag or locale such as `zh-TW`, `en-US` or `ja_JP.UTF-8`, if we speak
    /// it: the same language and script (a Chinese script inferred from the region), else the
    /// same language written without a script.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.split('.').next().unwrap_or_default().trim().replace('_', "-");
        let wanted: LanguageIdentifier = tag.parse().ok()?;
        let script = wanted.script.map(|s| s.as_str().to_owned()).or_else(|| {
            (wanted.language.as_str() == "zh").then(|| {
                let hant = wanted.region.is_some_and(|r| HANT_REGIONS.contains(&r.as_str()));
                if hant { "Hant" } else { "Hans" }.to_owned()
            })
        });
        let same_language =
            || Lang::all().iter().copied().filter(|l| l.id().language == wanted.language);
        same_language()
            .find(|l| l.id().script.map(|s| s.as_str().to_owned()) == script)
            .or_else(|| same_language().find(|l| l.id().script.is_none()))
    }

    /// The language to answer a reader in, from an `Accept-Language` header: the highest
    /// q-weighted language we speak (`q=0` means "not this"; malformed entries are skipped).
    /// No header → Japanese, the shop's language; a header naming none of ours → English.
    pub fn negotiate(accept_language: Option<&str>) -> Lang {
        let Some(header) = accept_language.filter(|h| !h.trim().is_empty()) else {
            return Lang::JA;
        };
        let mut ranked: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|entry| {
                let mut parts = entry.split(';');
                let lang = Lang::from_tag(parts.next()?.trim())?;
                let mut q = 1.0_f32;
                for param in parts {
                    let (name, value) = param.split_once('=')?;
                    if name.trim() == "q" {
                        q = value.trim().parse().ok().filter(|q: &f32| (0.0..=1.0).contains(q))?;
                    }
                }
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        // Stable: among equal weights the header's order wins.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map_or(Lang::EN, |(_, lang)| *lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(lang: Option<Lang>) -> Option<&'static str> {
        lang.map(Lang::tag)
    }

    #[test]
    fn tags_pick_a_language_and_script() {
        for (asked, ours) in [
            ("zh-TW", "zh-Hant"),
            ("zh-HK", "zh-Hant"),
            ("zh-MO", "zh-Hant"),
            ("zh-Hant", "zh-Hant"),
            ("zh-Hant-TW", "zh-Hant"),
            ("zh", "zh-Hans"),
            ("zh-CN", "zh-Hans"),
            ("zh-SG", "zh-Hans"),
            ("zh-Hans-CN", "zh-Hans"),
            ("ko-KR", "ko"),
            ("en-GB", "en"),
            ("en-US", "en"),
            ("ja-JP", "ja"),
            ("ja_JP.UTF-8", "ja"),
            ("zh_TW.UTF-8", "zh-Hant"),
        ] {
            assert_eq!(tag(Lang::from_tag(asked)), Some(ours), "{asked}");
        }
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::from_tag("not a tag"), None);
    }

    #[test]
    fn accept_language_is_weighed() {
        for (header, ours) in [
            ("zh-TW,zh;q=0.9,en;q=0.8", "zh-Hant"),
            ("fr-FR, en;q=0.1", "en"),
            ("fr", "en"),
            ("en;q=0, ko", "ko"),
            ("ko;q=0.5, zh-CN;q=0.8", "zh-Hans"),
            ("en, ko", "en"),
            ("ko;q=oops, en;q=0.2", "en"),
            ("ko;q=2, en;q=0.2", "en"),
            (";;, ,zh-HK", "zh-Hant"),
            ("*", "en"),
        ] {
            assert_eq!(Lang::negotiate(Some(header)).tag(), ours, "{header}");
        }
        assert_eq!(Lang::negotiate(None), Lang::JA);
        assert_eq!(Lang::negotiate(Some("")), Lang::JA);
        assert_eq!(Lang::negotiate(Some("  ")), Lang::JA);
    }
}
