//! The vendored web assets: what is in `crates/sapar-web/assets/` is what the binary serves, at
//! hashed URLs with long-lived caching, and the stylesheet, fonts, script and licences are the
//! ones the build promises.

use std::path::PathBuf;

use reqwest::{StatusCode, header};
use sapar_web::assets;
use sha2::{Digest, Sha256};

use crate::spawn;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn assets_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")
}

/// Every file the build wrote (the licence texts are committed beside them, not served).
fn files_on_disk() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(assets_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn expected_content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, extension)| extension) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("woff2") => "font/woff2",
        Some("svg") => "image/svg+xml",
        other => panic!("an asset with an unexpected extension: {other:?}"),
    }
}

fn header_of(response: &reqwest::Response, name: header::HeaderName) -> &str {
    response.headers().get(&name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap()
}

async fn get(url: &str) -> reqwest::Response {
    reqwest::get(url).await.unwrap()
}

async fn stylesheet(base: &str) -> String {
    get(&format!("{base}{}", assets::url("sapar.css").unwrap())).await.text().await.unwrap()
}

#[tokio::test]
async fn every_asset_is_served_at_its_hashed_url_with_its_exact_bytes_and_headers() {
    let base = spawn(assets::router()).await;
    let files = files_on_disk();
    assert!(files.len() >= 10, "only {} asset files", files.len());

    for (name, bytes) in files {
        let url = assets::url(&name).unwrap_or_else(|| panic!("{name} is in assets/ but is not served"));
        let hash = &hex::encode(Sha256::digest(&bytes))[..8];
        let (stem, extension) = name.rsplit_once('.').unwrap();
        assert_eq!(url, format!("/assets/{stem}.{hash}.{extension}"), "hashed URL of {name}");

        let response = get(&format!("{base}{url}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        assert_eq!(header_of(&response, header::CONTENT_TYPE), expected_content_type(&name), "{url}");
        assert_eq!(header_of(&response, header::CACHE_CONTROL), IMMUTABLE, "{url}");
        assert_eq!(header_of(&response, header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{url}");
        let etag = header_of(&response, header::ETAG).to_owned();
        assert!(etag.len() > 2 && etag.starts_with('"') && etag.ends_with('"'), "{url}: ETag {etag}");
        assert_eq!(response.bytes().await.unwrap().as_ref(), bytes.as_slice(), "body of {url}");
    }
}

#[tokio::test]
async fn the_plain_name_answers_too_with_a_short_cache() {
    let base = spawn(assets::router()).await;
    let bytes = std::fs::read(assets_dir().join("htmx.min.js")).unwrap();

    let response = get(&format!("{base}/assets/htmx.min.js")).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_of(&response, header::CACHE_CONTROL), "public, max-age=300");
    assert_eq!(header_of(&response, header::CONTENT_TYPE), "text/javascript; charset=utf-8");
    assert_eq!(header_of(&response, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(response.bytes().await.unwrap().as_ref(), bytes.as_slice());
}

#[tokio::test]
async fn a_matching_etag_gets_304_without_a_body_and_another_gets_the_file() {
    let base = spawn(assets::router()).await;
    let url = format!("{base}{}", assets::url("logo.svg").unwrap());
    let etag = header_of(&get(&url).await, header::ETAG).to_owned();
    let client = reqwest::Client::new();

    for if_none_match in [etag.clone(), format!("W/{etag}"), format!("\"0000\", {etag}"), "*".to_owned()] {
        let response = client.get(&url).header(header::IF_NONE_MATCH, &if_none_match).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED, "If-None-Match: {if_none_match}");
        assert_eq!(header_of(&response, header::ETAG), etag);
        assert_eq!(header_of(&response, header::CACHE_CONTROL), IMMUTABLE);
        assert!(response.bytes().await.unwrap().is_empty());
    }

    let plain =
        client.get(format!("{base}/assets/logo.svg")).header(header::IF_NONE_MATCH, &etag).send().await.unwrap();
    assert_eq!(plain.status(), StatusCode::NOT_MODIFIED, "the plain name has the same validator");

    let stale = client.get(&url).header(header::IF_NONE_MATCH, "\"0123456789abcdef\"").send().await.unwrap();
    assert_eq!(stale.status(), StatusCode::OK);
    assert!(!stale.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_unknown_asset_is_404() {
    let base = spawn(assets::router()).await;
    assert_eq!(assets::url("nothing.css"), None);

    let hashed = assets::url("sapar.css").unwrap();
    let wrong_hash = "/assets/sapar.00000000.css".to_owned();
    assert_ne!(hashed, wrong_hash);

    for path in ["/assets/nothing.css", wrong_hash.as_str(), "/assets/LICENSES", "/assets/sapar.scss"] {
        let response = get(&format!("{base}{path}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn the_stylesheet_sets_pt_sans_and_never_gds_transport() {
    let base = spawn(assets::router()).await;
    let css = stylesheet(&base).await;

    assert!(css.contains("font-family:\"PT Sans\""), "no PT Sans font-family");
    assert!(!css.contains("GDS Transport"), "GDS Transport is GOV.UK's own typeface");
    assert!(!css.contains("govuk-crest") && !css.contains("crown"), "the crest and crown are GOV.UK's own");
    let brand = css.split("--govuk-brand-colour:").nth(1).and_then(|rest| rest.split([';', '}']).next());
    assert_eq!(brand.map(str::trim), Some("#005a70"), "the brand colour is Sapar's teal");
}

/// The `url(...)` references in a stylesheet, without quotes.
fn css_urls(css: &str) -> Vec<String> {
    css.split("url(").skip(1).map(|rest| rest.split(')').next().unwrap().trim_matches(['"', '\'']).to_owned()).collect()
}

#[tokio::test]
async fn every_url_in_the_stylesheet_is_a_served_hashed_asset() {
    let base = spawn(assets::router()).await;
    let urls = css_urls(&stylesheet(&base).await);
    let hashed: Vec<&str> = files_on_disk().iter().filter_map(|(name, _)| assets::url(name)).collect();
    assert!(urls.len() >= 6, "expected the six PT Sans faces at least, found {urls:?}");

    for url in urls {
        assert!(hashed.contains(&url.as_str()), "{url} is not the current hashed URL of an asset");
        let response = get(&format!("{base}{url}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        assert_eq!(header_of(&response, header::CACHE_CONTROL), IMMUTABLE, "{url}");
    }
}

/// `U+0460-052F` or `U+0301` as an inclusive range.
fn parse_unicode_range(range: &str) -> (u32, u32) {
    let digits = range.trim().strip_prefix("U+").unwrap();
    let (low, high) = digits.split_once('-').unwrap_or((digits, digits));
    (u32::from_str_radix(low, 16).unwrap(), u32::from_str_radix(high, 16).unwrap())
}

#[tokio::test]
async fn the_font_faces_swap_and_cover_russian_kazakh_and_kyrgyz_letters() {
    let base = spawn(assets::router()).await;
    let css = stylesheet(&base).await;
    let faces: Vec<&str> = css.split("@font-face{").skip(1).map(|rest| rest.split('}').next().unwrap()).collect();
    assert_eq!(faces.len(), 6, "PT Sans 400 and 700 in three subsets");

    let mut ranges = Vec::new();
    for face in &faces {
        assert!(face.contains("font-family:\"PT Sans\""), "{face}");
        assert!(face.contains("font-display:swap"), "{face}");
        assert!(face.contains("format(\"woff2\")"), "{face}");
        let declared = face.split("unicode-range:").nth(1).unwrap_or_else(|| panic!("no unicode-range: {face}"));
        ranges.extend(declared.split(';').next().unwrap().split(',').map(parse_unicode_range));
    }

    for letter in "AzЖжЁёәғқңөұүһіӘҒҚҢӨҰҮҺІ".chars() {
        let code = u32::from(letter);
        assert!(
            ranges.iter().any(|&(low, high)| (low..=high).contains(&code)),
            "no PT Sans face covers {letter} (U+{code:04X})"
        );
    }
}

#[tokio::test]
async fn htmx_is_the_pinned_2_0_line() {
    let base = spawn(assets::router()).await;
    let script = get(&format!("{base}{}", assets::url("htmx.min.js").unwrap())).await.text().await.unwrap();

    let version = script
        .split("version:\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("htmx.min.js states its version");
    let parts: Vec<&str> = version.split('.').collect();
    assert_eq!(parts.len(), 3, "version {version}");
    assert_eq!(&parts[..2], ["2", "0"], "version {version}");
    assert!(parts[2].parse::<u32>().is_ok(), "version {version}");
}

#[tokio::test]
async fn every_font_is_woff2() {
    let base = spawn(assets::router()).await;
    let fonts: Vec<String> =
        files_on_disk().into_iter().map(|(name, _)| name).filter(|name| name.ends_with(".woff2")).collect();
    assert_eq!(fonts.len(), 6, "{fonts:?}");

    for name in fonts {
        let body = get(&format!("{base}{}", assets::url(&name).unwrap())).await.bytes().await.unwrap();
        assert!(body.starts_with(b"wOF2"), "{name} does not start with the WOFF2 signature");
    }
}

#[test]
fn the_licences_of_every_vendored_project_are_committed() {
    let licences = assets_dir().join("LICENSES");
    let read = |file: &str| {
        std::fs::read_to_string(licences.join(file)).unwrap_or_else(|error| panic!("LICENSES/{file}: {error}"))
    };

    let govuk = read("govuk-frontend.txt");
    assert!(govuk.contains("The MIT License") && govuk.contains("Government Digital Service"));
    let moj = read("moj-frontend.txt");
    assert!(moj.starts_with("MIT License") && moj.contains("Permission is hereby granted"));
    assert!(read("htmx.txt").contains("Zero-Clause BSD"));
    let pt_sans = read("pt-sans.txt");
    assert!(pt_sans.contains("ParaType") && pt_sans.contains("SIL Open Font License, Version 1.1"));

    let index = read("README.md");
    assert!(index.contains("GDS Transport") && index.contains("crown"), "says what is left out");
}
