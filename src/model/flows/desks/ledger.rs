//! What a desk leaves in the records: its [`DeskLedger`].

use crate::model::records::Sum;
use crate::vocab::kinds::Activity;

/// Per desk (drop-in, …) time integrals, after the warm-up.
#[derive(Clone, Copy, Debug)]
pub struct DeskLedger {
    /// Unit.
    pub unit: u16,
    /// The activity that serves the desk (`DropIn` for the drop-in).
    pub activity: Activity,
    /// ∫ (patients waiting) dt, patient-seconds.
    pub queue_area: f64,
    /// Seconds the desk was open.
    pub open_s: u64,
    /// ∫ (patients at the desk: waiting or being served) dt, patient-seconds.
    pub system_area: f64,
    /// Stays begun after the warm-up: a patient joining the desk (a
    /// drop-in patient back from its fast triage goes on with the same stay).
    pub stays: u64,
    /// Minutes from joining to leaving, stays begun after the warm-up and
    /// over before the run ended.
    pub stay_minutes: Sum,
    /// Minutes waited by patients who joined after the warm-up and left
    /// unserved: reneged (patience ran out) or balked (0).
    pub left_wait: Sum,
    /// Minutes waited for each contact at this desk, requested after the
    /// warm-up (the contacts' own wait).
    pub served_wait: Sum,
}
