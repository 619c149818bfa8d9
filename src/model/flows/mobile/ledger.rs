//! What a mobile team leaves in the records: its [`MobileLedger`].

/// A mobile team's day-to-day, after the warm-up.
#[derive(Clone, Copy, Debug, Default)]
pub struct MobileLedger {
    /// Base unit.
    pub base: u16,
    /// Crew-seconds on duty (crews × scheduled duty).
    pub duty_s: u64,
    /// Days on which the team was on duty.
    pub days: u64,
    /// Requests received (triage, home care, planned).
    pub requests: u64,
    /// Home visits started.
    pub visits: u64,
    /// Crew-seconds driving.
    pub travel_s: u64,
    /// Crew-seconds on home visits.
    pub visit_s: u64,
    /// Crew-seconds out past the end of the duty period a crew set out in
    /// (until it is back at base or the next period starts).
    pub overtime_s: u64,
    /// Sum of seconds from request to visit start, over `waited` visits
    /// whose request came after the warm-up.
    pub wait_s: u64,
    /// Visits counted in `wait_s`.
    pub waited: u64,
    /// Same-day requests sent to the emergency department because no crew
    /// could come that day.
    pub avoidable_emergency: u64,
    /// Emergency referrals from triage that the team received instead of
    /// the emergency department (`emergency_home_visit_share`).
    pub instead_of_emergency: u64,
    /// Of those, the ones the team visited: emergency department visits
    /// avoided.
    pub avoided_emergency: u64,
}
