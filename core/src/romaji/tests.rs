use super::romaji;

/// Each (kana, romaji) pair, checked one by one so that a failure names its example.
fn check(cases: &[(&str, &str)]) {
    for (kana, expected) in cases {
        assert_eq!(romaji(kana), *expected, "romaji of {kana}");
    }
}

#[test]
fn the_examples_of_the_plan() {
    check(&[
        ("おにぎり", "onigiri"),
        ("とうきょう", "tokyo"),
        ("ラーメン", "ramen"),
        ("きっぷ", "kippu"),
        ("しんぶん", "shinbun"),
        ("てぬぐい", "tenugui"),
        ("まっちゃ", "matcha"),
        ("ちゅうはい", "chuhai"),
        ("ぎゅうどん", "gyudon"),
        ("おおさか", "osaka"),
        ("きんえん", "kin'en"),
    ]);
}

#[test]
fn long_vowels_are_written_as_passports_do() {
    check(&[
        ("コーヒー", "kohi"),
        ("ビール", "biru"),
        ("ふうせん", "fusen"),
        ("ゆうき", "yuki"),
        ("こうちゃ", "kocha"),
        // Only おう, おお and うう shorten: ああ, いい and えい stay.
        ("おかあさん", "okaasan"),
        ("おにいさん", "oniisan"),
        ("せんべい", "senbei"),
        ("ー", ""),
    ]);
}

#[test]
fn small_tsu_doubles_the_next_consonant() {
    check(&[
        ("ざっし", "zasshi"),
        ("ほっと", "hotto"),
        ("ミッション", "misshon"),
        ("こっち", "kotchi"),
        ("あっ", "a"),
        ("っあ", "a"),
    ]);
}

#[test]
fn small_ya_yu_yo_join_the_kana_before() {
    check(&[
        ("きゃべつ", "kyabetsu"),
        ("しゃしん", "shashin"),
        ("じゃがいも", "jagaimo"),
        ("ちょこ", "choko"),
        ("ひゃく", "hyaku"),
        ("りょかん", "ryokan"),
        ("にゅうめん", "nyumen"),
        ("みょうが", "myoga"),
        ("びょういん", "byoin"),
        ("ぴゃ", "pya"),
        ("ぢゃ", "ja"),
        ("ゃ", "ya"),
    ]);
}

#[test]
fn small_vowels_make_the_sounds_of_loanwords() {
    check(&[
        ("ファミチキ", "famichiki"),
        ("ティー", "ti"),
        ("ディナー", "dina"),
        ("トゥナ", "tuna"),
        ("ウィスキー", "wisuki"),
        ("ウォッカ", "wokka"),
        ("シェフ", "shefu"),
        ("チェック", "chekku"),
        ("ジェラート", "jerato"),
        ("フォーク", "foku"),
        ("イェール", "yeru"),
        ("クァ", "kwa"),
        ("デュエット", "dyuetto"),
        ("ァ", "a"),
    ]);
}

#[test]
fn n_is_always_n_and_n_apostrophe_before_a_vowel_or_y() {
    check(&[
        ("せんぱい", "senpai"),
        ("てんぷら", "tenpura"),
        ("こんにちは", "konnichiha"),
        ("しんや", "shin'ya"),
        ("たんい", "tan'i"),
        ("ほんを", "hon'o"),
        ("ん", "n"),
    ]);
}

#[test]
fn old_and_voiced_kana() {
    check(&[
        ("ちぢみ", "chijimi"),
        ("はなぢ", "hanaji"),
        ("つづく", "tsuzuku"),
        ("ゑびす", "ebisu"),
        ("ゐど", "ido"),
        ("ヰスキー", "isuki"),
        ("ヴ", "vu"),
        ("ヴァイオリン", "vaiorin"),
        ("ヴィーガン", "vigan"),
        ("ヷ", "va"),
        ("ヶ", "ke"),
        ("こゝろ", "kokoro"),
        ("いすゞ", "isuzu"),
        ("ミスヾ", "misuzu"),
        ("ゝ", "ゝ"),
    ]);
}

#[test]
fn katakana_and_half_width_katakana_read_as_hiragana() {
    check(&[
        ("オニギリ", "onigiri"),
        ("ｵﾆｷﾞﾘ", "onigiri"),
        ("ﾗｰﾒﾝ", "ramen"),
        ("ﾏｯﾁｬ", "matcha"),
        ("ﾊﾟﾝ", "pan"),
        ("ｶﾚｰ･ﾗｲｽ", "kare raisu"),
        // Decomposed kana (か + combining dakuten) read as their composed form.
        ("か\u{3099}", "ga"),
    ]);
}

#[test]
fn other_characters_are_kept_as_they_are() {
    check(&[
        ("", ""),
        ("抹茶ラテ L", "抹茶rate L"),
        ("ABC 123", "ABC 123"),
        ("ＡＢＣ", "ＡＢＣ"),
        ("カレー・ライス", "kare raisu"),
        ("おにぎり（鮭）", "onigiri（鮭）"),
        ("お、う", "o、u"),
    ]);
}
