//! Kana to Latin letters, for an item name a visitor can read when the shop has typed no
//! translation: modified Hepburn without macrons, long vowels written as passports do
//! (とうきょう → tokyo, おおさか → osaka), ん always `n` (しんぶん → shinbun), and `n'` before a
//! vowel or `y` (きんえん → kin'en). A table, not a crate: the app ships this to tablets.

use unicode_normalization::UnicodeNormalization;

/// The syllables of the hiragana block from ぁ (U+3041) to ゖ (U+3096), in code point order.
/// Small kana read as their large ones here; the rules below combine them with what precedes.
const HIRAGANA: [&str; 86] = [
    "a", "a", "i", "i", "u", "u", "e", "e", "o", "o", // ぁあぃいぅうぇえぉお
    "ka", "ga", "ki", "gi", "ku", "gu", "ke", "ge", "ko",
    "go", // かがきぎくぐけげこご
    "sa", "za", "shi", "ji", "su", "zu", "se", "ze", "so",
    "zo", // さざしじすずせぜそぞ
    "ta", "da", "chi", "ji", "", "tsu", "zu", "te", "de", "to",
    "do", // ただちぢっつづてでとど
    "na", "ni", "nu", "ne", "no", // なにぬねの
    "ha", "ba", "pa", "hi", "bi", "pi", "fu", "bu", "pu", // はばぱひびぴふぶぷ
    "he", "be", "pe", "ho", "bo", "po", // へべぺほぼぽ
    "ma", "mi", "mu", "me", "mo", // まみむめも
    "ya", "ya", "yu", "yu", "yo", "yo", // ゃやゅゆょよ
    "ra", "ri", "ru", "re", "ro", // らりるれろ
    "wa", "wa", "i", "e", "o", "n", // ゎわゐゑをん
    "vu", "ka", "ke", // ゔゕゖ
];

const SOKUON: char = 'っ';
const N: char = 'ん';
const LONG: char = 'ー';

/// The romaji of one hiragana, if it is one.
fn syllable(kana: char) -> Option<&'static str> {
    let index = u32::from(kana).checked_sub(0x3041)?;
    HIRAGANA.get(usize::try_from(index).ok()?).copied()
}

/// The vowel of a small ゃゅょ (`y` + vowel) or ぁぃぅぇぉ (vowel alone), which join the kana
/// before them.
fn small(kana: char) -> Option<(bool, char)> {
    match kana {
        'ゃ' => Some((true, 'a')),
        'ゅ' => Some((true, 'u')),
        'ょ' => Some((true, 'o')),
        'ぁ' => Some((false, 'a')),
        'ぃ' => Some((false, 'i')),
        'ぅ' => Some((false, 'u')),
        'ぇ' => Some((false, 'e')),
        'ぉ' => Some((false, 'o')),
        _ => None,
    }
}

/// `base` joined with a small kana: きゃ → kya, しゃ → sha, じょ → jo, ふぁ → fa, てぃ → ti,
/// うぃ → wi, いぇ → ye, くぁ → kwa.
fn join(base: &str, y: bool, vowel: char) -> String {
    let stem = base.strip_suffix(['a', 'i', 'u', 'e', 'o']).unwrap_or(base);
    let stem = match (base, y) {
        ("shi" | "chi" | "ji", true) => stem,
        (_, true) => return format!("{stem}y{vowel}"),
        ("u", false) => "w",
        ("i", false) => "y",
        ("ku", false) => "kw",
        ("gu", false) => "gw",
        _ => stem,
    };
    format!("{stem}{vowel}")
}

/// Hiragana for katakana, full-width for half-width katakana, and ゝゞ spelled out, so that
/// the rules deal with hiragana only.
fn fold(text: &str) -> Vec<char> {
    // NFKC only on half-width katakana (ｶﾞ → ガ): other characters are kept as they are.
    let mut wide = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        if ('\u{FF61}'..='\u{FF9F}').contains(&c) {
            run.push(c);
        } else {
            wide.extend(run.nfkc());
            run.clear();
            wide.push(c);
        }
    }
    wide.extend(run.nfkc());
    let mut folded: Vec<char> = Vec::with_capacity(wide.len());
    // NFC (canonically the same text) composes a kana typed with a combining dakuten.
    for c in wide.nfc() {
        let c = match c {
            // ァ..ヶ and ヽヾ sit 0x60 above their hiragana.
            'ァ'..='ヶ' | 'ヽ' | 'ヾ' => char::from_u32(u32::from(c) - 0x60).unwrap_or(c),
            _ => c,
        };
        match c {
            'ヷ' => folded.extend(['ゔ', 'ぁ']),
            'ヸ' => folded.extend(['ゔ', 'ぃ']),
            'ヹ' => folded.extend(['ゔ', 'ぇ']),
            'ヺ' => folded.extend(['ゔ', 'ぉ']),
            '・' => folded.push(' '),
            // The iteration marks repeat the kana before them, ゞ voiced (すゞ → すず).
            'ゝ' | 'ゞ' => {
                match folded.last().copied().filter(|last| syllable(*last).is_some()) {
                    Some(last) => {
                        // The unvoiced kana of these rows sit just below their voiced ones.
                        let voices =
                            c == 'ゞ' && "かきくけこさしすせそたちつてとはひふへほ".contains(last);
                        let voiced = voices.then(|| char::from_u32(u32::from(last) + 1)).flatten();
                        folded.push(voiced.unwrap_or(last));
                    }
                    None => folded.push(c),
                }
            }
            _ => folded.push(c),
        }
    }
    folded
}

/// `kana` in Latin letters, lower case; characters that are not kana (kanji, Latin, digits,
/// spaces) are kept as they are, and the katakana middle dot becomes a space.
pub fn romaji(kana: &str) -> String {
    let chars = fold(kana);
    let mut out = String::with_capacity(chars.len() * 2);
    // A pending っ doubles the next consonant; the last vowel drops a passport-style long one.
    let mut doubled = false;
    let mut last_vowel: Option<char> = None;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c == SOKUON {
            doubled = true;
            continue;
        }
        if c == LONG {
            // ラーメン → ramen: long vowels are not written.
            continue;
        }
        let Some(base) = syllable(c) else {
            out.push(c);
            (doubled, last_vowel) = (false, None);
            continue;
        };
        let mut romaji = base.to_owned();
        if c == N {
            // ん before a vowel or y is n' (きんえん, kin'en; not kinen).
            let next = chars.get(i).copied().and_then(syllable).unwrap_or("");
            if next.starts_with(['a', 'i', 'u', 'e', 'o', 'y']) {
                romaji.push('\'');
            }
        } else if let Some((y, vowel)) = chars.get(i).copied().and_then(small)
            && small(c).is_none()
        {
            romaji = join(base, y, vowel);
            i += 1;
        }
        // Passports drop the second vowel of おう, おお and うう.
        let long =
            matches!((last_vowel, romaji.as_str()), (Some('o'), "u" | "o") | (Some('u'), "u"));
        if long {
            doubled = false;
            continue;
        }
        if doubled {
            match romaji.chars().next() {
                Some('c') => out.push('t'),
                Some(first) if !"aiueon".contains(first) => out.push(first),
                _ => {}
            }
            doubled = false;
        }
        out.push_str(&romaji);
        last_vowel = romaji.chars().last().filter(|last| "aiueo".contains(*last));
    }
    out
}

#[cfg(test)]
mod tests;
