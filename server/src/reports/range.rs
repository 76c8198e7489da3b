//! Which business days and stores a report covers: `from` and `to` inclusive, all the owner's
//! stores or one of them (checked to be theirs).

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::error::{Error, Result};
use crate::http::auth::{OwnerSession, owned_store};

/// Which business days and stores: `from` and `to` inclusive, all the owner's stores or one.
#[derive(Clone, Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Range {
    /// First business day (Asia/Tokyo).
    pub from: NaiveDate,
    /// Last business day, not before `from`.
    pub to: NaiveDate,
    /// One store, or all the owner's.
    pub store: Option<Uuid>,
    /// How many sales to list (`/sales` only): 50 unless asked, taken as 1 to 500.
    pub limit: Option<i64>,
    /// How many sales to skip (`/sales` only), a negative number as 0.
    pub offset: Option<i64>,
}

/// Which stores a query covers: `$1` is the owner or the store.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    /// All the owner's stores; the key is the owner's id.
    Owner,
    /// One store; the key is its id.
    Store,
}

impl Scope {
    /// The condition on `store_id`, with the scope's key as `$1`.
    pub fn sql(self) -> &'static str {
        match self {
            Scope::Owner => "store_id IN (SELECT id FROM store WHERE owner_id = $1)",
            Scope::Store => "store_id = $1",
        }
    }
}

/// Reads the range, checking the store is the owner's; answers the scope and its `$1`.
pub async fn scope(
    state: &AppState,
    owner: &OwnerSession,
    range: std::result::Result<Query<Range>, QueryRejection>,
) -> Result<(Range, Scope, String)> {
    let Query(range) =
        range.map_err(|err| Error::BadRequest { field: "query", message: err.body_text() })?;
    if range.from > range.to {
        return Err(Error::BadRequest { field: "to", message: "ends before from".to_owned() });
    }
    match &range.store {
        Some(store) => {
            let store = store.to_string();
            owned_store(state, owner, &store).await?;
            Ok((range, Scope::Store, store))
        }
        None => Ok((range, Scope::Owner, owner.owner_id.clone())),
    }
}
