//! Integration tests of the stay engine: golden cases, loading errors, sweep and properties.

mod golden;
mod loading;
mod properties;
mod sweep;
mod working_days;
