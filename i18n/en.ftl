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
error-not-an-amount = { $field }: "{ $value }" is not an amount of yen
error-name-needed = { $field }: a name is needed
error-too-large = { $field }: amount too large
error-invalid-date = { $field }: "{ $value }" is not a date (YYYY-MM-DD)
error-no-rate = { $field }: no consumption tax rate is in force on { $date }
error-empty-sale = { $field }: nothing has been rung up
error-tender-short = { $field }: { $tendered } tendered does not cover the { $due } due
error-change-without-cash = { $field }: { $change } change is due but no cash was tendered
error-refund-too-much = { $field }: more than is left to refund
error-nothing-to-refund = { $field }: pick at least one item to refund
error-not-refundable = { $field }: a refund cannot be refunded
error-invalid-registration-number = { $field }: "{ $value }" is not T followed by 13 digits
error-last-owner = { $field }: a store keeps at least one owner
error-pin-taken = { $field }: another staff member already has this PIN
error-shift-closed = { $field }: the shift is already closed
error-invalid-pin = { $field }: a PIN is 4 to 6 digits

## Errors of a catalog CSV import (rows as the spreadsheet numbers them; the English matches the domain's text)
error-csv-encoding = the file is neither UTF-8 nor Shift_JIS text (unreadable bytes on line { $line })
error-csv-read = row { $row }: not readable as CSV ({ $message })
error-csv-empty = the file is empty: the first row must name the columns, like name,price,tax_class
error-csv-missing-column = the header row has no { $column } column
error-csv-duplicate-column = the header row has two { $column } columns: "{ $first }" and "{ $second }"
error-csv-extra-cells = row { $row }: { $found } cells but the header has { $expected } columns
error-csv-cell = row { $row }, { $column }: "{ $value }" is not valid (expected { $expected })
error-csv-cell-empty = row { $row }, { $column }: "" is not valid (expected { $expected })
error-csv-duplicate-row = row { $row }: { $column } "{ $value }" is the same item as row { $first_row }
csv-column-name = name
csv-column-kana = kana
csv-column-price = price
csv-column-tax_class = tax_class
csv-column-category = category
csv-column-barcode = barcode
csv-column-color = color
csv-column-open_price = open_price
csv-expected-name = a name
csv-expected-price = a whole number of yen, 0 or more, like 1200, 1,200 or ¥1200
csv-expected-tax_class = standard, food, reduced, alcohol or exempt (標準, 軽減, 新聞, 酒類, 非課税)
csv-expected-open_price = true or false, or empty for false
csv-expected-color = a colour like #2a9d8f, or empty
csv-expected-barcode = the code's digits; format the column as text so Excel keeps them all

## The whole app
loading = Loading…
dismiss = Dismiss
nav = Menu
nav-register = Register
nav-history = History
nav-shift = Shift
nav-settings = Settings
lock = Lock
outbox-waiting = { $count ->
    [0] Synced
    [one] 1 waiting to sync
   *[other] { $count } waiting to sync
}
storage-full = This device's storage is full. Export old data to make room.
storage-unavailable = This browser does not let the app store data (private browsing cannot be used).
storage-blocked = Close Akinai in the other tab, then reload.
storage-failed = Could not save the data
network-failed = Cannot reach the server
shift-needed = Open the shift first (Shift → Open)
scan-not-found = Nothing in the catalog matches "{ $code }"

## First run
setup-title = Set up your shop
setup-intro = First the shop's details and the owner's PIN. No server is needed.
setup-from-server = Loaded the shop's details and { $count } items from the server.
setup-names-needed = Enter the shop's name and the owner's name
setup-start = Start
setup-demo-title = Try the demo store
setup-demo-intro = This server offers a demo store. Pair this device as the demo store's register and each sale shows on the owner's view (/owner) at once. The 店長 (manager) PIN is printed when the server starts.
setup-demo-pair = Pair with the demo store
setup-demo-device = Demo tablet
shop-name = Shop name
shop-address = Address
shop-phone = Phone
registration-number = Registration No.
owner-name = Owner's name
owner-pin = PIN (4-6 digits)
owner-pin-again = PIN again

## Sign-in
sign-in-title = Enter your PIN
sign-in = Sign in
pin = PIN
pin-clear = Clear
pin-locked = PIN entry is paused for { $seconds } seconds
pin-wrong = Wrong PIN

## Register
catalog-title = Items
search-label = Search or scan
camera-scan = Scan with camera
camera-failed = The camera cannot be used (allow camera access)
categories = Categories
category-all = All
more-items = { $count } more items: search, scan or pick a category to find them
open-price-title = Enter the price
price = Price
add = Add
cancel = Cancel
cart-title = Sale
cart-lines = Items rung up
dining = Dining
take-out = Take-out
eat-in = Eat-in
qty = Quantity
qty-down = One less
qty-up = One more
discount = Discount
line-discount = Discount
line-discount-amount = Discount amount
line-discount-unit = Line discount unit
receipt-discount-unit = Receipt discount unit
apply-receipt-discount = Apply receipt discount
apply = Apply
remove = Remove
receipt-discount = Receipt discount
rate-target = { $rate }% items
tax = Tax
tax-included-in = incl. tax
exempt = Non-taxable
exempt-short = non-taxable
total = Total
hold = Hold
recall = Recall
held-carts = Held sales
pay = Pay
due = Due
tendered = Tendered
quick-tender = Quick amounts
exact = Exact
change = Change
back = Back
complete-sale = Complete sale

## Receipt
receipt = Receipt
receipt-title = Receipt
receipt-refund = Refund
refund-of = Original receipt No. { $no }
staff = Staff
subtotal = Subtotal
tax-total = Total tax
cash = Cash
reduced-note = ※ reduced tax rate (8%) items
print = Print
next-sale = Next customer

## History and refunds
history-title = Sales history
history-search = Search by receipt No., date or amount
history-earlier = Show the business day before
today-totals = Today { $total } ({ $count } sales)
sales = Sales
reprint = Reprint
refund = Refund
void = Refund all (void)
refund-pick = Quantity to refund
refund-left = refundable
refund-confirm = Confirm refund

## Shift
shift-title = Shift
drawer-total = Total
opening-float = Opening float
open-shift = Open shift
cash-move = Cash in / out
cash-move-amount = Amount
cash-move-reason = Reason
cash-move-needs = Enter an amount and a reason
cash-in = Cash in
cash-out = Cash out
close-shift = Close (count the drawer)
closing-count = Cash in the drawer
close-shift-confirm = Close shift
x-report = X report
z-report = Z report
report-by-rate = Sales by tax rate
report-summary = Sales breakdown
report-drawer = Cash drawer
rate = Rate
gross = Incl. tax
net = Excl. tax
gross-sales = Sales total
no-category = No category
refunds = Refunds
line-discounts = Line discounts
receipt-discounts = Receipt discounts
receipts-issued = Receipts issued
receipt-range = Receipt numbers
cash-sales = Cash sales
cash-refunds = Cash refunds
expected-cash = Expected cash
counted-cash = Counted cash
over-short = Over / short

## Settings
settings-shop = Shop
pricing = Prices
pricing-tax_included = Tax included
pricing-tax_excluded = Tax excluded
rounding = Tax rounding
rounding-floor = Round down
rounding-half_up = Round half up
rounding-ceil = Round up
receipt-footer = Receipt footer
paper-width = Receipt paper width
lock-minutes = Lock the register after no use for
minutes = { $n } min
save = Save
saved = Saved
settings-staff = Staff
staff-name = Staff name
role = Role
role-owner = Owner
role-cashier = Cashier
staff-remove = Remove staff member
staff-add = Add staff
name-needed = Enter a name
settings-catalog = Catalog
csv-file = CSV file (UTF-8 or Shift_JIS)
csv-choose-file = Choose the CSV file to import
csv-not-text = This file is neither UTF-8 nor Shift_JIS text. Save it again as CSV
csv-import = Import CSV
csv-export = Export CSV
csv-imported = { $added } added, { $updated } updated
item-name = Item name
item-kana = Reading (kana)
tax-class = Tax class
tax-class-standard = Standard 10%
tax-class-food = Food & drink (8% take-out)
tax-class-reduced = Reduced 8% (newspapers)
tax-class-alcohol = Alcohol 10%
tax-class-exempt = Non-taxable
category = Category
barcode = Barcode
color = Key colour
open-price = Price entered at the register
item-add = Add item
item-edit = Edit item
item-invalid = Enter the item's name and price
edit = Edit
delete = Delete
update-ready = A new version is ready
update-now = Update now
storage-not-persistent = This browser has not granted persistent storage. Install the app (add it to the home screen) so its data is not evicted.
sync-unpaired = This tablet's pairing was revoked. Pair it again from the owner's view.
pair-title = Pair with your store
pair-intro = Enter the code shown in the owner's view, or scan its QR code. Sales then reach the store by themselves.
pair-code = Pairing code
pair-device-name = Name of this tablet
pair-submit = Pair
sync-title = Sync
sync-now = Sync now
sync-offline-since = Offline since { $time }
sync-synced-at = Synced at { $time }
sync-refused = Records the server refused
refused-hash = The record was changed after it was made
refused-device = The record belongs to another device
refused-totals = The totals do not match the computation
refused-invalid = The record was not accepted
refused-original = The refunded sale is not on the server
refused-seq = The sequence number was used twice
sign-in-no-staff = This store has no staff yet. Add staff and their PINs in the owner's view; they arrive here by themselves.
sync-standalone = Used on this device only

## Owner's view (/owner)
owner-tagline = Owner's view
owner-sign-in = Sign in
owner-sign-up = Create an account
owner-sign-out = Sign out
owner-new-account = New here? Create an account
owner-have-account = Already have an account? Sign in
owner-email = E-mail
owner-account-name = Your name
owner-password = Password
owner-password-hint = At least 10 characters
owner-offline = Offline: showing what was last loaded
owner-nav-figures = Figures
owner-nav-stores = Stores
owner-export-hint = Every store, item, staff member, device and sale, as JSON and CSV files with a README. Yours to keep.
owner-export = Export all data (zip)
owner-live-sale = { $count ->
    [one] 1 sale or refund synced at { $time }
   *[other] { $count } sales or refunds synced at { $time }
}
owner-all-stores = All stores
owner-store = Store
owner-range = Dates
owner-from = From
owner-to = To
owner-today = Today
owner-as-of = Offline: figures as of { $time }
owner-gross = Sales
owner-receipts-count = Receipts
owner-average = Average ticket
owner-compare = { $change } vs. the same days last week ({ $range }: { $gross }, { $receipts } receipts)
owner-by-store = By store
owner-receipts-n = { $count ->
    [one] 1 receipt
   *[other] { $count } receipts
}
owner-hours = By hour
owner-hours-label = Sales by hour; busiest hour { $hour }
owner-payments = Payment mix
owner-top-items = Top items
owner-amount = Amount
owner-refunds = { $count ->
    [one] 1 refund, { $amount }
   *[other] { $count } refunds, { $amount }
}
owner-receipts = Receipts
owner-figures = Figures
owner-no-receipts = No receipts in these dates
owner-more = Show more
owner-stores = Stores
owner-new-store = New store
owner-create-store = Create store
owner-devices = Devices
owner-pair = Pair a new device
owner-pair-title = Pairing code
owner-pair-code = Code to enter on the tablet
owner-pair-qr = QR code for the tablet to scan
owner-pair-expires = Valid until { $time } ({ $left } left), once
owner-pair-expired = This code has expired. Make a new one.
owner-pair-hint = On the new tablet open Akinai; on its first screen, under “Pair with your store”, enter the code or scan the QR code.
owner-pair-done = Done
owner-last-sync = Last sync
owner-never = Never
owner-waiting = Waiting to sync
owner-last-seq = Last record No.
owner-gaps = Missing records
owner-none = None
owner-rejected = Refused records
owner-device-name = Device name
owner-rename = Rename
owner-revoke = Revoke
owner-revoke-confirm = Revoke "{ $name }"? It can no longer sync; its records stay.
owner-revoked = Revoked
payment-cash = Cash
server-refused-invalid = The server did not accept this input
server-refused-forbidden = Not allowed
server-refused-not-found = Not found
server-refused-conflict = Already in use, or no longer valid
server-refused-too-many = Too many attempts. Wait a while and try again
server-refused-other = The server could not do this

# Why the server refused, by error code
code-malformed = The input is not readable JSON
code-invalid = The input is not valid
code-unknown-value = This value is not one of the choices
code-negative = This cannot be below zero
code-discount-too-large = The discount is more than the amount it applies to
code-too-large = The amount is too large
code-invalid-date = This is not a date (YYYY-MM-DD)
code-empty-sale = Nothing has been rung up
code-tender-short = The amount tendered does not cover the total
code-change-without-cash = Change is due but no cash was tendered
code-refund-too-much = More than is left to refund
code-nothing-to-refund = Pick at least one item to refund
code-not-refundable = A refund cannot be refunded
code-pin-taken = Another staff member already has this PIN
code-shift-closed = The shift is already closed
code-invalid-registration-number = A registration number is T followed by 13 digits
code-invalid-pin = A PIN is 4 to 6 digits
code-name-needed = A name is needed
code-not-an-amount = This is not an amount of yen
code-no-rate = No consumption tax rate is in force on this date
code-csv-encoding = The file is neither UTF-8 nor Shift_JIS text
code-csv-read = A row is not readable as CSV
code-csv-empty = The file is empty
code-csv-missing-column = The header row lacks a required column
code-csv-duplicate-column = The header row names a column twice
code-csv-extra-cells = A row has more cells than the header has columns
code-csv-cell = A cell is not valid for its column
code-csv-duplicate-row = Two rows are the same item
code-bad-parameter = A parameter is missing or not valid
code-body-too-large = What was sent is too large
code-not-found = Not found
code-unauthorized = Please sign in again
code-wrong-credentials = The e-mail address or password is wrong
code-forbidden = Not allowed
code-email-taken = This e-mail address already has an account
code-last-owner = The store's last owner must stay
code-pairing-code-refused = The pairing code is wrong or has expired
code-device-already-paired = This device is already paired
code-too-many-attempts = Too many attempts. Wait a while and try again
code-internal = The server could not do this

# What forms call the API's fields, in refusals ("field: what is wrong").
field-email = E-mail address
field-password = Password
field-name = Name
field-pin = PIN
field-role = Role
field-registration-number = Registration number
field-price = Price
field-code = Pairing code
