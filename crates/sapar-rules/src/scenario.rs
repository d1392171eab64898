//! The JSON scenario boundary (`sapar stay eval`): typed input and output, structured errors.
//!
//! This is the one serialised shape the engine owns, like a data file format: the CLI and tests
//! speak it; the engine's own types stay free of serde.

use jiff::civil::Date;
use sapar_model::{Country, Purpose};
use serde::{Deserialize, Serialize};

use crate::engine::{Permit, Stay};
use crate::error::StayError;
use crate::load::parse_date;
use crate::regime::{Counting, Host, Shape, StayRule};
use crate::rulebook::RuleBook;

/// A stay question, e.g.
/// `{"host":"KAZ","citizenship":"KGZ","stays":[{"from":"2025-04-01","to":"2025-05-10"}],"on":"2025-06-20"}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioInput {
    /// ISO 3166-1 alpha-3 code of the host state, or `SCHENGEN`.
    pub host: String,
    /// ISO 3166-1 alpha-3 code (or ICAO special code) of the person's citizenship.
    pub citizenship: String,
    #[serde(default)]
    pub stays: Vec<StayInput>,
    #[serde(default)]
    pub permits: Vec<PermitInput>,
    /// The check date.
    pub on: String,
    /// Ask for the longest stay possible when entering on this date.
    #[serde(default)]
    pub entering_on: Option<String>,
    /// Replace the host's stay rules by these shapes (what-if).
    #[serde(default)]
    pub regime: Option<RegimeOverride>,
    /// The declared purpose of stay (`work`, `study`, `family`, `private`, `tourism`, `transit`,
    /// `other`): the answer says whether the rule in force on the entry day (`entering_on`, else
    /// `on`) covers it.
    #[serde(default)]
    pub purpose: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StayInput {
    pub from: String,
    /// Absent while the person is still in the country.
    #[serde(default)]
    pub to: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PermitInput {
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegimeOverride {
    pub shapes: Vec<Shape>,
}

/// The answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioOutput {
    pub host: String,
    pub citizenship: String,
    pub on: String,
    pub present: bool,
    pub rules: Vec<RuleOutput>,
    pub checks: Vec<CheckOutput>,
    pub days_used: u32,
    pub days_left: Option<u32>,
    pub legal: bool,
    pub overstay_days: u32,
    pub last_legal_day: Option<String>,
    pub max_stay_if_entering: Option<MaxStayOutput>,
    pub registration_due: Option<RegistrationOutput>,
    /// Present when the input declares a purpose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<PurposeOutput>,
}

/// Whether the stay rule covers the declared purpose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PurposeOutput {
    pub declared: &'static str,
    /// The stay rule asked.
    pub rule: String,
    pub covered: bool,
    /// The legal text that limits the rule's purposes; null when the rule covers every purpose.
    pub basis: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleOutput {
    pub id: String,
    /// `stay` or `registration`.
    pub kind: &'static str,
    pub basis: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckOutput {
    pub rule: String,
    pub shape: String,
    pub measure: &'static str,
    pub window_from: Option<String>,
    pub window_to: Option<String>,
    pub used: u32,
    pub limit: u32,
    pub left: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MaxStayOutput {
    pub first_day: String,
    /// 0 when entry must be refused; null when no limit binds.
    pub days: Option<u32>,
    pub last_day: Option<String>,
    pub limited_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegistrationOutput {
    pub rule: String,
    pub arrival: String,
    pub due: String,
    pub days: u16,
    pub counting: Counting,
    pub crossing_day_is_day_one: bool,
}

/// A structured error: stable code, message, and the input field at fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ScenarioError {
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
}

impl From<StayError> for ScenarioError {
    fn from(e: StayError) -> ScenarioError {
        ScenarioError { code: e.code(), field: e.field(), message: e.to_string() }
    }
}

/// Parses the JSON text of a scenario.
pub fn parse_scenario(json: &str) -> Result<ScenarioInput, ScenarioError> {
    serde_json::from_str(json).map_err(|e| ScenarioError {
        code: "invalid_json",
        message: e.to_string().to_lowercase(),
        field: None,
    })
}

fn date(text: &str, field: impl Fn() -> String) -> Result<Date, ScenarioError> {
    parse_date(text).map_err(|message| ScenarioError { code: "invalid_date", message, field: Some(field()) })
}

fn show(d: Date) -> String {
    d.to_string()
}

/// Answers a scenario with the rule book.
pub fn evaluate_scenario(book: &RuleBook, input: &ScenarioInput) -> Result<ScenarioOutput, ScenarioError> {
    let host = Host::parse(&input.host).map_err(|e| ScenarioError {
        code: "unknown_country",
        message: e.to_string(),
        field: Some("host".into()),
    })?;
    let citizenship = Country::parse(&input.citizenship).map_err(|e| ScenarioError {
        code: "unknown_country",
        message: e.to_string(),
        field: Some("citizenship".into()),
    })?;
    let on = date(&input.on, || "on".into())?;
    let mut stays = Vec::with_capacity(input.stays.len());
    for (i, s) in input.stays.iter().enumerate() {
        let entry = date(&s.from, || format!("stays[{i}].from"))?;
        let exit = s.to.as_deref().map(|t| date(t, || format!("stays[{i}].to"))).transpose()?;
        stays.push(Stay { entry, exit });
    }
    let mut permits = Vec::with_capacity(input.permits.len());
    for (i, p) in input.permits.iter().enumerate() {
        let from = date(&p.from, || format!("permits[{i}].from"))?;
        let to = date(&p.to, || format!("permits[{i}].to"))?;
        permits.push(Permit { from, to });
    }
    let entering = input.entering_on.as_deref().map(|e| date(e, || "entering_on".into())).transpose()?;
    let what_if = input.regime.as_ref().map(|r| StayRule::what_if(r.shapes.clone())).transpose()?;
    let purpose = input
        .purpose
        .as_deref()
        .map(|p| {
            Purpose::parse(p).map_err(|e| ScenarioError {
                code: "unknown_purpose",
                message: e.to_string(),
                field: Some("purpose".into()),
            })
        })
        .transpose()?;

    let mut resolved = book.resolve(host, citizenship)?;
    if let Some(rule) = &what_if {
        resolved = resolved.with_stay_rule(rule);
    }
    let full = resolved.answer(&stays, &permits, on, entering)?;
    let purpose = match purpose {
        Some(declared) => {
            let day = entering.unwrap_or(on);
            let rule = resolved.stay_rule_on(day).ok_or(StayError::NoRuleInForce { host, citizenship, date: day })?;
            Some(PurposeOutput {
                declared: declared.as_str(),
                rule: rule.id.clone(),
                covered: rule.covers(declared),
                basis: rule.purposes.as_ref().map(|l| l.basis.clone()),
            })
        }
        None => None,
    };
    let (answer, max_stay, registration) = (full.stay, full.max_stay, full.registration);

    let mut rules: Vec<RuleOutput> = Vec::new();
    let stay_rules = answer.rules.iter().copied().chain(max_stay.as_ref().and_then(|m| m.limited_by));
    for rule in stay_rules {
        if !rules.iter().any(|r| r.id == rule.id) {
            rules.push(RuleOutput {
                id: rule.id.clone(),
                kind: "stay",
                basis: rule.basis.clone(),
                valid_from: if what_if.is_some() { String::new() } else { show(rule.valid_from) },
                valid_to: rule.valid_to.map(show),
            });
        }
    }
    if let Some(reg) = &registration {
        rules.push(RuleOutput {
            id: reg.rule.id.clone(),
            kind: "registration",
            basis: reg.rule.basis.clone(),
            valid_from: show(reg.rule.valid_from),
            valid_to: reg.rule.valid_to.map(show),
        });
    }
    Ok(ScenarioOutput {
        host: host.to_string(),
        citizenship: citizenship.to_string(),
        on: show(on),
        present: answer.present,
        rules,
        checks: answer
            .checks
            .iter()
            .map(|c| CheckOutput {
                rule: c.rule.id.clone(),
                shape: c.shape.label(),
                measure: c.measure.as_str(),
                window_from: c.window.map(|w| show(w.0)),
                window_to: c.window.map(|w| show(w.1)),
                used: c.used,
                limit: c.limit,
                left: c.left(),
            })
            .collect(),
        days_used: answer.days_used,
        days_left: answer.days_left,
        legal: answer.legal,
        overstay_days: answer.overstay_days,
        last_legal_day: answer.last_legal_day.map(show),
        max_stay_if_entering: max_stay.map(|m| MaxStayOutput {
            first_day: show(m.first_day),
            days: m.days,
            last_day: m.last_day.map(show),
            limited_by: m.limited_by.map(|r| r.id.clone()),
        }),
        registration_due: registration.map(|r| RegistrationOutput {
            rule: r.rule.id.clone(),
            arrival: show(r.arrival),
            due: show(r.due),
            days: r.rule.days,
            counting: r.rule.counting,
            crossing_day_is_day_one: r.rule.crossing_day_is_day_one,
        }),
        purpose,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_is_a_structured_error() {
        let err = parse_scenario("{\"host\": \"KAZ\",").expect_err("truncated");
        assert_eq!(err.code, "invalid_json");
        assert!(err.message.contains("line 1"), "{}", err.message);
    }

    #[test]
    fn unknown_input_field_is_refused() {
        let err = parse_scenario(r#"{"host":"KAZ","citizenship":"KGZ","on":"2025-01-01","today":"x"}"#)
            .expect_err("unknown field");
        assert!(err.message.contains("today"), "{}", err.message);
    }

    #[test]
    fn task_example_answers_with_rules_and_registration() {
        let input = parse_scenario(
            r#"{"host": "KAZ", "citizenship": "KGZ", "stays": [{"from": "2025-04-01", "to": "2025-05-10"}, {"from": "2025-05-17"}],
                "permits": [], "on": "2025-06-20", "entering_on": null}"#,
        )
        .expect("valid json");
        let book = RuleBook::load_embedded().expect("data");
        let out = evaluate_scenario(&book, &input).expect("valid scenario");
        let json = serde_json::to_value(&out).expect("serialises");
        assert_eq!(json["days_used"], 75);
        assert_eq!(json["rules"][0]["id"], "KAZ-EAEU-90-180");
        assert_eq!(json["registration_due"]["counting"], "working_days");
        assert!(json["max_stay_if_entering"].is_null());
    }
}
