//! The card engine's integration tests: numbers, sealing, every refusal of `verify`, the
//! canonical form and the QR round trip.

mod number;
mod profile;
mod qr;
mod support;
mod verify;
