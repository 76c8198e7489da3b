//! A store's staff, as the owner manages them (`/api/v1/stores/{store}/staff`): people who sign
//! in at the register with a PIN. The PIN is hashed with a random salt by the domain
//! ([`Staff::new`]) and never leaves the server in an answer; PINs are unique in a store so a
//! PIN alone says who signs in; a store keeps at least one owner-role member once it has one.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rand::RngCore;
use uuid::Uuid;

use akinai_core::Field;
use akinai_core::api::{ErrorBody, NewStaff, StaffEdit, StaffMember};
use akinai_core::name::Name;
use akinai_core::staff::{Pin, Staff, check_owner_stays, check_pin};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::store_data::{Removable, current_staff, put_staff, remove};
use crate::error::{Error, Result};
use crate::http::auth::{OwnerSession, owned_store};
use crate::http::input::Input;

/// A staff member as the owner sees them: no salt, no hash.
fn member(staff: &Staff) -> StaffMember {
    StaffMember { id: staff.id, name: staff.name.clone(), role: staff.role }
}

/// A random salt for a PIN hash.
pub(crate) fn new_salt() -> String {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    hex::encode(salt)
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
    let (_turn, mut tx) = state.db.begin_write().await?;
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
    let (_turn, mut tx) = state.db.begin_write().await?;
    check_pin(&current_staff(&mut tx, &store).await?, &pin, None)?;
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
    let (_turn, mut tx) = state.db.begin_write().await?;
    let staff = current_staff(&mut tx, &store).await?;
    let old = staff.iter().find(|s| s.id.to_string() == id).ok_or(Error::NotFound)?;
    check_owner_stays(&staff, old.id, Some(input.role))?;
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
}
