//! The shared vocabulary below both the scenario and the model modules:
//! ids, kinds, distributions, weekly blocks and slot types.
//!
//! **Boundary:** the dependency runs one way. `scenario` checks a file into
//! these types, `model` reads the checked scenario; nothing here names
//! either module (`tests/it/tidy.rs` checks it).

pub mod dist;
pub mod ids;
pub mod keys;
pub mod kinds;
pub mod slot;
pub mod week;
