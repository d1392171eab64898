//! What the forms share: a register refusal turned into the messages beside the fields at fault
//! (and in the error summary that links to them), in the reader's language.

use sapar_register::RegisterError;

use crate::i18n::{self, Lang};

/// A field the register refused, with the message shown beside it.
pub(crate) struct FieldError {
    /// The form field's name; empty for a refusal of the form as a whole.
    pub field: String,
    pub message: String,
}

/// The field at fault and the translation key of a refusal a form explains, or `None` for a
/// failure that is not the form's (a missing record, a role, the storage).
pub(crate) fn refusal_key(e: &RegisterError) -> Option<(&'static str, String)> {
    let fixed = |field: &'static str, key: &str| Some((field, key.to_owned()));
    match e {
        RegisterError::Invalid(input) => {
            Some((input.field, format!("form-error-{}", input.code.as_str().replace('_', "-"))))
        }
        RegisterError::BanEndsBeforeStart { .. } => fixed("until", "form-error-ban-ends-before-start"),
        RegisterError::BanAlreadyEnded { .. } => fixed("from", "form-error-ban-already-ended"),
        RegisterError::AlreadyLifted(_) => fixed("", "form-error-already-lifted"),
        RegisterError::AlreadyListed(_) => fixed("", "form-error-already-listed"),
        RegisterError::EntryRemoved { .. } => fixed("", "form-error-entry-removed"),
        RegisterError::AlreadyDecided { .. } => fixed("", "form-error-already-decided"),
        RegisterError::NoCalendar(_) => fixed("", "form-error-no-calendar"),
        RegisterError::UnknownEmployer(_) => fixed("employer_id", "form-error-unknown-employer"),
        RegisterError::DuplicateEmployer(_) => fixed("registration_number", "form-error-duplicate-employer"),
        RegisterError::NoFine => fixed("", "form-error-no-fine"),
        RegisterError::AlreadyPaid(_) => fixed("", "form-error-already-paid"),
        RegisterError::ViolationDismissed => fixed("", "form-error-violation-dismissed"),
        RegisterError::PersonNotInCountry => fixed("", "form-error-person-not-in-country"),
        RegisterError::RegistrationEnded { .. } => fixed("", "form-error-registration-ended"),
        _ => None,
    }
}

/// The message beside each field at fault, or `Err` for a failure that is not the form's.
pub(crate) fn form_errors(lang: Lang, e: RegisterError) -> Result<Vec<FieldError>, RegisterError> {
    match refusal_key(&e) {
        Some((field, key)) => {
            Ok(vec![FieldError { field: field.to_owned(), message: i18n::translate(lang, &key, None) }])
        }
        None => Err(e),
    }
}

/// The message for `field` among `errors`, if it is at fault.
pub(crate) fn error_of<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
}
