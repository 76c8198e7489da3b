//! A store's payment settings (`/api/v1/stores/{store}/payment-settings`): the fee rate of each
//! tender kind and brand, which the figures and reports estimate deposits from, and the methods
//! its registers offer. The registers get them with their pull ([`crate::db::store_data`]).

use akinai_core::Field;
use akinai_core::api::ErrorBody;
use akinai_core::payment::{PaymentSettings, brands};
use axum::Json;
use axum::extract::{Path, State};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::store_data::{payment_settings, put_payment_settings};
use crate::error::{Error, Result};
use crate::http::auth::{OwnerSession, owned_store};
use crate::http::input::Input;

/// A fee rate's ceiling: 10000 basis points are the whole amount.
const MAX_BASIS_POINTS: u16 = 10_000;

/// Refuses settings a fee could not be worked out from, naming the field: a rate above 100%, a
/// brand its method does not have, or a second rate for the same method and brand.
fn check(settings: &PaymentSettings) -> Result<()> {
    for (i, rate) in settings.fees.iter().enumerate() {
        let field = |name: &str| Field::path(&format!("fees[{i}].{name}"));
        if rate.basis_points > MAX_BASIS_POINTS {
            return Err(Error::Domain(akinai_core::Error::TooLarge {
                field: field("basis_points"),
            }));
        }
        let invalid = |detail: String| {
            Error::Domain(akinai_core::Error::Invalid { field: field("brand"), detail })
        };
        if !rate.brand.is_empty() && !brands(rate.method).contains(&rate.brand.as_str()) {
            return Err(invalid(format!("not a brand of {:?}", rate.method)));
        }
        let earlier = settings.fees.iter().take(i);
        if earlier.into_iter().any(|e| e.method == rate.method && e.brand == rate.brand) {
            return Err(invalid("a second rate for the same method and brand".to_owned()));
        }
    }
    Ok(())
}

/// `GET /api/v1/stores/{store}/payment-settings`.
#[utoipa::path(get, path = "/api/v1/stores/{store}/payment-settings", operation_id = "get_payment_settings",
    tag = "stores", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    responses((status = 200, body = PaymentSettings, description = "The store's payment settings (defaults until set)"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
) -> Result<Json<PaymentSettings>> {
    owned_store(&state, &owner, &store).await?;
    let mut tx = state.db.pool.begin().await?;
    let settings = payment_settings(&mut tx, &store).await?;
    tx.commit().await?;
    Ok(Json(settings))
}

/// `PUT /api/v1/stores/{store}/payment-settings`: replaces the fee rates and enabled methods;
/// `qr_provider` is the server's to say (set by configuring a provider) and is kept as it is.
#[utoipa::path(put, path = "/api/v1/stores/{store}/payment-settings", operation_id = "put_payment_settings",
    tag = "stores", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    request_body = PaymentSettings,
    responses((status = 200, body = PaymentSettings, description = "The settings as stored"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "A rate above 10000 basis points (`too_large`), an unknown brand or a second rate for a method and brand (`invalid`); `field` says which")))]
pub async fn put(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
    Input(mut settings): Input<PaymentSettings>,
) -> Result<Json<PaymentSettings>> {
    owned_store(&state, &owner, &store).await?;
    check(&settings)?;
    let (_turn, mut tx) = state.db.begin_write().await?;
    settings.qr_provider = payment_settings(&mut tx, &store).await?.qr_provider;
    put_payment_settings(&mut tx, &store, &settings).await?;
    tx.commit().await?;
    Ok(Json(settings))
}

/// The payment settings routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, put))
}
