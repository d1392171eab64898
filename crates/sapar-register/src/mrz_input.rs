//! Raw machine-readable zones in submissions: the MRZ fills the document and Latin-name fields it
//! carries, and a structured field that contradicts it is refused rather than silently chosen.

use jiff::civil::Date;
use sapar_identity::{Mrz, MrzFormat, ParseOptions};
use sapar_model::{Country, DocumentNumber, InputCode, InputError, RawCrossing, Sex};

fn error(field: &'static str, code: InputCode, message: impl Into<String>) -> InputError {
    InputError::new(field, code, message)
}

/// Sets `slot` to the MRZ's value, or refuses when the submission already holds a different one.
/// `same` decides equality after each side's normalisation.
fn fill(
    slot: &mut Option<String>,
    from_mrz: String,
    field: &'static str,
    same: impl Fn(&str, &str) -> bool,
) -> Result<(), InputError> {
    match slot.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(given) if !same(given, &from_mrz) => Err(error(
            field,
            InputCode::MrzMismatch,
            format!("{field} is {given:?} but the machine-readable zone says {from_mrz:?}"),
        )),
        Some(_) => Ok(()),
        None => {
            *slot = Some(from_mrz);
            Ok(())
        }
    }
}

fn same_text(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn same_number(a: &str, b: &str) -> bool {
    matches!((DocumentNumber::parse(a), DocumentNumber::parse(b)), (Ok(x), Ok(y)) if x == y)
}

fn same_country(a: &str, b: &str) -> bool {
    matches!((Country::parse(a), Country::parse(b)), (Ok(x), Ok(y)) if x == y)
}

/// When the submission carries an MRZ (`raw.mrz`, lines separated by new lines or `|`), parses and
/// validates it (every check digit) and fills the document, nationality, birth date, sex and Latin
/// name from it. Native-script names stay as submitted, so the person keeps both scripts.
pub(crate) fn apply_mrz(raw: &mut RawCrossing, today: Date) -> Result<(), InputError> {
    let Some(text) = raw.mrz.as_deref().map(str::trim).filter(|t| !t.is_empty()) else { return Ok(()) };
    let text = text.replace('|', "\n");
    let mrz =
        Mrz::parse(&text, &ParseOptions::new(today)).map_err(|e| error("mrz", InputCode::InvalidMrz, e.to_string()))?;
    if let Some(first) = mrz.errors().first() {
        let more = mrz.errors().len() - 1;
        let suffix = if more > 0 { format!(" (and {more} more)") } else { String::new() };
        return Err(error("mrz", InputCode::InvalidMrz, format!("{first}{suffix}")));
    }
    if matches!(mrz.format(), MrzFormat::MrvA | MrzFormat::MrvB) {
        return Err(error(
            "mrz",
            InputCode::MrzNotIdentityDocument,
            "a visa is not an identity document; scan the passport",
        ));
    }
    let (Some(issuer), Some(nationality), Some(sex), Some(expiry)) =
        (mrz.issuing_state(), mrz.nationality(), mrz.sex(), mrz.expiry_date())
    else {
        return Err(error(
            "mrz",
            InputCode::InvalidMrz,
            "the machine-readable zone lacks a valid state, sex or expiry",
        ));
    };
    let document_type = match mrz.document_code().chars().next() {
        Some('P') => "passport",
        Some('I' | 'A' | 'C') => "id_card",
        _ => "other",
    };
    fill(&mut raw.document_type, document_type.to_owned(), "document.type", same_text)?;
    fill(&mut raw.document_number, mrz.document_number().to_owned(), "document.number", same_number)?;
    fill(&mut raw.issuing_state, issuer.code().to_owned(), "document.issuing_state", same_country)?;
    fill(&mut raw.document_expiry, expiry.to_string(), "document.expiry", same_text)?;
    fill(&mut raw.citizenship, nationality.code().to_owned(), "person.citizenship", same_country)?;
    fill(&mut raw.sex, sex.code().to_owned(), "person.sex", |a, b| Sex::parse(a).is_some_and(|s| s.code() == b))?;
    if let Some(birth) = mrz.birth_date() {
        fill(&mut raw.birth_date, birth.to_string(), "person.birth_date", same_text)?;
    }
    // The MRZ name may be truncated to the field width: a fuller Latin name in the submission wins.
    if raw.latin_name.surname.as_deref().is_none_or(|s| s.trim().is_empty()) {
        raw.latin_name.surname = Some(mrz.surname());
        let given = mrz.given_names();
        raw.latin_name.given_names = (!given.is_empty()).then_some(given);
    }
    Ok(())
}
