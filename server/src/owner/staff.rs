//! A store's staff, as the owner manages them (`/api/v1/stores/{store}/staff`): people who sign
//! in at the register with a PIN. The PIN is hashed (argon2id, slow on purpose) with a random
//! salt by the domain ([`Staff::new`]), off the async threads, and never leaves the server in an
//! answer; PINs are unique in a store so a PIN alone says who signs in; a store keeps at least
//! one owner-role member once it has one.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rand::RngCore;
use tokio::sync::Semaphore;
use uuid::Uuid;

use akinai_core::Field;
use akinai_core::api::{ErrorBody, NewStaff, StaffEdit, StaffMember};
use akinai_core::name::Name;
use akinai_core::staff::{Pin, Role, SALT_LEN, Staff, check_owner_stays, check_pin};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::store_data::{Removable, current_staff, put_staff, remove};
use crate::error::{Error, Result};
use crate::http::auth::{OwnerSession, owned_store};
use crate::http::input::Input;
use crate::owner::accounts::hashing;

/// A staff member as the owner sees them: no salt, no hash.
fn member(staff: &Staff) -> StaffMember {
    StaffMember { id: staff.id, name: staff.name.clone(), role: staff.role }
}

/// A random salt for a PIN hash.
pub(crate) fn new_salt() -> [u8; SALT_LEN] {
    let mut salt = [0u8; SALT_LEN];
    rand::rng().fill_bytes(&mut salt);
    salt
}

/// The member with `pin` hashed: argon2id takes tens of milliseconds of CPU and megabytes, so
/// it takes a turn under the server's hashing cap like passwords do. So does checking that no
/// one else has the PIN, which verifies every hash.
async fn hashed(
    permits: &Arc<Semaphore>,
    others: Vec<Staff>,
    except: Option<Uuid>,
    (id, name, role): (Uuid, String, Role),
    pin: Pin,
) -> Result<Staff> {
    hashing(permits, move || {
        check_pin(&others, &pin, except)?;
        let staff = Staff::new(id, &name, role, &pin, &new_salt())?;
        staff.check()?;
        Ok(staff)
    })
    .await?
}

/// Judges a change to the store's staff on what it reads and writes the member `change`
/// makes, unless the staff changed meanwhile (then it judges again). `change` may hash a PIN,
/// which is slow on purpose, so it runs before the write lock is taken, never under it.
async fn write_member<F: Future<Output = Result<Staff>>>(
    state: &AppState,
    store: &str,
    change: impl Fn(Vec<Staff>) -> F,
) -> Result<Staff> {
    for _ in 0..3 {
        let mut tx = state.db.pool.begin().await?;
        let read = current_staff(&mut tx, store).await?;
        tx.commit().await?;
        let member = change(read.clone()).await?;
        let (_turn, mut tx) = state.db.begin_write().await?;
        if current_staff(&mut tx, store).await? == read {
            put_staff(&mut tx, store, &member).await?;
            tx.commit().await?;
            return Ok(member);
        }
    }
    Err(Error::Busy(1))
}

/// The trimmed name, which must not be empty.
fn name(name: &str) -> Result<String> {
    Ok(Name::parse(name, Field::top("name"))?.into())
}

/// `GET /api/v1/stores/{store}/staff`: the store's staff by name.
#[utoipa::path(get, path = "/api/v1/stores/{store}/staff", operation_id = "list_staff", tag = "staff", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    responses((status = 200, body = [StaffMember]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
) -> Result<Json<Vec<StaffMember>>> {
    owned_store(&state, &owner, &store).await?;
    let mut tx = state.db.pool.begin().await?;
    let mut staff = current_staff(&mut tx, &store).await?;
    tx.commit().await?;
    staff.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
    Ok(Json(staff.iter().map(member).collect()))
}

/// `POST /api/v1/stores/{store}/staff`: adds a staff member.
#[utoipa::path(post, path = "/api/v1/stores/{store}/staff", operation_id = "add_staff", tag = "staff", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    request_body = NewStaff,
    responses((status = 201, body = StaffMember), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The PIN is taken in the store"),
        (status = 422, body = ErrorBody, description = "No name, or a PIN that is not 4 to 6 digits")))]
pub async fn add(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
    Input(input): Input<NewStaff>,
) -> Result<(StatusCode, Json<StaffMember>)> {
    owned_store(&state, &owner, &store).await?;
    let name = name(&input.name)?;
    let pin = Pin::parse(&input.pin)?;
    let id = Uuid::now_v7();
    let staff = write_member(&state, &store, |others| {
        hashed(&state.hashing, others, None, (id, name.clone(), input.role), pin.clone())
    })
    .await?;
    Ok((StatusCode::CREATED, Json(member(&staff))))
}

/// `PUT /api/v1/stores/{store}/staff/{id}`: renames, changes the role or sets a new PIN.
#[utoipa::path(put, path = "/api/v1/stores/{store}/staff/{id}", operation_id = "edit_staff", tag = "staff", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id"), ("id" = Uuid, Path, description = "The staff member's id")),
    request_body = StaffEdit,
    responses((status = 200, body = StaffMember), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The PIN is taken, or this would leave the store without an owner"),
        (status = 422, body = ErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path((store, id)): Path<(String, String)>,
    Input(input): Input<StaffEdit>,
) -> Result<Json<StaffMember>> {
    owned_store(&state, &owner, &store).await?;
    let name = name(&input.name)?;
    let pin = input.pin.as_deref().map(Pin::parse).transpose()?;
    let new = write_member(&state, &store, |staff| async {
        let old = staff.iter().find(|s| s.id.to_string() == id).ok_or(Error::NotFound)?.clone();
        check_owner_stays(&staff, old.id, Some(input.role))?;
        match pin.clone() {
            Some(pin) => {
                let member = (old.id, name.clone(), input.role);
                hashed(&state.hashing, staff, Some(old.id), member, pin).await
            }
            None => Ok(Staff { name: name.clone(), role: input.role, ..old }),
        }
    })
    .await?;
    Ok(Json(member(&new)))
}

/// `DELETE /api/v1/stores/{store}/staff/{id}`.
#[utoipa::path(delete, path = "/api/v1/stores/{store}/staff/{id}", operation_id = "remove_staff", tag = "staff", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id"), ("id" = Uuid, Path, description = "The staff member's id")),
    responses((status = 204, description = "Removed"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The store's last owner-role member stays")))]
pub async fn delete(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path((store, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    owned_store(&state, &owner, &store).await?;
    let (_turn, mut tx) = state.db.begin_write().await?;
    let staff = current_staff(&mut tx, &store).await?;
    let leaving = staff.iter().find(|s| s.id.to_string() == id).ok_or(Error::NotFound)?;
    check_owner_stays(&staff, leaving.id, None)?;
    remove(&mut tx, &store, Removable::Staff, &id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The owner's staff routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, add)).routes(routes!(edit, delete))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salts_differ() {
        assert_ne!(new_salt(), new_salt());
    }

    #[tokio::test]
    async fn a_new_pin_is_hashed_with_argon2id_and_a_taken_one_refused() {
        let pin = || Pin::parse("4829").unwrap();
        let member = (Uuid::from_u128(1), "店長".to_owned(), Role::Owner);
        let permits = Arc::new(Semaphore::new(1));
        let first = hashed(&permits, Vec::new(), None, member.clone(), pin()).await.unwrap();
        assert!(first.pin_hash.starts_with("$argon2id$") && first.accepts(&pin()));
        let taken = hashed(
            &permits,
            vec![first.clone()],
            None,
            (Uuid::from_u128(2), "x".into(), Role::Cashier),
            pin(),
        )
        .await;
        assert!(matches!(taken, Err(Error::Domain(akinai_core::Error::PinTaken))), "{taken:?}");
        // The member's own PIN again is not "taken".
        assert!(
            hashed(&permits, vec![first], Some(Uuid::from_u128(1)), member, pin()).await.is_ok()
        );
    }
}
