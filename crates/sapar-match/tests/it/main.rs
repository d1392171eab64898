//! Integration tests of the linkage engine.

mod cluster;
mod config;
mod febrl;
mod model;
mod register;
mod support;
