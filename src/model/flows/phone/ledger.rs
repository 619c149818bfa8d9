//! What triage leaves in the records: its [`PhoneLedger`].

/// Triage's referrals to the emergency department, after the warm-up
/// (counted when sent), from every route to triage (telephone, hold queue,
/// e-service).
#[derive(Clone, Copy, Debug, Default)]
pub struct PhoneLedger {
    /// Patients triage sent to the emergency department.
    pub emergency: u64,
    /// Of those, the ones a mobile team's home visit could have met
    /// (`emergency_home_visit_share`) had a team served their unit.
    pub emergency_home_visit_possible: u64,
}
