//! Reading scenario sources (placeholder).
