//! vardsim: a discrete-event simulator of Swedish primary-care access.
#![warn(missing_docs)]

pub mod engine;
pub mod model;
pub mod scenario;
