//! The scenario numbers a unit's events read, packed per unit.
//!
//! A [`crate::scenario::spec::Unit`] is several hundred bytes (names, staff,
//! desks, streams, rules), and the few fields an event reads — a booking's
//! no-show and cancellation chances, the line that answers its calls, the
//! patients' distance bands — lie on as many cache lines of it. In a linked
//! group of fifty units each of those lines could be a miss of its own when
//! the unit's next event came (docs/performance-history.md, twenty-eighth pass);
//! here they are three lines a unit, grouped by the events that read them.

use crate::scenario::spec::{Scenario, UnitDistance};
use crate::vocab::dist::Distribution;
use crate::vocab::ids::UnitId;

/// What events read of one unit's scenario (copied, or borrowed from it).
/// `repr(C)` keeps the fields in the order written: each cache line below
/// holds what one kind of event reads.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
pub(crate) struct UnitFacts<'s> {
    // Line 1, booking's choices (a booked visit: whether the patient comes;
    // a booking: web or staff, which day).
    /// Chance of a no-show by lead-time bucket.
    pub no_show: [f64; 4],
    /// Chance that a patient who did not show up is booked again.
    pub rebook_after_no_show: f64,
    /// Chance that a web booker wants a doctor's time.
    pub web_prefer_doctor: f64,
    /// Share of the booked patients who name a later day themselves.
    pub patient_chosen_share: f64,
    /// The days they name.
    pub patient_chosen_days: &'s Distribution,

    // Line 2, taking a slot and the telephone.
    /// Chance of a cancellation by lead-time bucket.
    pub cancellation: [f64; 4],
    /// Days unbooked web times go back to staff booking before they start.
    pub web_return_days: u32,
    /// Any profession the category allows may be booked (not the doctor first).
    pub profession_neutral: bool,
    /// Book past the urgency window when nothing is free inside it.
    pub book_late: bool,
    /// Unbooked web times of the day go to urgent staff booking.
    pub release_web_on_day: bool,
    /// The unit has a telephone line of its own.
    pub has_phone: bool,
    /// The unit whose nurses answer this unit's calls (itself unless shared).
    pub phone_line: UnitId,
    /// The unit whose inbox answers this unit's e-service requests.
    pub eservice_inbox: UnitId,
    /// The length of a triage call on the unit's own line, if it has one.
    pub triage_minutes: Option<&'s Distribution>,

    // Line 3, a new patient: where they live, which channel they take.
    /// The distance bands' cumulative shares (empty without bands): the
    /// draw of every new patient.
    pub band_cumulative: &'s [f64],
    /// Each drawn band's index in `Scenario::distance_bands`.
    pub band_of: &'s [u8],
    /// The unit's distance bands, if it gives them.
    pub distance: Option<&'s UnitDistance>,
    /// The unit's calls reach a line (its own or a host's).
    pub calls_answered: bool,
}

impl<'s> UnitFacts<'s> {
    /// Every unit's facts, by unit index.
    pub(crate) fn of_all(sc: &'s Scenario) -> Vec<Self> {
        sc.units
            .iter()
            .enumerate()
            .map(|(u, unit)| {
                let booking = &unit.booking;
                let distance = unit.distance.as_ref();
                UnitFacts {
                    no_show: booking.no_show,
                    rebook_after_no_show: booking.rebook_after_no_show,
                    cancellation: booking.cancellation,
                    web_prefer_doctor: booking.web_prefer_doctor,
                    patient_chosen_share: booking.patient_chosen_share,
                    patient_chosen_days: &booking.patient_chosen_days,
                    web_return_days: booking.web_return_days,
                    profession_neutral: booking.profession_neutral,
                    book_late: booking.book_late,
                    release_web_on_day: booking.release_web_on_day,
                    has_phone: unit.phone.is_some(),
                    calls_answered: unit.phone.is_some() || unit.phone_host.is_some(),
                    phone_line: UnitId(unit.phone_host.unwrap_or(u) as u16),
                    eservice_inbox: UnitId(unit.eservice_host.unwrap_or(u) as u16),
                    triage_minutes: unit.phone.as_ref().map(|p| &p.triage_minutes),
                    distance,
                    band_cumulative: distance.map_or(&[], |d| &d.cumulative),
                    band_of: distance.map_or(&[], |d| &d.bands),
                }
            })
            .collect()
    }
}

// Three cache lines a unit.
const _: () = assert!(std::mem::size_of::<UnitFacts<'static>>() == 192);

#[cfg(test)]
mod tests {
    use super::*;

    /// Each unit's facts are its scenario's fields: a shared line's host,
    /// a shared inbox, a unit's own line, and the booking chances.
    #[test]
    fn facts_are_the_units_scenario() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let sc = Scenario::load(Some(&root.join("regions/stockholm.toml")), &[]).unwrap();
        let facts = UnitFacts::of_all(&sc);
        assert_eq!(facts.len(), sc.units.len());
        let mut shared_lines = 0;
        for (u, (f, unit)) in facts.iter().zip(&sc.units).enumerate() {
            match unit.phone_host {
                Some(h) => {
                    shared_lines += 1;
                    assert_eq!(f.phone_line.index(), h);
                }
                None => assert_eq!(f.phone_line.index(), u),
            }
            assert_eq!(f.eservice_inbox.index(), unit.eservice_host.unwrap_or(u));
            assert_eq!(f.has_phone, unit.phone.is_some());
            assert_eq!(f.triage_minutes.is_some(), unit.phone.is_some());
            assert_eq!(f.no_show, unit.booking.no_show);
            assert_eq!(f.cancellation, unit.booking.cancellation);
            assert_eq!(f.book_late, unit.booking.book_late);
            assert_eq!(
                f.band_cumulative,
                unit.distance.as_ref().map_or(&[][..], |d| &d.cumulative)
            );
        }
        assert!(shared_lines > 0, "Stockholm shares a regional line");
    }
}
