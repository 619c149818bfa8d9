//! vardsim: a discrete-event simulator of Swedish primary-care access.
#![warn(missing_docs)]

pub mod cli;
pub mod engine;
pub mod experiment;
pub mod import;
pub mod memory;
pub mod metrics;
pub mod model;
pub mod report;
pub mod scenario;
pub mod serve;
mod spill;
pub mod vocab;
