//! The register's state on the device, shared by every screen through context, and the actions
//! that change it. Each action updates the screen at once and writes to IndexedDB; nothing the
//! cashier taps waits on the network.

use std::rc::Rc;

use akinai_core::cart::Cart;
use akinai_core::catalog::Item;
use akinai_core::sale::{Sale, SaleContext};
use akinai_core::shift::Shift;
use akinai_core::shop::ShopSettings;
use akinai_core::staff::Staff;
use akinai_core::sync::Record;
use akinai_i18n::Lang;
use chrono::Utc;
use leptos::prelude::*;
use uuid::Uuid;

use crate::device::storage::{Edit, Storage, stores};
use crate::device::sync::{SyncHandle, SyncStatus, SyncTrigger};
use crate::device::{Device, HeldCart, StoreLink, keys};
use crate::error::{Error, Result};
use crate::pin_lock::PinLock;

/// Which screen is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// First run: set the shop up.
    Setup,
    /// Enter a PIN.
    SignIn,
    /// Ring up sales.
    Register,
    /// The receipt of the sale just completed.
    Receipt,
    /// Past sales, reprints and refunds.
    History,
    /// Open, count and close the shift; X and Z reports.
    Shift,
    /// Shop settings, staff and catalog (owner only).
    Settings,
}

/// Everything the screens read and change. Copy: every field is a handle.
#[derive(Clone, Copy)]
pub struct AppState {
    /// UI language.
    pub lang: RwSignal<Lang>,
    /// The open database; `None` until opened (or if storage is unavailable).
    pub db: StoredValue<Option<Rc<Storage>>, LocalStorage>,
    /// Shop settings; `None` until the shop is set up.
    pub shop: RwSignal<Option<ShopSettings>>,
    /// This device.
    pub device: RwSignal<Option<Device>>,
    /// Staff who may sign in.
    pub staff: RwSignal<Vec<Staff>>,
    /// The catalog.
    pub catalog: RwSignal<Vec<Item>>,
    /// Whether the catalog is read: the keypad shows before, the register waits for it.
    pub catalog_loaded: RwSignal<bool>,
    /// Who is signed in.
    pub user: RwSignal<Option<Staff>>,
    /// This device's shifts, oldest first; the last one may be open.
    pub shifts: RwSignal<Vec<Shift>>,
    /// The sale being rung up.
    pub cart: RwSignal<Cart>,
    /// The sales and refunds of today and of the last shift, by receipt number: what the register
    /// and the shift report need. The history screen reads older days from storage.
    pub sales: RwSignal<Vec<Sale>>,
    /// Carts put aside.
    pub held: RwSignal<Vec<HeldCart>>,
    /// The screen shown.
    pub screen: RwSignal<Screen>,
    /// The last problem to show the cashier, if any.
    pub error: RwSignal<Option<Error>>,
    /// The sale or refund whose receipt is shown.
    pub receipt: RwSignal<Option<Sale>>,
    /// Records waiting for the server.
    pub outbox: RwSignal<u32>,
    /// Whether the browser granted persistent storage (`None`: not known / unsupported).
    pub persisted: RwSignal<Option<bool>>,
    /// Wrong PINs in a row, and the keypad's pause they earned.
    pub pin_lock: RwSignal<PinLock>,
    /// The device's pairing with a store; `None` for a tablet used on its own.
    pub link: RwSignal<Option<StoreLink>>,
    /// How sync is going.
    pub sync: RwSignal<SyncStatus>,
    /// Wakes the sync loop after a change to send.
    pub sync_trigger: SyncTrigger,
}

impl AppState {
    /// Fresh state, before anything is loaded.
    pub fn new(lang: RwSignal<Lang>) -> Self {
        AppState {
            lang,
            db: StoredValue::new_local(None),
            shop: RwSignal::new(None),
            device: RwSignal::new(None),
            staff: RwSignal::new(Vec::new()),
            catalog: RwSignal::new(Vec::new()),
            catalog_loaded: RwSignal::new(false),
            user: RwSignal::new(None),
            shifts: RwSignal::new(Vec::new()),
            cart: RwSignal::new(Cart::new(today())),
            sales: RwSignal::new(Vec::new()),
            held: RwSignal::new(Vec::new()),
            screen: RwSignal::new(Screen::SignIn),
            error: RwSignal::new(None),
            receipt: RwSignal::new(None),
            outbox: RwSignal::new(0),
            persisted: RwSignal::new(None),
            pin_lock: RwSignal::new(PinLock::default()),
            link: RwSignal::new(None),
            sync: RwSignal::new(SyncStatus::default()),
            sync_trigger: SyncTrigger::new(),
        }
    }

    /// The open database, or the error to show if there is none.
    pub fn storage(&self) -> Result<Rc<Storage>> {
        self.db.with_value(Clone::clone).ok_or_else(|| Error::Unavailable("not open".into()))
    }

    /// Opens the database `name` and loads what the keypad and the shift need; then
    /// [`AppState::load_catalog`] reads the rest.
    pub async fn load(self, name: &str) -> Result<()> {
        let db = Rc::new(Storage::open(name).await?);
        let device = match db.get::<Device>(stores::SETTINGS, keys::DEVICE).await? {
            Some(device) => device,
            None => {
                let device = Device::first_start();
                db.set(stores::SETTINGS, keys::DEVICE, &device).await?;
                device
            }
        };
        let shop = db.get::<ShopSettings>(stores::SETTINGS, keys::SHOP).await?;
        let staff = db.all::<Staff>(stores::STAFF).await?;
        let mut shifts = db.all::<Shift>(stores::SHIFTS).await?;
        shifts.sort_by_key(|s| s.opened_at);
        // Today's sales and the last shift's (open, or closed and reported on the shift screen),
        // not every sale ever made: the history pages older days in by business day.
        let since = shifts
            .last()
            .map(|s| akinai_core::tokyo_date(s.opened_at.with_timezone(&Utc)))
            .map_or(today(), |opened| opened.min(today()));
        let sales = db.sales_from(since).await?;
        let held = db.all::<HeldCart>(stores::HELD).await?;
        let outbox = db.count(stores::OUTBOX).await?;
        self.db.set_value(Some(db));
        self.screen.set(if shop.is_some() { Screen::SignIn } else { Screen::Setup });
        self.device.set(Some(device));
        self.shop.set(shop);
        self.cart.set(self.fresh_cart());
        self.staff.set(staff);
        self.sales.set(sales);
        self.shifts.set(shifts);
        self.held.set(held);
        self.outbox.set(outbox);
        Ok(())
    }

    /// Reads the catalog (after the keypad is painted: a PIN takes a person longer), then starts
    /// syncing, which may change it.
    pub async fn load_catalog(self) -> Result<()> {
        let catalog = self.storage()?.all::<Item>(stores::CATALOG).await?;
        self.catalog.set(catalog);
        self.catalog_loaded.set(true);
        let sync = self.sync_handle()?;
        sync.restore().await?;
        sync.start();
        Ok(())
    }

    /// What the sync loop may read and change of this state.
    pub fn sync_handle(self) -> Result<SyncHandle> {
        Ok(SyncHandle {
            db: self.storage()?,
            link: self.link,
            status: self.sync,
            outbox: self.outbox,
            trigger: self.sync_trigger,
            on_records: Rc::new(move |records, replace| self.apply_records(records, replace)),
        })
    }

    /// Pairs this tablet with a store using the owner's one-time `code`, then asks whoever was
    /// signed in to sign in again: the staff are now the store's.
    pub async fn pair(self, code: &str, name: &str) -> Result<()> {
        let device_id =
            self.device.with_untracked(|d| d.as_ref().map(|d| d.id)).ok_or(Error::NoDevice)?;
        self.sync_handle()?.pair(device_id, code, name).await?;
        self.user.set(None);
        self.screen.set(if self.shop.with_untracked(Option::is_some) {
            Screen::SignIn
        } else {
            Screen::Setup
        });
        Ok(())
    }

    /// Shows records of shop data (from the server, or the tablet's own edit) on screen; with
    /// `replace`, the catalog and staff are exactly those of the records.
    pub fn apply_records(&self, records: &[Record], replace: bool) {
        if replace {
            self.catalog.set(Vec::new());
            self.staff.set(Vec::new());
        }
        for record in records {
            match record {
                Record::Item(item) => {
                    self.catalog.update(|items| upsert(items, item, |i| i.id == item.id))
                }
                Record::ItemRemoved(id) => {
                    self.catalog.update(|items| items.retain(|i| i.id != *id))
                }
                Record::Staff(person) => {
                    self.staff.update(|staff| upsert(staff, person, |s| s.id == person.id))
                }
                Record::StaffRemoved(id) => {
                    self.staff.update(|staff| staff.retain(|s| s.id != *id))
                }
                Record::Shop(shop) => {
                    self.shop.set(Some((**shop).clone()));
                    if self.cart.with_untracked(Cart::is_empty) {
                        self.cart.set(self.fresh_cart());
                    }
                }
                Record::Sale(_) | Record::Shift(_) | Record::FormalReceipt(_) => {}
            }
        }
        if self.shop.with_untracked(Option::is_some) && self.screen.get_untracked() == Screen::Setup
        {
            self.screen.set(Screen::SignIn);
        }
    }

    /// Stores the tablet's own edit of shop data (queued for the server when paired) and shows it.
    pub async fn edit(self, records: Vec<Record>) -> Result<()> {
        let send_as = self
            .link
            .with_untracked(Option::is_some)
            .then(|| self.device.with_untracked(|d| d.as_ref().map(|d| d.id)))
            .flatten();
        self.storage()?.apply(Edit { records: &records, send_as, ..Edit::default() }).await?;
        self.apply_records(&records, false);
        if send_as.is_some() {
            self.outbox.update(|n| *n += records.len() as u32);
            self.sync_trigger.kick();
        }
        Ok(())
    }

    /// An empty cart with the shop's pricing and rounding.
    pub fn fresh_cart(&self) -> Cart {
        let mut cart = Cart::new(today());
        if let Some(shop) = self.shop.get_untracked() {
            cart.pricing = shop.pricing;
            cart.rounding = shop.rounding;
        }
        cart
    }

    /// The shift open on this device, if any.
    pub fn open_shift(&self) -> Option<Shift> {
        self.shifts.with(|shifts| shifts.last().filter(|s| s.is_open()).cloned())
    }

    /// Shows `err` to the cashier.
    pub fn fail(&self, err: impl Into<Error>) {
        self.error.set(Some(err.into()));
    }

    /// Runs a storage action in the background, showing its error if it fails.
    pub fn spawn(self, action: impl std::future::Future<Output = Result<()>> + 'static) {
        leptos::task::spawn_local(async move {
            if let Err(err) = action.await {
                self.fail(err);
            }
        });
    }

    /// Stores a completed sale or refund, then shows its receipt and clears the cart.
    pub async fn commit(self, sale: Sale) -> Result<Sale> {
        let db = self.storage()?;
        let sale = db.commit_sale(sale).await?;
        self.sales.update(|sales| sales.push(sale.clone()));
        self.outbox.update(|n| *n += 1);
        self.sync_trigger.kick();
        self.receipt.set(Some(sale.clone()));
        self.screen.set(Screen::Receipt);
        Ok(sale)
    }

    /// Stores the shift as it is now and makes it the current one.
    pub async fn save_shift(self, shift: Shift) -> Result<()> {
        self.storage()?.save_shift(&shift).await?;
        self.shifts.update(|shifts| upsert(shifts, &shift, |s| s.id == shift.id));
        self.outbox.update(|n| *n += 1);
        self.sync_trigger.kick();
        Ok(())
    }

    /// Who, where and when for a new sale or refund: `None` unless someone is signed in on a
    /// device with an open shift.
    pub fn sale_context(&self) -> Option<SaleContext> {
        let shift = self.open_shift()?;
        let device = self.device.get_untracked()?;
        let user = self.user.get_untracked()?;
        Some(SaleContext {
            id: Uuid::now_v7(),
            device_id: device.id,
            at: Utc::now(),
            staff: user.name,
            shift_id: shift.id,
            shop: self.shop.get_untracked()?,
            receipt: Default::default(),
        })
    }

    /// The receipt paper's width in mm, as set for this device.
    pub fn paper_mm(&self) -> u8 {
        self.device.with_untracked(|d| d.as_ref().map_or(80, |d| d.paper_mm))
    }

    /// The staff name signed in (empty if none).
    pub fn user_name(&self) -> String {
        self.user.with(|u| u.as_ref().map(|s| s.name.clone()).unwrap_or_default())
    }

    /// A message in the UI language.
    pub fn t(&self, id: &str) -> String {
        self.lang.get().text(id)
    }
}

/// Replaces the element `same` finds with `new`, or adds `new` at the end.
fn upsert<T: Clone>(list: &mut Vec<T>, new: &T, same: impl Fn(&T) -> bool) {
    match list.iter_mut().find(|old| same(old)) {
        Some(old) => *old = new.clone(),
        None => list.push(new.clone()),
    }
}

/// Today's date in Tokyo.
pub fn today() -> chrono::NaiveDate {
    akinai_core::tokyo_date(Utc::now())
}

/// The app state provided by the root component.
pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
