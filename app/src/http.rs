//! The app's one client for the server's API (`docs/api.md`), for the owner's view and the
//! tablet alike. Every answer other than 2xx becomes [`Error::Refused`] with the server's machine
//! code: what a status means (a lapsed session, a revoked tablet, a refused pairing code) is for
//! the caller to decide.

use akinai_core::api::ErrorBody;
use gloo_net::http::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Where the API lives.
pub const BASE: &str = "/api/v1";

/// Who a request speaks for.
#[derive(Clone, Copy, Debug)]
pub enum Auth<'a> {
    /// The browser's own: the owner's HttpOnly session cookie (same origin), or nobody for the
    /// public routes.
    Browser,
    /// A paired tablet's bearer token.
    Device(&'a str),
}

/// A request to `path` (under [`BASE`]). It says it comes from the app (`X-Requested-With`), a
/// header another site cannot send, so the server takes even a bodyless or CSV request that the
/// browser's cookie signs (cross-site request forgery is refused).
fn request(auth: Auth<'_>, method: Method, path: &str) -> RequestBuilder {
    let request = RequestBuilder::new(&format!("{BASE}{path}"))
        .method(method)
        .header("X-Requested-With", "akinai");
    match auth {
        Auth::Browser => request,
        Auth::Device(token) => request.header("Authorization", &format!("Bearer {token}")),
    }
}

/// Sends a built request: no network, or the server's refusal by status and code.
async fn send(request: Result<gloo_net::http::Request, gloo_net::Error>) -> Result<Response> {
    let network = |e: gloo_net::Error| Error::Network(e.to_string());
    let response = request.map_err(network)?.send().await.map_err(network)?;
    let status = response.status();
    if (200..300).contains(&status) {
        return Ok(response);
    }
    // A proxy in front may answer without the server's body: the status alone then.
    let body = match response.text().await {
        Ok(text) => from_json::<ErrorBody>(&text).ok(),
        Err(_) => None,
    };
    let (code, field) = body.map_or((None, None), |body| (Some(body.code), body.field));
    Err(Error::Refused { status, code, field })
}

/// A JavaScript failure as the app's error.
fn js_error(err: wasm_bindgen::JsValue) -> Error {
    Error::Data(format!("{err:?}"))
}

/// Reads a value from JSON text. The browser parses it and serde-wasm-bindgen reads the result:
/// the same reader the device database uses, so the wasm carries one deserializer per type
/// rather than a second one for serde_json.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    let value = js_sys::JSON::parse(text).map_err(js_error)?;
    serde_wasm_bindgen::from_value(value).map_err(|e| Error::Data(e.to_string()))
}

/// Writes a value as JSON text (the browser's JSON.stringify, for the reason of [`from_json`]).
pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    // JSON's own shapes: `null` for none, objects for maps, as serde_json would write them.
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::Data(e.to_string()))?;
    // Some values (a unit, a lone `undefined`) have no JSON text at all.
    js_sys::JSON::stringify(&value)
        .map_err(js_error)?
        .as_string()
        .ok_or_else(|| Error::Data("no JSON for this value".into()))
}

/// Reads a JSON answer (parsed by the browser, for the reason of [`from_json`]).
async fn json<T: DeserializeOwned>(response: Response) -> Result<T> {
    from_json(&response.text().await.map_err(|e| Error::Data(e.to_string()))?)
}

/// `GET path`, answered with JSON.
pub async fn get<T: DeserializeOwned>(auth: Auth<'_>, path: &str) -> Result<T> {
    json(send(request(auth, Method::GET, path).build()).await?).await
}

/// `DELETE path`, answered with JSON (what became of the thing called off).
pub async fn delete<T: DeserializeOwned>(auth: Auth<'_>, path: &str) -> Result<T> {
    json(send(request(auth, Method::DELETE, path).build()).await?).await
}

/// `POST path` with no body (making something the server fills in), answered with JSON.
pub async fn post<T: DeserializeOwned>(auth: Auth<'_>, path: &str) -> Result<T> {
    json(send(request(auth, Method::POST, path).build()).await?).await
}

/// `method path` with a JSON body, answered with JSON.
pub async fn call<B: Serialize, T: DeserializeOwned>(
    auth: Auth<'_>,
    method: Method,
    path: &str,
    body: &B,
) -> Result<T> {
    let request = request(auth, method, path).header("Content-Type", "application/json");
    json(send(request.body(to_json(body)?)).await?).await
}

/// `method path` with a JSON body and no answer worth reading (a 204).
pub async fn submit<B: Serialize>(
    auth: Auth<'_>,
    method: Method,
    path: &str,
    body: &B,
) -> Result<()> {
    let request = request(auth, method, path).header("Content-Type", "application/json");
    send(request.body(to_json(body)?)).await.map(drop)
}

/// `method path` with no body and no answer worth reading (a 201 or 204).
pub async fn act(auth: Auth<'_>, method: Method, path: &str) -> Result<()> {
    send(request(auth, method, path).build()).await.map(drop)
}

/// `POST path` with raw bytes (a CSV file as the owner chose it), answered with JSON.
pub async fn post_bytes<T: DeserializeOwned>(
    auth: Auth<'_>,
    path: &str,
    content_type: &str,
    bytes: js_sys::Uint8Array,
) -> Result<T> {
    let request =
        request(auth, Method::POST, path).header("Content-Type", content_type).body(bytes);
    json(send(request).await?).await
}
