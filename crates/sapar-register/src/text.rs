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
