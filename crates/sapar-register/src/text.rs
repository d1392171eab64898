//! Free text officers type: trimmed, bounded, refused with the field's name.

use sapar_model::{InputCode, InputError};

/// Longest permit number, issuing authority or reason, in characters.
pub(crate) const MAX_TEXT_CHARS: usize = 200;
/// Longest note kept with a decision, in characters.
pub(crate) const MAX_NOTE_CHARS: usize = 2000;

/// Trimmed text of at most [`MAX_TEXT_CHARS`], or an error naming the field.
pub(crate) fn short_text(text: &str, field: &'static str) -> Result<String, InputError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(InputError::new(field, InputCode::MissingField, format!("{field} must not be empty")));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(InputError::new(
            field,
            InputCode::TooLong,
            format!("{field} holds at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(text.to_owned())
}

/// An officer's note on a decision: trimmed, none when blank, refused (`note_too_long`) beyond
/// [`MAX_NOTE_CHARS`].
pub(crate) fn decision_note(note: Option<&str>) -> Result<Option<String>, InputError> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        return Err(InputError::new(
            "note",
            InputCode::NoteTooLong,
            format!("a note holds at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    Ok(note.map(str::to_owned))
}

/// Optional free text: `None` when absent or blank, else as [`short_text`].
pub(crate) fn optional_text(text: Option<&str>, field: &'static str) -> Result<Option<String>, InputError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => short_text(text, field).map(Some),
    }
}

/// The reasons a decision states (field `reason`): required (`reason_required` when blank),
/// trimmed, at most [`MAX_NOTE_CHARS`].
pub(crate) fn reasons(text: &str) -> Result<String, InputError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(InputError::new(
            "reason",
            InputCode::ReasonRequired,
            "a decision states its reasons: give `reason`",
        ));
    }
    if text.chars().count() > MAX_NOTE_CHARS {
        return Err(InputError::new(
            "reason",
            InputCode::TooLong,
            format!("reasons hold at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    Ok(text.to_owned())
}

/// At most the first 40 characters of untrusted text, for quoting it in a message.
pub(crate) fn excerpt(text: &str) -> String {
    const QUOTED_CHARS: usize = 40;
    let mut out: String = text.chars().take(QUOTED_CHARS).collect();
    if text.chars().nth(QUOTED_CHARS).is_some() {
        out.push('…');
    }
    out
}
