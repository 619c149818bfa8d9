//! Scenario files: reading, merging (`extends`, `--set`) and validation.

pub mod dist_spec;
pub mod error;
pub mod source;

pub use error::{Location, Problem, ScenarioError};
