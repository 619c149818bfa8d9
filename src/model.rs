//! The primary-care model: patients, staff, channels and the flows between them.

pub mod dist;
