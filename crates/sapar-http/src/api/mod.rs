//! The `/api/v1` routes and the JSON shapes they exchange.

pub(crate) mod crossings;
pub(crate) mod exchange;
pub(crate) mod exchange_admin;
pub(crate) mod permits;
pub(crate) mod persons;
pub(crate) mod review;
pub(crate) mod system;
pub(crate) mod violations;
