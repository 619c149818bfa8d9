//! What a desk leaves in the records: its [`DeskLedger`].

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
}
