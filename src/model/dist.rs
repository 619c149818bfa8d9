//! Probability distributions for durations (placeholder).
