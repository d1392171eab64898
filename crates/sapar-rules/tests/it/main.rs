//! Integration tests of the stay engine.
