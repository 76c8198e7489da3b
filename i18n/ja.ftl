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
error-empty-sale = { $field }: 商品が登録されていません
error-tender-short = { $field }: お預かり { $tendered } ではお会計 { $due } に足りません
error-change-without-cash = { $field }: お釣り { $change } がありますが現金のお預かりがありません
error-refund-too-much = { $field }: 返品できる数量を超えています
error-nothing-to-refund = { $field }: 返品する商品を選んでください
error-not-refundable = { $field }: 返品の記録は返品できません
error-invalid-registration-number = { $field }: 「{ $value }」は T と 13 桁の数字ではありません
error-pin-taken = { $field }: この暗証番号は別のスタッフが使っています
error-shift-closed = { $field }: このシフトはすでに精算済みです
error-invalid-pin = { $field }: 暗証番号は 4〜6 桁の数字です

## 商品 CSV の取り込みのエラー（行番号は表計算ソフトの行番号、見出しが 1 行目）
error-csv-encoding = CSV ファイルの文字コードが UTF-8 でも Shift_JIS でもありません（{ $line } 行目に読めない文字があります）
error-csv-read = CSV の { $row } 行目を読めません（{ $message }）
error-csv-empty = CSV ファイルが空です。1 行目に「商品名,価格,税区分」のように列の名前を書いてください
error-csv-missing-column = CSV の 1 行目（見出し）に{ $column }の列がありません
error-csv-duplicate-column = CSV の見出しに{ $column }の列が 2 つあります（「{ $first }」と「{ $second }」）。どちらか 1 つにしてください
error-csv-extra-cells = CSV の { $row } 行目はセルが { $found } 個あり、見出しの { $expected } 列より多くなっています（1,200 のようにカンマを含む値は " で囲んでください）
error-csv-cell = CSV の { $row } 行目の{ $column }「{ $value }」が読めません（{ $expected }）
error-csv-cell-empty = CSV の { $row } 行目の{ $column }が空欄です（{ $expected }）
error-csv-duplicate-row = CSV の { $row } 行目は { $first_row } 行目と同じ商品です（{ $column }「{ $value }」）
csv-column-name = 商品名
csv-column-kana = 読み
csv-column-price = 価格
csv-column-tax_class = 税区分
csv-column-category = カテゴリ
csv-column-barcode = バーコード
csv-column-color = 色
csv-column-open_price = 自由価格
csv-expected-name = 商品名を入れてください
csv-expected-price = 0 以上の円の整数で、1200、1,200、¥1200 のように書きます
csv-expected-tax_class = 標準・軽減・新聞・酒類・非課税（または standard・food・reduced・alcohol・exempt）のどれかです
csv-expected-open_price = はい・いいえ（true・false）のどちらか、または空欄（いいえ）です
csv-expected-color = #2a9d8f のような色、または空欄です
csv-expected-barcode = コードの数字です。Excel では列の書式を「文字列」にすると桁が欠けません

## アプリ全体
loading = 読み込み中…
dismiss = 閉じる
nav = メニュー
nav-register = レジ
nav-history = 履歴
nav-shift = 精算
nav-settings = 設定
lock = ロック
outbox-waiting = { $count ->
    [0] 同期済み
   *[other] 送信待ち { $count } 件
}
storage-full = 端末の保存領域がいっぱいです。古いデータを書き出して空きを作ってください。
storage-unavailable = この端末ではデータを保存できません（プライベートブラウズ中では使えません）。
storage-blocked = 別のタブの商いを閉じてから再読み込みしてください。
storage-failed = データを保存できませんでした
network-failed = サーバーに接続できません
shift-needed = 先にレジを開けてください（精算 → 開局）
scan-not-found = 「{ $code }」に当てはまる商品がありません

## 初期設定
setup-title = お店の設定
setup-intro = はじめにお店の情報とオーナーの暗証番号を設定します。サーバーがなくても使えます。
setup-from-server = サーバーからお店の情報と商品 { $count } 点を読み込みました。
setup-names-needed = お店の名前とオーナーの名前を入力してください
setup-start = 始める
shop-name = 店名
shop-address = 住所
shop-phone = 電話番号
registration-number = 登録番号
owner-name = オーナーの名前
owner-pin = 暗証番号（4〜6桁）
owner-pin-again = 暗証番号（確認）

## サインイン
sign-in-title = 暗証番号を入力
sign-in = サインイン
pin = 暗証番号
pin-clear = 消去
pin-locked = 暗証番号の入力を { $seconds } 秒間停止しています
pin-wrong = 暗証番号が違います

## レジ
catalog-title = 商品
search-label = 商品検索・バーコード
camera-scan = カメラで読み取る
camera-failed = カメラを使えません（カメラの使用を許可してください）
categories = カテゴリ
category-all = すべて
open-price-title = 価格を入力
price = 価格
add = 追加
cancel = キャンセル
cart-title = お会計
cart-lines = 登録した商品
dining = お召し上がり
take-out = お持ち帰り
eat-in = 店内
qty = 数量
qty-down = 数量を減らす
qty-up = 数量を増やす
discount = 値引
line-discount = 値引を入れる
line-discount-amount = 値引額
line-discount-unit = 単品値引の単位
receipt-discount-unit = 小計値引の単位
apply-receipt-discount = 小計値引を適用
apply = 適用
remove = 取消
receipt-discount = 小計値引
rate-target = { $rate }%対象
tax = 消費税
tax-included-in = 内消費税
exempt = 非課税
exempt-short = 非課税
total = 合計
hold = 保留
recall = 呼出
held-carts = 保留中のお会計
pay = お会計へ
due = お会計
tendered = お預かり
quick-tender = 金額ボタン
exact = ちょうど
change = お釣り
back = 戻る
complete-sale = 会計を確定

## レシート
receipt = レシート
receipt-title = 領収書
receipt-refund = 返品
refund-of = 元レシート No. { $no }
staff = 担当
subtotal = 小計
tax-total = 消費税合計
cash = 現金
reduced-note = ※は軽減税率対象
print = 印刷
next-sale = 次のお客様

## 履歴と返品
history-title = 取引履歴
history-search = レシート番号・日付・金額で検索
today-totals = 本日の売上 { $total }（{ $count } 件）
sales = 取引
reprint = 再印刷
refund = 返品
void = 全額返品（取消）
refund-pick = 返品する数量
refund-left = 返品可能
refund-confirm = 返品を確定

## 精算（シフト）
shift-title = 精算
drawer-total = 合計
opening-float = 釣り銭準備金
open-shift = 開局
cash-move = 入出金
cash-move-amount = 金額
cash-move-reason = 理由
cash-move-needs = 金額と理由を入力してください
cash-in = 入金
cash-out = 出金
close-shift = 締め（ドロワーを数える）
closing-count = ドロワーの現金
close-shift-confirm = 精算を確定
x-report = X レポート（点検）
z-report = Z レポート（精算）
report-by-rate = 税率別売上
report-summary = 売上の内訳
report-drawer = ドロワー
rate = 税率
gross = 税込
net = 税抜
gross-sales = 売上合計
no-category = 分類なし
refunds = 返品
line-discounts = 単品値引
receipt-discounts = 小計値引
receipts-issued = レシート発行数
receipt-range = レシート番号
cash-sales = 現金売上
cash-refunds = 現金返金
expected-cash = 理論在高
counted-cash = 実在高
over-short = 過不足

## 設定
settings-shop = お店の設定
pricing = 価格表示
pricing-tax_included = 内税（税込価格）
pricing-tax_excluded = 外税（税抜価格）
rounding = 端数処理
rounding-floor = 切り捨て
rounding-half_up = 四捨五入
rounding-ceil = 切り上げ
receipt-footer = レシートの一言
paper-width = レシート用紙の幅
lock-minutes = 操作がないときに画面をロックするまで
minutes = { $n } 分
save = 保存
saved = 保存しました
settings-staff = スタッフ
staff-name = スタッフの名前
role = 役割
role-owner = オーナー
role-cashier = レジ担当
staff-remove = スタッフを削除
staff-add = スタッフを追加
name-needed = 名前を入力してください
settings-catalog = 商品
csv-file = CSV ファイル（UTF-8 または Shift_JIS）
csv-choose-file = 取り込む CSV ファイルを選んでください
csv-not-text = このファイルは UTF-8 でも Shift_JIS でもありません。CSV で保存し直してください
csv-import = CSV を取り込む
csv-export = CSV に書き出す
csv-imported = 追加 { $added } 点、更新 { $updated } 点
item-name = 商品名
item-kana = 読み（かな）
tax-class = 税区分
tax-class-standard = 標準 10%
tax-class-food = 飲食料品（持ち帰り 8%）
tax-class-reduced = 軽減 8%（新聞）
tax-class-alcohol = 酒類 10%
tax-class-exempt = 非課税
category = カテゴリ
barcode = バーコード
color = キーの色
open-price = 価格をレジで入力
item-add = 商品を追加
item-edit = 商品を編集
item-invalid = 商品名と価格を入力してください
edit = 編集
delete = 削除
update-ready = 新しいバージョンがあります
update-now = 更新する
storage-not-persistent = この端末はデータの永続保存を許可していません。ホーム画面に追加すると、データが消されにくくなります。
