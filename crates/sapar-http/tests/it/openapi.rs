//! The OpenAPI document: a committed snapshot (`UPDATE_SNAPSHOTS=1` rewrites it), the answers
//! every operation must document, error codes that exist in the table with the status that
//! carries them, request examples the server really accepts, and no two schema types of one name.

use std::path::Path;

use sapar_http::ApiCode;
use sapar_http::openapi::ApiDoc;
use serde_json::Value;
use utoipa::OpenApi;

use crate::support::{OFFICER, TestApp};

sapar_test_support::on_both_backends!(crate::support::app =>
    the_documented_request_examples_are_accepted,
);

const SNAPSHOT: &str = "tests/it/openapi.snapshot.json";

fn document() -> Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap()
}

/// Every operation: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            all.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    all
}

#[test]
fn the_document_matches_its_snapshot() {
    let actual = format!("{}\n", serde_json::to_string_pretty(&ApiDoc::openapi()).unwrap());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_SNAPSHOTS=1 writes it)", path.display()));
    if expected != actual {
        let first = expected.lines().zip(actual.lines()).position(|(e, a)| e != a);
        let hint = match first {
            Some(i) => format!(
                "first difference at line {}:\n  snapshot: {}\n  document: {}",
                i + 1,
                expected.lines().nth(i).unwrap_or_default(),
                actual.lines().nth(i).unwrap_or_default()
            ),
            None => format!(
                "{} lines in the snapshot, {} in the document",
                expected.lines().count(),
                actual.lines().count()
            ),
        };
        panic!("the OpenAPI document differs from {SNAPSHOT}; {hint}\n(UPDATE_SNAPSHOTS=1 rewrites the snapshot)");
    }
}

#[test]
fn every_operation_documents_the_answers_any_route_can_give() {
    let doc = document();
    for (method, path, operation) in operations(&doc) {
        let responses = operation["responses"].as_object().unwrap();
        let has = |status: &str| responses.contains_key(status);
        let needs_token = operation["security"].as_array().is_some_and(|s| !s.is_empty());
        // A card holder asks for their own status with the card's details instead of a token.
        let open = ["/health", "/metrics", "/api/v1/self/status"].contains(&path.as_str());
        assert_eq!(needs_token, !open, "{method} {path}: only /health, /metrics and self-service take no token");
        if needs_token {
            assert!(has("401"), "{method} {path} lacks 401");
        } else {
            assert!(!has("401"), "{method} {path} takes no token, yet documents 401");
        }
        for status in ["429", "500", "503"] {
            assert!(has(status), "{method} {path} lacks {status}");
        }
        assert!(responses["429"]["headers"]["Retry-After"].is_object(), "{method} {path}: 429 without Retry-After");
        if operation.get("requestBody").is_some() {
            for status in ["400", "413", "415", "422"] {
                assert!(has(status), "{method} {path} takes a body and lacks {status}");
            }
        }
        assert!(responses.keys().any(|s| s.starts_with('2')), "{method} {path} documents no success");
    }
}

/// The words in backticks of a description.
fn quoted(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[test]
fn every_error_answer_names_codes_of_the_table_that_carry_its_status() {
    let doc = document();
    let mut named = std::collections::HashSet::new();
    for (method, path, operation) in operations(&doc) {
        for (status, response) in operation["responses"].as_object().unwrap() {
            let code_status: u16 = status.parse().unwrap();
            if code_status < 400 {
                continue;
            }
            assert_eq!(
                response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
                "{method} {path} {status}: an error answer's body is an ErrorBody"
            );
            let description = response["description"].as_str().unwrap();
            let codes = quoted(description);
            assert!(!codes.is_empty(), "{method} {path} {status} names no code: {description}");
            for code in codes {
                let api = ApiCode::parse(code)
                    .unwrap_or_else(|| panic!("{method} {path} {status}: `{code}` is not a code of the table"));
                assert_eq!(api.http_status(), code_status, "{method} {path}: `{code}` is answered with another status");
                named.insert(code.to_owned());
            }
        }
    }
    // The method fallback answers any route, so no operation lists it.
    let unnamed: Vec<_> =
        ApiCode::ALL.iter().map(|c| c.as_str()).filter(|c| !named.contains(*c) && *c != "method_not_allowed").collect();
    assert!(unnamed.is_empty(), "codes no operation documents: {unnamed:?}");
}

#[test]
fn ids_in_paths_are_uuids_and_required_query_parameters_are_marked() {
    let doc = document();
    for (method, path, operation) in operations(&doc) {
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            if parameter["in"] == "path" && parameter["name"] == "number" {
                // A card number: the issuing state, nine digits and a check digit.
                assert!(parameter["schema"]["pattern"].is_string(), "{method} {path}: {parameter}");
                assert_eq!(parameter["required"], true, "{method} {path}: {parameter}");
            } else if parameter["in"] == "path" {
                assert_eq!(parameter["schema"]["format"], "uuid", "{method} {path}: {parameter}");
                assert_eq!(parameter["required"], true, "{method} {path}: {parameter}");
            }
        }
    }
    let required = |path: &str, name: &str| {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["required"] == true)
    };
    assert_eq!(required("/api/v1/persons", "document"), Some(true));
    assert_eq!(required("/api/v1/exchange/messages", "direction"), Some(true));
}

/// The names under which the crate's types enter the document's schemas, with where each is
/// declared: a `ToSchema` type's own name, or the name its `#[schema(as = …)]` gives it.
fn schema_names(dir: &Path, names: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            schema_names(&path, names);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut deriving = false;
        let mut renamed: Option<String> = None;
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                deriving = true;
            } else if deriving && let Some(rest) = line.strip_prefix("#[schema(as = ") {
                renamed = Some(rest.trim_end_matches(")]").trim().to_owned());
            } else if deriving && !line.starts_with("#[") && !line.starts_with("///") {
                let declared = line.split_whitespace().skip_while(|w| *w != "struct" && *w != "enum").nth(1);
                let declared = declared.map(|n| n.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_'));
                if let Some(own) = declared {
                    let name = renamed.take().unwrap_or_else(|| own.to_owned());
                    names.push((name, format!("{}:{}", path.display(), number + 1)));
                }
                deriving = false;
            }
        }
    }
}

/// utoipa keys component schemas by name: two types of one name leave the document with one of
/// them, and every operation using the other documents the wrong shape.
#[test]
fn no_two_schema_types_share_a_name() {
    let mut names = Vec::new();
    schema_names(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut names);
    assert!(names.len() > 50, "the scan found only {} schema types", names.len());
    names.sort();
    let clashes: Vec<_> = names.windows(2).filter(|w| w[0].0 == w[1].0).map(|w| (&w[0], &w[1])).collect();
    assert!(clashes.is_empty(), "schema names declared twice: {clashes:?}");
}

fn example(doc: &Value, schema: &str) -> Value {
    let example = &doc["components"]["schemas"][schema]["example"];
    assert!(example.is_object(), "{schema} has no example");
    example.clone()
}

/// Posts as the officer, stating a purpose (a decision on a violation answers with the person).
async fn post(app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    let request = app.client.post(app.url(path)).bearer_auth(OFFICER).header("Sapar-Purpose", "enforcement");
    let response = request.json(body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn the_documented_request_examples_are_accepted(app: TestApp) {
    let doc = document();

    let crossing = example(&doc, "CrossingBody");
    let (status, recorded) = post(&app, "/api/v1/crossings", &crossing).await;
    assert_eq!(status, 201, "{recorded}");
    assert!(recorded["stay"].is_object(), "{recorded}");
    let person = recorded["person_id"].as_str().unwrap();
    let (status, again) = post(&app, "/api/v1/crossings", &crossing).await;
    assert_eq!((status, &again["crossing_id"]), (201, &recorded["crossing_id"]), "{again}");

    let (status, permit) =
        post(&app, &format!("/api/v1/persons/{person}/permits"), &example(&doc, "NewPermitBody")).await;
    assert_eq!(status, 201, "{permit}");
    let permit = permit["id"].as_str().unwrap();
    let (status, revoked) = post(&app, &format!("/api/v1/permits/{permit}/revoke"), &example(&doc, "RevokeBody")).await;
    assert_eq!(status, 200, "{revoked}");

    // No draft or pair exists to decide, so the unknown id is answered: the body itself was taken.
    let unknown = uuid::Uuid::now_v7();
    let (status, answer) =
        post(&app, &format!("/api/v1/violations/{unknown}"), &example(&doc, "ViolationDecisionBody")).await;
    assert_eq!((status, &answer["code"]), (404, &Value::from("not_found")), "{answer}");
    let (status, answer) = post(&app, &format!("/api/v1/review/{unknown}"), &example(&doc, "ReviewDecisionBody")).await;
    assert_eq!((status, &answer["code"]), (404, &Value::from("not_found")), "{answer}");
}
