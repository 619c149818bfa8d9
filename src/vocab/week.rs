//! Weekly time blocks, as scenarios write shifts and opening hours.

/// A weekly block: the days it applies to (bit 0 = Monday) and a time span
/// within the day, in seconds since midnight (`end` may be 86 400).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct WeeklyBlock {
    /// Bit `i` set = applies on weekday `i` (0 = Monday).
    pub days: u8,
    /// Start, seconds since midnight.
    pub start_s: u32,
    /// End, seconds since midnight, `> start_s`, at most 86 400.
    pub end_s: u32,
}
