//! The card engine's integration tests: numbers, sealing, every refusal of `verify`, the
//! canonical form, the QR round trip and the printable card.

mod number;
mod print;
mod profile;
mod qr;
mod support;
mod verify;
