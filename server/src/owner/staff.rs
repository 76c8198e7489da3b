//! A store's staff, as the owner manages them (`/api/v1/stores/{store}/staff`): people who sign
//! in at the register with a PIN. The PIN is hashed with a random salt by the domain
//! ([`Staff::new`]) and never leaves the server in an answer; PINs are unique in a store so a
//! PIN alone says who signs in; a store keeps at least one owner-role member once it has one.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rand::RngCore;
use sqlx::{Any, Transaction};
use uuid::Uuid;

use akinai_core::api::{ErrorBody, NewStaff, StaffEdit, StaffMember};
use akinai_core::shop::{Pin, Role, Staff, pin_taken};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::store_data::{Removable, put_staff, remove};
use crate::http::auth::{OwnerSession, owned_store};
use crate::http::error::{Error, Result};
use crate::http::input::{Input, invalid};

/// A staff member as the owner sees them: no salt, no hash.
fn member(staff: &Staff) -> StaffMember {
    StaffMember { id: staff.id, name: staff.name.clone(), role: staff.role }
}

/// The store's current (not removed) staff.
async fn current(tx: &mut Transaction<'_, Any>, store_id: &str) -> Result<Vec<Staff>> {
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM staff WHERE store_id = $1 AND removed = 0")
            .bind(store_id)
            .fetch_all(&mut **tx)
            .await?;
    Ok(bodies.iter().map(|body| serde_json::from_str(body)).collect::<Result<_, _>>()?)
}

/// A random salt for a PIN hash.
fn new_salt() -> String {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    hex::encode(salt)
}

/// The trimmed name, which must not be empty.
fn name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() { Err(invalid("name", "a name is needed")) } else { Ok(name.to_owned()) }
}

/// Refuses a PIN that another member of the store (not `except`) already signs in with.
fn check_pin(staff: &[Staff], pin: &Pin, except: Option<Uuid>) -> Result<()> {
    if pin_taken(staff, pin, except) { Err(Error::PinTaken) } else { Ok(()) }
}

/// Refuses to leave a store that has an owner-role member without one.
fn keep_an_owner(staff: &[Staff], leaving: Uuid) -> Result<()> {
    let owners = staff.iter().filter(|s| s.role == Role::Owner);
    if owners.clone().any(|s| s.id == leaving) && owners.count() == 1 {
        Err(Error::LastOwner)
    } else {
        Ok(())
    }
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
    let mut staff = current(&mut tx, &store).await?;
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
    let mut tx = state.db.pool.begin().await?;
    check_pin(&current(&mut tx, &store).await?, &pin, None)?;
    let staff = Staff::new(Uuid::now_v7(), &name, input.role, &pin, &new_salt());
    put_staff(&mut tx, &store, &staff).await?;
    tx.commit().await?;
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
    let mut tx = state.db.pool.begin().await?;
    let staff = current(&mut tx, &store).await?;
    let old = staff.iter().find(|s| s.id.to_string() == id).ok_or(Error::NotFound)?;
    if input.role != Role::Owner {
        keep_an_owner(&staff, old.id)?;
    }
    let new = match &pin {
        Some(pin) => {
            check_pin(&staff, pin, Some(old.id))?;
            Staff::new(old.id, &name, input.role, pin, &new_salt())
        }
        None => Staff { name, role: input.role, ..old.clone() },
    };
    put_staff(&mut tx, &store, &new).await?;
    tx.commit().await?;
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
    let mut tx = state.db.pool.begin().await?;
    let staff = current(&mut tx, &store).await?;
    let leaving = staff.iter().find(|s| s.id.to_string() == id).ok_or(Error::NotFound)?;
    keep_an_owner(&staff, leaving.id)?;
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

    fn member(role: Role, pin: &str) -> Staff {
        Staff::new(Uuid::now_v7(), "x", role, &Pin::parse(pin).unwrap(), &new_salt())
    }

    #[test]
    fn the_last_owner_stays() {
        let (a, b, c) = (
            member(Role::Owner, "1111"),
            member(Role::Owner, "2222"),
            member(Role::Cashier, "3333"),
        );
        assert!(keep_an_owner(&[a.clone(), c.clone()], a.id).is_err());
        assert!(keep_an_owner(&[a.clone(), c.clone()], c.id).is_ok());
        assert!(keep_an_owner(&[a.clone(), b, c], a.id).is_ok());
    }

    #[test]
    fn pins_are_unique_and_salted() {
        let a = member(Role::Cashier, "1234");
        assert!(check_pin(std::slice::from_ref(&a), &Pin::parse("1234").unwrap(), None).is_err());
        assert!(
            check_pin(std::slice::from_ref(&a), &Pin::parse("1234").unwrap(), Some(a.id)).is_ok()
        );
        assert_ne!(member(Role::Cashier, "1234").pin_hash, a.pin_hash);
    }
}
