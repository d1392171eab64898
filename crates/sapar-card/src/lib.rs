//! The migrant card: its number, its content, and the signed seal printed on it as a QR code.
//!
//! The seal is an ICAO VDS-NC (Visible Digital Seal for non-constrained environments) JSON
//! object of the national type [`CARD_TYPE`], signed with ES256 over the RFC 8785 canonical form
//! of its `data`, and verified offline against the issuing state's pinned CA. `docs/card.md`
//! specifies the message, the checks in their order and the error codes.
//!
//! The crate is pure: no files (the card font is compiled in), no network, no clock. "Today" is a parameter of [`verify`];
//! randomness is used only by the ECDSA signature.
//!
//! * [`CardNumber`] parses and formats card numbers with their check digit.
//! * [`CardSigner::from_pem`] loads a barcode signer; [`seal`] signs a [`CardContent`].
//! * [`verify`] checks a seal and answers a [`VerifiedCard`] or a [`VerifyError`] with a stable
//!   [`VerifyError::code`].
//! * [`qr_svg`], [`qr_png`] draw a seal; [`read_qr_png`] reads one back from a PNG.
//! * [`card_pdf`] lays out the printable card of a seal (PDF, Russian and the holder's
//!   language, the name in both scripts, the QR code).

mod content;
mod error;
mod number;
mod print;
mod qr;
mod seal;
mod signer;
mod verify;

pub use content::{CardContent, MAX_LATIN_NAME_CHARS, MAX_NATIVE_NAME_CHARS};
pub use error::{CardError, VerifyError};
pub use number::{CardNumber, CardNumberError};
pub use print::{PrintLanguage, card_pdf};
pub use qr::{qr_png, qr_svg, read_qr_png};
pub use sapar_model::Sex;
pub use seal::{CARD_TYPE, Seal, seal};
pub use signer::{CARD_SIGNER_EKU_OID, CardSigner};
pub use verify::{VerifiedCard, verify};
