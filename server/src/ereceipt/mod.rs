//! E-receipts: `GET /r/{token}`, the page a receipt's QR code links to, for the customer's own
//! phone. It shows that one receipt in the reader's language (`?lang=<tag>`, else their
//! browser's `Accept-Language`), "it will appear shortly" while a real token's sale has not
//! synced yet, and for anything else one bare 404, the same bytes whatever was wrong, so that a
//! guess learns nothing. Every page is counted per client network, and misses more strictly.
//!
//! The page is plain HTML with its own strict headers ([`sealed_page_headers`]): no script,
//! nothing fetched, no referrer (the token is in the URL), never cached, never indexed.

mod page;
mod token;

use std::sync::LazyLock;

use akinai_i18n::Lang;
use axum::Router;
use axum::extract::State;
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use self::page::ReceiptPage;
use self::token::Found;
use crate::AppState;
use crate::error::Error;
use crate::http::headers::sealed_page_headers;
use crate::http::limiter::{ClientIp, Key};

/// Where the pages are: `/r/<token>`.
pub const PREFIX: &str = "/r";

/// The e-receipt pages (every path under [`PREFIX`]).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(PREFIX, get(show))
        .route(&format!("{PREFIX}/"), get(show))
        .route(&format!("{PREFIX}/{{*token}}"), get(show))
        .with_state(state)
}

/// `GET /r/{token}`: the receipt, the pending page, the bare 404 or a 429.
async fn show(
    State(state): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let lang = reader_lang(uri.query(), &headers);
    let token = uri.path().strip_prefix(PREFIX).unwrap_or_default();
    let token = token.strip_prefix('/').unwrap_or(token);
    let net = client.net();
    // Every page counts against the network; a miss also against its misses, given back when
    // the token turns out to be real.
    let reserved = state
        .limiter
        .reserve(&[Key::ReceiptView(net)])
        .and_then(|_view| state.limiter.reserve(&[Key::ReceiptMiss(net)]));
    let miss = match reserved {
        Ok(miss) => miss,
        Err(Error::TooMany(seconds)) => {
            let mut response = answer(StatusCode::TOO_MANY_REQUESTS, page::too_many(), state.https);
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
            return response;
        }
        Err(err) => return with_page_headers(err.into_response(), None, state.https),
    };
    let found = token::find(&state.db, token).await;
    if !matches!(found, Ok(Found::Nothing)) {
        miss.release();
    }
    let (status, page) = match found {
        Ok(Found::Receipt(sale)) => (StatusCode::OK, page::receipt(&sale, lang)),
        Ok(Found::Pending) => (StatusCode::OK, page::pending(lang)),
        Ok(Found::Nothing) => (StatusCode::NOT_FOUND, page::not_found()),
        Err(err) => return with_page_headers(err.into_response(), None, state.https),
    };
    answer(status, page, state.https)
}

/// The reader's language: `?lang=` when it names one, else their `Accept-Language`.
fn reader_lang(query: Option<&str>, headers: &HeaderMap) -> Lang {
    let asked = query.and_then(|query| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "lang")
            .and_then(|(_, tag)| Lang::from_tag(&tag))
    });
    asked.unwrap_or_else(|| {
        Lang::negotiate(headers.get(ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok()))
    })
}

/// `page` as an answer with `status` and the pages' headers.
fn answer(status: StatusCode, page: ReceiptPage, https: bool) -> Response {
    with_page_headers((status, Html(page.html)).into_response(), page.lang, https)
}

/// `response` with the pages' strict headers, set here so that the app's own (a looser policy,
/// a same-origin referrer) never replace them, in `lang` (`None`: every language).
fn with_page_headers(mut response: Response, lang: Option<Lang>, https: bool) -> Response {
    let headers = response.headers_mut();
    for (name, value) in sealed_page_headers(&page::style_source(), https) {
        headers.insert(name, value);
    }
    let language = match lang {
        Some(lang) => HeaderValue::from_static(lang.tag()),
        None => ALL_LANGUAGES.clone(),
    };
    headers.insert(CONTENT_LANGUAGE, language);
    response
}

/// Every language's tag, for the pages written in all of them.
static ALL_LANGUAGES: LazyLock<HeaderValue> = LazyLock::new(|| {
    let tags: Vec<&str> = Lang::all().iter().map(|lang| lang.tag()).collect();
    HeaderValue::from_str(&tags.join(", ")).unwrap_or(HeaderValue::from_static("ja"))
});
