# Akinai — English

app-name = Akinai
app-tagline = The shop register
language = Language
language-ja = 日本語
language-en = English

## Errors of akinai quote (always name the field)
error-malformed = { $field }: malformed JSON at line { $line } column { $column }
error-invalid = { $field }: invalid input ({ $detail })
error-unknown-value = { $field }: unknown value "{ $value }" (expected one of: { $expected })
error-negative = { $field }: must not be negative
error-discount-too-large = { $field }: discount { $discount } is more than the { $applies_to } it applies to
error-too-large = { $field }: amount too large
error-invalid-date = { $field }: "{ $value }" is not a date (YYYY-MM-DD)
error-no-rate = { $field }: no consumption tax rate is in force on { $date }
