//! The officers' web assets (stylesheet, htmx, PT Sans fonts, icons, logo), compiled into the
//! binary and served under `/assets/`: at a content-hashed name for a year, immutable, and at
//! the plain name for five minutes, so nothing is fetched from anywhere else at run time.
//!
//! The files come from `crates/sapar-web/assets/`, written by `assets-src/build.sh`. The
//! stylesheet already names its fonts and icons by their hashed URLs (the build script hashes
//! them the same way), so a changed font changes the stylesheet's URL too.

use std::sync::LazyLock;

use axum::{
    Router,
    extract::Path,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use sha2::{Digest, Sha256};

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const WOFF2: &str = "font/woff2";
const SVG: &str = "image/svg+xml";

/// Every served file: its plain name, its media type and its bytes.
const FILES: &[(&str, &str, &[u8])] = &[
    ("sapar.css", CSS, include_bytes!("../assets/sapar.css")),
    ("htmx.min.js", JS, include_bytes!("../assets/htmx.min.js")),
    ("logo.svg", SVG, include_bytes!("../assets/logo.svg")),
    ("favicon.svg", SVG, include_bytes!("../assets/favicon.svg")),
    ("pt-sans-latin-400-normal.woff2", WOFF2, include_bytes!("../assets/pt-sans-latin-400-normal.woff2")),
    ("pt-sans-latin-700-normal.woff2", WOFF2, include_bytes!("../assets/pt-sans-latin-700-normal.woff2")),
    ("pt-sans-cyrillic-400-normal.woff2", WOFF2, include_bytes!("../assets/pt-sans-cyrillic-400-normal.woff2")),
    ("pt-sans-cyrillic-700-normal.woff2", WOFF2, include_bytes!("../assets/pt-sans-cyrillic-700-normal.woff2")),
    ("pt-sans-cyrillic-ext-400-normal.woff2", WOFF2, include_bytes!("../assets/pt-sans-cyrillic-ext-400-normal.woff2")),
    ("pt-sans-cyrillic-ext-700-normal.woff2", WOFF2, include_bytes!("../assets/pt-sans-cyrillic-ext-700-normal.woff2")),
    ("icon-close-cross-black.svg", SVG, include_bytes!("../assets/icon-close-cross-black.svg")),
    ("icon-document.svg", SVG, include_bytes!("../assets/icon-document.svg")),
    ("icon-tag-remove-cross.svg", SVG, include_bytes!("../assets/icon-tag-remove-cross.svg")),
    ("icon-tag-remove-cross-white.svg", SVG, include_bytes!("../assets/icon-tag-remove-cross-white.svg")),
    ("icon-toggle-plus-minus.svg", SVG, include_bytes!("../assets/icon-toggle-plus-minus.svg")),
];

/// A hashed URL never changes its content, so browsers keep it a year without asking again.
const CACHE_HASHED: &str = "public, max-age=31536000, immutable";
/// A plain name (written by hand, or in an old bookmark) may change with the next release.
const CACHE_PLAIN: &str = "public, max-age=300";

/// One file as served, with the names and validator derived from its bytes.
struct Asset {
    name: &'static str,
    /// `NAME-STEM.HASH.EXT`, the last path segment of [`Asset::url`].
    hashed_name: String,
    /// `/assets/` followed by the hashed name.
    url: String,
    /// A strong entity tag: the first 16 hex digits of the SHA-256, quoted.
    etag: String,
    content_type: &'static str,
    bytes: &'static [u8],
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|&(name, content_type, bytes)| {
            let digest = hex::encode(Sha256::digest(bytes));
            let hashed_name = hashed_file_name(name, &digest[..8]);
            Asset {
                name,
                url: format!("/assets/{hashed_name}"),
                hashed_name,
                etag: format!("\"{}\"", &digest[..16]),
                content_type,
                bytes,
            }
        })
        .collect()
});

/// `sapar.css` with hash `3f2a9c1e` becomes `sapar.3f2a9c1e.css`; the hash goes before the
/// last extension, so `htmx.min.js` becomes `htmx.min.3f2a9c1e.js`.
fn hashed_file_name(name: &str, hash: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{hash}.{extension}"),
        None => format!("{name}.{hash}"),
    }
}

/// The content-hashed URL of an asset, by its plain file name: `url("sapar.css")` is
/// `Some("/assets/sapar.3f2a9c1e.css")`. `None` for a name that is not an asset.
pub fn url(name: &str) -> Option<&'static str> {
    let assets: &'static [Asset] = LazyLock::force(&ASSETS).as_slice();
    assets.iter().find(|asset| asset.name == name).map(|asset| asset.url.as_str())
}

/// `GET /assets/{file}`: every asset at its hashed name and at its plain name.
pub fn router() -> Router {
    Router::new().route("/assets/{file}", get(serve))
}

/// How long a response may be cached, by the name it was asked for.
#[derive(Clone, Copy)]
enum Addressed {
    ByHash,
    ByPlainName,
}

impl Addressed {
    fn cache_control(self) -> &'static str {
        match self {
            Addressed::ByHash => CACHE_HASHED,
            Addressed::ByPlainName => CACHE_PLAIN,
        }
    }
}

fn find(file: &str) -> Option<(&'static Asset, Addressed)> {
    let assets: &'static [Asset] = LazyLock::force(&ASSETS).as_slice();
    assets.iter().find_map(|asset| {
        if asset.hashed_name == file {
            Some((asset, Addressed::ByHash))
        } else if asset.name == file {
            Some((asset, Addressed::ByPlainName))
        } else {
            None
        }
    })
}

async fn serve(Path(file): Path<String>, request_headers: HeaderMap) -> Response {
    let Some((asset, addressed)) = find(&file) else {
        return (StatusCode::NOT_FOUND, [(header::X_CONTENT_TYPE_OPTIONS, "nosniff")], "no such asset").into_response();
    };
    let headers = [
        (header::CACHE_CONTROL, addressed.cache_control()),
        (header::ETAG, asset.etag.as_str()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    if none_match(&request_headers, &asset.etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (headers, [(header::CONTENT_TYPE, asset.content_type)], asset.bytes).into_response()
}

/// Whether an `If-None-Match` header names `etag` (or is `*`). The comparison is the weak one
/// RFC 9110 prescribes for this header, so a `W/` prefix a proxy added still matches.
fn none_match(request_headers: &HeaderMap, etag: &str) -> bool {
    request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == etag)
}
