# 商い — 日本語

app-name = 商い
app-tagline = お店のレジ
language = 言語
language-ja = 日本語
language-en = English

## akinai quote のエラー（どの項目かを必ず示す）
error-malformed = { $field }: JSON として読めません（{ $line } 行 { $column } 列）
error-invalid = { $field }: 入力が正しくありません（{ $detail }）
error-unknown-value = { $field }: 「{ $value }」は使えません（使える値: { $expected }）
error-negative = { $field }: マイナスにはできません
error-discount-too-large = { $field }: 値引 { $discount } が対象の金額 { $applies_to } を超えています
error-too-large = { $field }: 金額が大きすぎます
error-invalid-date = { $field }: 「{ $value }」は日付（YYYY-MM-DD）ではありません
error-no-rate = { $field }: { $date } に適用される消費税率がありません
