//! The primary-care model: patients, staff, channels and the flows between
//! them, on top of the [`crate::engine`].
//!
//! [`simulate`] builds the model's arenas from a validated
//! [`crate::scenario::Scenario`], runs one replication and returns its
//! [`Records`]: one `Episode` per patient, one `ContactRecord` per contact,
//! and time ledgers. The model does no I/O and computes no statistics.

mod arrivals;
pub mod book;
pub mod flows;
pub mod linked;
mod merge;
pub mod records;
pub mod schedule;
mod sim;
mod split;
pub mod supply;
mod unit_facts;

pub use records::{ModelRun, Records};
pub use sim::{
    simulate, simulate_reusing, simulate_tallied, simulate_tallied_joint, simulate_tallied_once,
    simulate_tallied_spread,
};
