//! A small client for the server's owner API (`docs/api.md`): same-origin requests, so the
//! browser sends the HttpOnly session cookie itself and the app never sees the token.

use gloo_net::http::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Where the API lives.
pub const BASE: &str = "/api/v1";

/// What the server says when it refuses a request.
#[derive(serde::Deserialize)]
struct Refusal {
    error: String,
    #[serde(default)]
    field: Option<String>,
}

/// A request to `path` (under [`BASE`]).
fn request(method: Method, path: &str) -> RequestBuilder {
    RequestBuilder::new(&format!("{BASE}{path}")).method(method)
}

/// Sends a built request and turns every failure into the app's error: no network, a lapsed
/// session (so the view can ask to sign in), or the server's refusal in its own words.
async fn send(request: Result<gloo_net::http::Request, gloo_net::Error>) -> Result<Response> {
    let network = |e: gloo_net::Error| Error::Network(e.to_string());
    let response = request.map_err(network)?.send().await.map_err(network)?;
    match response.status() {
        200..=299 => Ok(response),
        401 => Err(Error::SignedOut),
        status => {
            let refusal = response.text().await.map_err(|e| Error::Data(e.to_string()));
            let detail = match refusal.and_then(|text| from_json::<Refusal>(&text)) {
                Ok(Refusal { error, field: Some(field) }) => format!("{field}: {error}"),
                Ok(Refusal { error, field: None }) => error,
                Err(_) => response.status_text(),
            };
            Err(Error::Refused { status, detail })
        }
    }
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
    let value = serde_wasm_bindgen::to_value(value).map_err(|e| Error::Data(e.to_string()))?;
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

/// `method path` with no body, answered with JSON.
async fn bodiless<T: DeserializeOwned>(method: Method, path: &str) -> Result<T> {
    json(send(request(method, path).build()).await?).await
}

/// `GET path`, answered with JSON.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T> {
    bodiless(Method::GET, path).await
}

/// `POST path` with no body (making something the server fills in), answered with JSON.
pub async fn post<T: DeserializeOwned>(path: &str) -> Result<T> {
    bodiless(Method::POST, path).await
}

/// `method path` with a JSON body, answered with JSON.
pub async fn call<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
) -> Result<T> {
    let request = request(method, path).header("Content-Type", "application/json");
    json(send(request.body(to_json(body)?)).await?).await
}

/// `method path` with no body and no answer worth reading (a 201 or 204).
pub async fn act(method: Method, path: &str) -> Result<()> {
    send(request(method, path).build()).await.map(drop)
}

/// `POST path` with raw bytes (a CSV file as the owner chose it), answered with JSON.
pub async fn post_bytes<T: DeserializeOwned>(
    path: &str,
    content_type: &str,
    bytes: js_sys::Uint8Array,
) -> Result<T> {
    let request = request(Method::POST, path).header("Content-Type", content_type).body(bytes);
    json(send(request).await?).await
}
