//! Raw distribution specs (placeholder).
