use proptest::prelude::*;

use std::collections::BTreeMap;

use super::*;

/// Ids 1, 2, 3, ... in the order they are asked for.
fn ids() -> impl FnMut() -> Uuid {
    let mut next = 0;
    move || {
        next += 1;
        Uuid::from_u128(next)
    }
}

fn import(text: &str) -> Result<CsvImport> {
    import_csv(text.as_bytes(), &[], ids())
}

fn only(text: &str) -> Item {
    let import = import(text).unwrap();
    assert_eq!(import.items.len(), 1, "{import:?}");
    import.items.into_iter().next().unwrap()
}

fn cell(row: usize, column: &'static str, value: &str) -> Error {
    Error::CsvCell { row, column, value: value.into() }
}

fn item(id: u128, name: &str, price: i64, barcode: Option<&str>) -> Item {
    Item {
        id: Uuid::from_u128(id),
        name: name.into(),
        kana: String::new(),
        price: Yen::new(price),
        tax_class: TaxClass::Food,
        category: String::new(),
        barcode: barcode.map(Into::into),
        color: String::new(),
        open_price: false,
        names: Default::default(),
    }
}

#[test]
fn reads_shift_jis_as_japanese_excel_saves_it() {
    // 表 and ソ end in the byte 0x5C (a backslash in ASCII), and ¥ is 0x5C itself.
    let text = "商品名,読み,単価,税区分,分類,JAN\r\n\
                おにぎり 鮭,オニギリ,150,軽減,おにぎり,4901234567894\r\n\
                表示ソフト,ヒョウジソフト,\"¥1,200\",標準,ソフト,\r\n";
    let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "the test needs bytes that are not UTF-8");

    let import = import_csv(&bytes, &[], ids()).unwrap();
    assert_eq!(
        import.items,
        [
            Item {
                id: Uuid::from_u128(1),
                name: "おにぎり 鮭".into(),
                kana: "オニギリ".into(),
                price: Yen::new(150),
                tax_class: TaxClass::Food,
                category: "おにぎり".into(),
                barcode: Some("4901234567894".into()),
                color: String::new(),
                open_price: false,
                names: Default::default(),
            },
            Item {
                id: Uuid::from_u128(2),
                name: "表示ソフト".into(),
                kana: "ヒョウジソフト".into(),
                price: Yen::new(1200),
                tax_class: TaxClass::Standard,
                category: "ソフト".into(),
                barcode: None,
                color: String::new(),
                open_price: false,
                names: Default::default(),
            },
        ]
    );
    assert_eq!((import.added, import.updated, import.unchanged), (2, 0, 0));
}

#[test]
fn reads_utf8_with_a_bom() {
    let bytes = "\u{FEFF}name,price,tax_class\r\nTea,120,food\r\n".as_bytes();
    let import = import_csv(bytes, &[], ids()).unwrap();
    assert_eq!(import.items, [item(1, "Tea", 120, None)]);
}

#[test]
fn reads_japanese_and_loosely_written_headers() {
    let item = only(
        "商品名,カナ,価格,税区分,カテゴリ,バーコード,色,自由価格\n\
         ビール,ビール,300,酒類,飲み物,４９０１,#2a9d8f,いいえ\n",
    );
    assert_eq!(item.kana, "ビール");
    assert_eq!(item.tax_class, TaxClass::Alcohol);
    assert_eq!(item.category, "飲み物");
    assert_eq!(item.barcode.as_deref(), Some("4901"));
    assert_eq!(item.color, "#2a9d8f");
    assert!(!item.open_price);

    let item =
        only("Name,よみ,PRICE,Tax Class,分類,JAN,Colour,Open-Price\nx,えっくす,1,food,c,1,,1\n");
    assert_eq!(
        (item.kana.as_str(), item.category.as_str(), item.open_price),
        ("えっくす", "c", true)
    );
    let item =
        only("品名,フリガナ,売価,課税区分,部門,ｊａｎ,色,価格入力\nx,エックス,1,8%,c,1,,○\n");
    assert_eq!(
        (item.kana.as_str(), item.tax_class, item.open_price),
        ("エックス", TaxClass::Food, true)
    );
}

#[test]
fn columns_akinai_does_not_know_are_ignored() {
    let item = only("name,在庫,price,tax_class\nx,5,1,food\n");
    assert_eq!(item, item_with(|i| i.price = Yen::new(1)));
}

fn item_with(change: impl FnOnce(&mut Item)) -> Item {
    let mut item = item(1, "x", 0, None);
    change(&mut item);
    item
}

#[test]
fn tax_classes_in_english_and_japanese() {
    let words = [
        ("standard", TaxClass::Standard),
        ("Food", TaxClass::Food),
        ("reduced", TaxClass::Reduced),
        ("ALCOHOL", TaxClass::Alcohol),
        ("exempt", TaxClass::Exempt),
        ("標準", TaxClass::Standard),
        ("10%", TaxClass::Standard),
        ("１０％", TaxClass::Standard),
        ("軽減", TaxClass::Food),
        ("食品", TaxClass::Food),
        ("8%", TaxClass::Food),
        ("新聞", TaxClass::Reduced),
        ("酒類", TaxClass::Alcohol),
        ("酒", TaxClass::Alcohol),
        ("非課税", TaxClass::Exempt),
    ];
    for (word, class) in words {
        assert_eq!(
            only(&format!("name,price,tax_class\nx,1, {word} \n")).tax_class,
            class,
            "{word}"
        );
    }
}

#[test]
fn prices_as_shops_write_them() {
    let prices = [
        ("1200", 1200),
        ("\"1,200\"", 1200),
        ("¥1200", 1200),
        ("\"￥1,200\"", 1200),
        ("\\1200", 1200),
        ("１２００", 1200),
        ("1200円", 1200),
        ("1200.00", 1200),
        (" 980 ", 980),
        ("0", 0),
        ("\"1,000,000\"", 1_000_000),
    ];
    for (written, yen) in prices {
        let text = format!("name,price,tax_class\nx,{written},food\n");
        assert_eq!(only(&text).price, Yen::new(yen), "{written}");
    }
    for bad in
        ["abc", "-100", "12.5", "1,20", "1234,567", "1 200", "¥", "1e3", "9999999999999999999"]
    {
        let text = format!("name,price,tax_class\nx,\"{bad}\",food\n");
        assert_eq!(import(&text), Err(cell(2, "price", bad)), "{bad}");
    }
}

#[test]
fn open_price_words_and_a_blank_price() {
    for (word, open) in [
        ("true", true),
        ("TRUE", true),
        ("1", true),
        ("はい", true),
        ("○", true),
        ("false", false),
        ("0", false),
        ("いいえ", false),
        ("", false),
    ] {
        let text = format!("name,price,tax_class,open_price\nx,10,food,{word}\n");
        assert_eq!(only(&text).open_price, open, "{word}");
    }
    // An open-price item may leave the price blank; others may not.
    let item = only("name,price,tax_class,自由価格\n惣菜,,food,はい\n");
    assert_eq!((item.price, item.open_price), (Yen::ZERO, true));
    assert_eq!(import("name,price,tax_class\n惣菜,,food\n"), Err(cell(2, "price", "")));
}

#[test]
fn quoted_commas_quotes_and_line_breaks() {
    let import = import(
        "name,price,tax_class\r\n\
         \"Tea, green\",120,food\r\n\
         \"5\"\" plate\",800,standard\r\n\
         \"Two\r\nlines\",100,standard\r\n",
    )
    .unwrap();
    let names: Vec<&str> = import.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["Tea, green", "5\" plate", "Two\r\nlines"]);
}

#[test]
fn rows_are_numbered_as_a_spreadsheet_shows_them() {
    // Row 3 is blank, row 4 has a line break in a cell, row 5 is an empty Excel row.
    let text = "name,price,tax_class\r\n\
                Tea,120,food\r\n\
                \r\n\
                \"Two\r\nlines\",100,standard\r\n\
                ,,\r\n\
                Bad,abc,food\r\n";
    assert_eq!(import(text), Err(cell(6, "price", "abc")));
    assert_eq!(import(&text.replace("\r\n", "\n")), Err(cell(6, "price", "abc")));
    assert_eq!(import(&text.replace("\r\n", "\r")), Err(cell(6, "price", "abc")));
    assert_eq!(import(text.trim_end()), Err(cell(6, "price", "abc")));
    assert_eq!(import(&format!("\r\n\n{text}")), Err(cell(8, "price", "abc")));
}

#[test]
fn short_rows_are_padded_and_trailing_empty_cells_ignored() {
    let item = only("name,price,tax_class,category,color\nx,0,food\n");
    assert_eq!(item, item_with(|_| {}));
    let item = only("name,price,tax_class\nx,0,food,,\n");
    assert_eq!(item, item_with(|_| {}));
}

#[test]
fn a_header_without_rows_imports_nothing() {
    assert_eq!(
        import("name,price,tax_class\r\n"),
        Ok(CsvImport { items: vec![], added: 0, updated: 0, unchanged: 0 })
    );
}

#[test]
fn updates_keep_ids_and_the_fields_the_file_lacks() {
    let mut milk = item(10, "牛乳", 200, Some("4901234567894"));
    milk.kana = "ぎゅうにゅう".into();
    milk.color = "#ffffff".into();
    let mut onigiri = item(11, "おにぎり", 150, None);
    onigiri.category = "米飯".into();
    let tea = item(12, "お茶", 120, Some("T1"));
    let rice = item(13, "ごはん", 100, None);
    let existing = [milk.clone(), onigiri.clone(), tea.clone(), rice.clone()];

    let text = "name,price,tax_class,barcode\n\
                牛乳 1L,250,food,4901234567894\n\
                おにぎり,150,food,\n\
                ごはん,100,food,4900000000001\n\
                パン,180,food,\n";
    let import = import_csv(text.as_bytes(), &existing, ids()).unwrap();

    let milk_after = Item { name: "牛乳 1L".into(), price: Yen::new(250), ..milk.clone() };
    // Matched by name; a shop adding barcodes to its catalog.
    let rice_after = Item { barcode: Some("4900000000001".into()), ..rice.clone() };
    let bread = item(1, "パン", 180, None);
    assert_eq!(
        import.items,
        [milk_after.clone(), onigiri.clone(), rice_after.clone(), bread.clone()]
    );
    assert_eq!((import.added, import.updated, import.unchanged), (1, 2, 1));
    assert_eq!(import.merged_into(&existing), [milk_after, onigiri, tea, rice_after, bread]);
}

#[test]
fn a_row_without_a_barcode_updates_an_item_by_its_name() {
    let existing = [item(10, "牛乳", 200, Some("4901234567894"))];
    let import = import_csv("name,price,tax_class\n牛乳,210,food\n".as_bytes(), &existing, ids());
    let items = import.unwrap().items;
    assert_eq!(items, [Item { price: Yen::new(210), ..existing[0].clone() }]);
}

#[test]
fn not_utf8_nor_shift_jis_names_the_line() {
    let bytes = b"name,price,tax_class\r\nok,1,food\r\n\x82\xff,100,food\r\n";
    assert_eq!(import_csv(bytes, &[], ids()), Err(Error::CsvEncoding { line: 3 }));
    // With a UTF-8 BOM the file is UTF-8 or nothing, even where its bytes are valid Shift_JIS.
    let (shift_jis, _, _) = SHIFT_JIS.encode("緑茶,120,food\r\n");
    let bytes = [b"\xEF\xBB\xBFname,price,tax_class\r\n".as_slice(), &shift_jis].concat();
    assert_eq!(import_csv(&bytes, &[], ids()), Err(Error::CsvEncoding { line: 2 }));
}

#[test]
fn an_empty_file_is_an_error() {
    for text in ["", "\u{FEFF}", "\r\n\r\n", ",,\r\n  \r\n"] {
        assert_eq!(import(text), Err(Error::CsvEmpty), "{text:?}");
    }
}

#[test]
fn missing_and_doubled_columns_are_named() {
    let missing = |column| Err(Error::CsvMissingColumn { column });
    assert_eq!(import("price,tax_class\n1,food\n"), missing("name"));
    assert_eq!(import("name,税区分\nx,food\n"), missing("price"));
    assert_eq!(import("name,price,category\nx,1,c\n"), missing("tax_class"));
    assert_eq!(
        import("name,price,商品名,tax_class\n"),
        Err(Error::CsvDuplicateColumn {
            column: "name",
            first: "name".into(),
            second: "商品名".into()
        })
    );
}

#[test]
fn a_bad_cell_names_its_row_and_column() {
    let header = "name,price,tax_class,barcode,color,open_price\n";
    let first = "ok,1,food,,,\n";
    let cases = [
        ("b,abc,food,,,", cell(3, "price", "abc")),
        (" ,1,food,,,", cell(3, "name", "")),
        ("b,1,beer,,,", cell(3, "tax_class", "beer")),
        ("b,1,,,,", cell(3, "tax_class", "")),
        ("b,1,food,4.90123E+12,,", cell(3, "barcode", "4.90123E+12")),
        ("b,1,food,,red;x,", cell(3, "color", "red;x")),
        ("b,1,food,,#12345,", cell(3, "color", "#12345")),
        // Only #rrggbb: the register puts the colour in a style.
        ("b,1,food,,red;background:url(x),", cell(3, "color", "red;background:url(x)")),
        ("b,1,food,,teal,", cell(3, "color", "teal")),
        ("b,1,food,,#FFF,", cell(3, "color", "#FFF")),
        ("b,1,food,,,maybe", cell(3, "open_price", "maybe")),
    ];
    for (row, error) in cases {
        assert_eq!(import(&format!("{header}{first}{row}\n")), Err(error), "{row}");
    }
}

#[test]
fn a_row_with_extra_cells_is_refused() {
    // An unquoted 1,200 shifts the tax class into a fourth cell.
    assert_eq!(
        import("name,price,tax_class\nりんご,1,200,food\n"),
        Err(Error::CsvExtraCells { row: 2, found: 4, expected: 3 })
    );
}

#[test]
fn two_rows_for_one_item_are_refused() {
    let duplicate = |row, first_row, column, value: &str| {
        Err(Error::CsvDuplicateRow { row, first_row, column, value: value.into() })
    };
    assert_eq!(
        import("name,price,tax_class,barcode\na,1,food,123\nb,2,food,\nc,3,food,123\n"),
        duplicate(4, 2, "barcode", "123")
    );
    assert_eq!(import("name,price,tax_class\na,1,food\na,2,food\n"), duplicate(3, 2, "name", "a"));
    // One row finds the item by its barcode, the other by its name.
    let existing = [item(10, "牛乳", 200, Some("123"))];
    let text = "name,price,tax_class,barcode\n牛乳 1L,1,food,123\n牛乳,2,food,\n";
    assert_eq!(import_csv(text.as_bytes(), &existing, ids()), duplicate(3, 2, "name", "牛乳"));
}

#[test]
fn messages_say_where_and_what() {
    assert_eq!(
        cell(3, "price", "abc").to_string(),
        "row 3, price: \"abc\" is not valid (expected a whole number of yen, 0 or more, like 1200, 1,200 or ¥1200)"
    );
    assert_eq!(
        Error::CsvMissingColumn { column: "tax_class" }.to_string(),
        "the header row has no tax_class column"
    );
    assert_eq!(cell(3, "price", "abc").field().as_str(), "csv.rows[3].price");
    assert_eq!(Error::CsvMissingColumn { column: "name" }.field().as_str(), "csv.name");
    assert_eq!(
        Error::CsvExtraCells { row: 2, found: 4, expected: 3 }.field().as_str(),
        "csv.rows[2]"
    );
    assert_eq!(Error::CsvEmpty.field().as_str(), "csv");
}

#[test]
fn export_writes_the_english_header_for_excel() {
    let mut tea = item(1, "Tea, \"green\"", 1200, Some("4901234567894"));
    tea.open_price = true;
    assert_eq!(
        export_csv(&[tea]),
        "\u{FEFF}name,kana,price,tax_class,category,barcode,color,open_price\r\n\
         \"Tea, \"\"green\"\"\",,1200,food,,4901234567894,,true\r\n"
    );
}

#[test]
fn export_guards_cells_that_start_like_a_formula_and_import_takes_the_guard_off() {
    let mut risky = item(1, "=HYPERLINK(\"http://x.example\",\"a\")", 120, Some("-12"));
    risky.kana = "+81".into();
    risky.category = "@SUM(A1)".into();
    let quoted = item(2, "'=already quoted", 0, None);
    let plain = item(3, "'plain", 0, None);
    let items = [risky, quoted, plain];
    let csv = export_csv(&items);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(csv.as_bytes());
    let rows: Vec<StringRecord> = reader.records().map(|row| row.unwrap()).collect();
    assert_eq!(&rows[0][0], "'=HYPERLINK(\"http://x.example\",\"a\")");
    assert_eq!((&rows[0][1], &rows[0][4], &rows[0][5]), ("'+81", "'@SUM(A1)", "'-12"));
    assert_eq!(&rows[1][0], "''=already quoted");
    assert_eq!(&rows[2][0], "'plain");
    for row in &rows {
        for cell in row {
            assert!(!cell.starts_with(FORMULA_STARTS), "{cell:?} in {csv}");
        }
    }
    let mut ids = items.iter().map(|item| item.id);
    let back = import_csv(csv.as_bytes(), &[], || ids.next().unwrap_or_default()).unwrap();
    assert_eq!(back.items, items);
}

#[test]
fn more_rows_than_one_import_takes_are_refused() {
    let rows = |count: usize| {
        let mut text = String::from("name,price,tax_class\n");
        for n in 0..count {
            text.push_str(&format!("item {n},100,food\n"));
        }
        text
    };
    assert_eq!(import(&rows(MAX_IMPORT_ROWS)).map(|import| import.added), Ok(MAX_IMPORT_ROWS));
    let refused = import(&rows(MAX_IMPORT_ROWS + 1)).unwrap_err();
    assert_eq!(refused, Error::CsvTooManyRows { limit: 10_000 });
    assert_eq!(refused.field().as_str(), "csv");
}

fn arb_item() -> impl Strategy<Value = Item> {
    let classes: Vec<TaxClass> = TaxClass::NAMES.iter().map(|(_, class)| *class).collect();
    (
        any::<u128>(),
        "[=+@'a-zA-Z0-9ぁ-んァ-ヶ漢字ｶﾞ ,;\"'\r\n#¥-]{1,12}",
        "[ぁ-んァ-ヶｱ-ﾝ ]{0,8}",
        0i64..=10_000_000,
        prop::sample::select(classes),
        "[=+@'a-zA-Zあ-ん ,\"-]{0,8}",
        prop::option::of("[0-9A-Z-]{1,14}"),
        prop::sample::select(vec!["", "#2a9d8f", "#FFFFFF"]),
        any::<bool>(),
        arb_names(),
    )
        .prop_filter_map(
            "names are trimmed and not blank",
            |(id, name, kana, price, tax_class, category, barcode, color, open_price, names)| {
                let name = name.trim();
                (!name.is_empty()).then(|| Item {
                    id: Uuid::from_u128(id),
                    name: name.to_owned(),
                    kana: kana.trim().to_owned(),
                    price: Yen::new(price),
                    tax_class,
                    category: category.trim().to_owned(),
                    barcode,
                    color: color.to_owned(),
                    open_price,
                    names,
                })
            },
        )
}

/// Translated names in a few languages, some starting like a formula.
fn arb_names() -> impl Strategy<Value = BTreeMap<String, String>> {
    let tag = prop::sample::select(vec!["en", "ko", "zh-Hans", "zh-Hant", "pt-BR"]);
    let name = "[=+@'a-zA-Z가-힣漢字 ,\"-]{1,10}".prop_filter_map("trimmed, not blank", |name| {
        let name = name.trim();
        (!name.is_empty()).then(|| name.to_owned())
    });
    prop::collection::btree_map(tag.prop_map(str::to_owned), name, 0..3)
}

/// A catalog in which each item has its own barcode, or without one its own name.
fn arb_catalog() -> impl Strategy<Value = Vec<Item>> {
    prop::collection::vec(arb_item(), 0..16).prop_map(|items| {
        let mut keys = std::collections::HashSet::new();
        items
            .into_iter()
            .filter(|item| keys.insert(item.barcode.clone().ok_or_else(|| item.name.clone())))
            .collect()
    })
}

proptest! {
    #[test]
    fn exporting_then_importing_gives_the_same_items(items in arb_catalog()) {
        let csv = export_csv(&items);
        let mut ids = items.iter().map(|item| item.id);
        let fresh = import_csv(csv.as_bytes(), &[], || ids.next().unwrap_or_default()).unwrap();
        prop_assert_eq!(&fresh.items, &items);
        prop_assert_eq!(fresh.added, items.len());

        // Importing the export over the same catalog changes nothing.
        let again = import_csv(csv.as_bytes(), &items, Uuid::nil).unwrap();
        prop_assert_eq!(&again.items, &items);
        prop_assert_eq!(again.unchanged, items.len());
        prop_assert_eq!(again.merged_into(&items), items);
    }
}

/// Items named in other languages, `(tag, name)` pairs for item 1 and 2.
fn translated(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(tag, name)| ((*tag).to_owned(), (*name).to_owned())).collect()
}

#[test]
fn translated_names_are_read_from_name_tag_columns_in_any_spelling() {
    let text = "商品名,価格,税区分,name.ko,name_ZH-hant,商品名（en）,Name.zh-Hans\r\n\
                おにぎり 鮭,150,軽減,연어 주먹밥,鮭魚飯糰,Salmon rice ball,\r\n";
    let item = only(text);
    assert_eq!(
        item.names,
        translated(&[("ko", "연어 주먹밥"), ("zh-Hant", "鮭魚飯糰"), ("en", "Salmon rice ball")])
    );
    assert_eq!(item.check(), Ok(()));
}

#[test]
fn an_update_sets_and_clears_the_languages_the_file_has_and_keeps_the_others() {
    let mut rice = item(1, "おにぎり", 150, None);
    rice.names = translated(&[("en", "Rice ball"), ("ko", "주먹밥"), ("zh-Hans", "饭团")]);
    let text = "name,price,tax_class,name.en,name.ko,name.zh-Hant\r\n\
                おにぎり,150,food,Onigiri,,飯糰\r\n";
    let import = import_csv(text.as_bytes(), std::slice::from_ref(&rice), ids()).unwrap();
    assert_eq!((import.updated, import.added), (1, 0));
    assert_eq!(
        import.items[0].names,
        translated(&[("en", "Onigiri"), ("zh-Hans", "饭团"), ("zh-Hant", "飯糰")])
    );
    // A file without translation columns leaves them all as they were.
    let plain = import_csv(
        b"name,price,tax_class\r\n\xe3\x81\x8a\xe3\x81\xab\xe3\x81\x8e\xe3\x82\x8a,150,food\r\n",
        std::slice::from_ref(&rice),
        ids(),
    )
    .unwrap();
    assert_eq!((plain.unchanged, &plain.items[0].names), (1, &rice.names));
}

#[test]
fn bad_translation_columns_and_names_are_refused_as_name_translation() {
    let refused = |header: &str, row: &str| {
        import(&format!("name,price,tax_class,{header}\r\nお茶,120,food,{row}\r\n")).unwrap_err()
    };
    assert_eq!(refused("name.korean", "차"), cell(1, NAME_TRANSLATION, "name.korean"));
    assert_eq!(refused("name.ja", "お茶"), cell(1, NAME_TRANSLATION, "name.ja"));
    assert_eq!(refused("name.zh_Hant", "茶"), cell(1, NAME_TRANSLATION, "name.zh_Hant"));
    assert_eq!(refused("name.zh-éab", "茶"), cell(1, NAME_TRANSLATION, "name.zh-éab"));
    // Other spellings with something else in them are other columns, ignored as before.
    let ignored = "name,price,tax_class,name_kana,商品名(カナ),name_ja\r\nお茶,120,food,オチャ,オチャ,お茶\r\n";
    assert_eq!(only(ignored).names, BTreeMap::new());
    assert_eq!(
        refused("name.ko,name_ko", "차,차"),
        Error::CsvDuplicateColumn {
            column: NAME_TRANSLATION,
            first: "name.ko".into(),
            second: "name_ko".into()
        }
    );
    let long = "가".repeat(MAX_NAME_CHARS + 1);
    assert_eq!(refused("name.ko", &long), cell(2, NAME_TRANSLATION, &long));
    assert!(
        import(&format!("name,price,tax_class,name.ko\r\nお茶,120,food,{}\r\n", &long[3..]))
            .is_ok()
    );
    let many: Vec<String> = ('a'..='z').take(MAX_NAMES + 1).map(|c| format!("name.x{c}")).collect();
    let err = refused(&many.join(","), "");
    assert_eq!(err, cell(1, NAME_TRANSLATION, &many[MAX_NAMES]));
    assert_eq!(err.field().as_str(), "csv.rows[1].name_translation");
}

#[test]
fn korean_in_a_shift_jis_file_is_refused_for_the_file_must_be_utf8() {
    // Hangul is not in Shift_JIS: Excel writes it as question marks ...
    let (bytes, _, unmappable) =
        SHIFT_JIS.encode("商品名,価格,税区分,name.ko\r\nおにぎり,150,軽減,?? ???\r\n");
    assert!(!unmappable);
    assert_eq!(import_csv(&bytes, &[], ids()), Err(cell(2, NAME_TRANSLATION, "?? ???")));
    // ... and UTF-8 Korean pasted into a Shift_JIS file is neither encoding: its line is named.
    let (head, _, _) =
        SHIFT_JIS.encode("商品名,価格,税区分,name.ko\r\nお茶,120,軽減,차\r\nおにぎり,150,軽減,");
    let bytes = [head.as_ref(), "연어 주먹밥\r\n".as_bytes()].concat();
    assert_eq!(import_csv(&bytes, &[], ids()), Err(Error::CsvEncoding { line: 3 }));
    // Saved as UTF-8, the same catalog reads.
    let text = "商品名,価格,税区分,name.ko\r\nおにぎり,150,軽減,연어 주먹밥\r\n";
    assert_eq!(only(text).names, translated(&[("ko", "연어 주먹밥")]));
}

#[test]
fn export_writes_the_languages_asked_for_then_those_items_have() {
    let mut tea = item(1, "緑茶", 120, None);
    tea.names = translated(&[("zh-Hant", "綠茶"), ("en", "Green tea"), ("fr", "=Thé vert")]);
    let rice = item(2, "おにぎり", 150, None);
    let csv = export_csv_with(&[tea.clone(), rice.clone()], &["ko", "zh-Hant", "en"]);
    assert_eq!(
        csv,
        "\u{FEFF}name,kana,name.ko,name.zh-Hant,name.en,name.fr,price,tax_class,category,barcode,color,open_price\r\n\
         緑茶,,,綠茶,Green tea,'=Thé vert,120,food,,,,false\r\n\
         おにぎり,,,,,,150,food,,,,false\r\n"
    );
    let back = import_csv(csv.as_bytes(), &[tea.clone(), rice.clone()], ids()).unwrap();
    assert_eq!((back.unchanged, back.items), (2, vec![tea.clone(), rice]));
    assert!(export_csv(&[tea]).starts_with("\u{FEFF}name,kana,name.en,name.fr,name.zh-Hant,price"));
}

proptest! {
    #[test]
    fn any_translation_header_is_read_or_refused_without_panicking(
        prefix in prop::sample::select(vec!["name.", "NAME_", "商品名(", "name"]),
        tag in "\\PC{0,8}",
    ) {
        let header = format!("{prefix}{tag})").replace([',', '"', '\r', '\n'], "");
        let text = format!("name,price,tax_class,{header}\r\nお茶,120,food,茶\r\n");
        if let Ok(import) = import(&text) {
            prop_assert_eq!(import.items[0].check(), Ok(()));
        }
    }
}
