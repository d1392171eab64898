//! Integration tests of the linkage engine.

mod febrl;
