//! What booking leaves in the records: the [`BookingLedger`] and the daily
//! [`AccessSample`]s.

/// Booked visits after the warm-up, by lead time from booking to visit:
/// same day, next day, 2–7 days, more than 7 days.
#[derive(Clone, Copy, Debug, Default)]
pub struct BookingLedger {
    /// Visits the patient came to.
    pub attended: [u64; 4],
    /// Visits the patient did not come to.
    pub no_shows: [u64; 4],
    /// Visits cancelled ahead (the slot was freed).
    pub cancelled: [u64; 4],
    /// Web-booking patients who found no released slot and phoned instead.
    pub web_to_phone: u64,
    /// Booked visits whose staff member was away on the day (unplanned):
    /// moved to a colleague or booked again.
    pub displaced: u64,
}

/// The lead-time bucket (0 = same day … 3 = more than 7 days) of a visit on
/// day `visit` booked on day `booked`.
pub fn lead_bucket(booked: u64, visit: u64) -> usize {
    match visit.saturating_sub(booked) {
        0 => 0,
        1 => 1,
        2..=7 => 2,
        _ => 3,
    }
}

/// A daily sample of the "third next available" slot.
#[derive(Clone, Copy, Debug)]
pub struct AccessSample {
    /// Unit.
    pub unit: u16,
    /// Profession.
    pub profession: u8,
    /// Day of the sample.
    pub day: u32,
    /// Days from the sample (08:00) to the third next free regular or
    /// short-notice slot; `None` when fewer than three are bookable.
    pub days: Option<f32>,
}

/// Booking's part of the records.
#[derive(Clone, Debug, Default)]
pub struct BookingRecords {
    /// Attended, missed and cancelled booked visits.
    pub ledger: BookingLedger,
    /// Daily third-next-available samples (working days, after the warm-up).
    pub access: Vec<AccessSample>,
    /// Continuity of care (named clinicians, usual provider).
    pub continuity: super::ContinuityRecords,
    /// Daily access-sample events handled: one region-wide event a day, not
    /// a unit's, so a run split into linked groups has one per group
    /// (`model/merge.rs` counts it once).
    pub daily_samples: u64,
}
