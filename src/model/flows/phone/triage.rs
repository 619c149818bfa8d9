//! Where a patient goes after the nurse's triage: self-care advice, a booked
//! visit, the drop-in, a mobile team's home visit, or the emergency
//! department. The category's
//! `self_care_resolves` and `after_triage` weights decide, drawn from the
//! patient's own stream (so the same patient gets the same advice in every
//! scenario compared).

use super::TAG_TRIAGE_OUTCOME;
use crate::engine::{Engine, PatientRng, RandomSource};
use crate::model::flows::{Event, booking, desks, mobile};
use crate::model::sim::Model;
use crate::scenario::spec::TriageOutcome;
use crate::vocab::ids::PatientId;
use crate::vocab::kinds::EndState;

impl Model<'_> {
    /// The outcome of triage for the patient in arena slot `ps`: self-care
    /// (the stream's first draw), else routed by its second (drawn only
    /// then: the stream is the triage's own, so the same patient gets the
    /// same outcome in every scenario compared).
    fn triage_outcome(&self, ps: usize) -> TriageOutcome {
        let category = self.sc.category(self.episodes[ps].category);
        let mut rng = PatientRng::new(self.patients[ps].seed, TAG_TRIAGE_OUTCOME);
        if rng.bernoulli(category.self_care_resolves) {
            return TriageOutcome::SelfCare;
        }
        TriageOutcome::ROUTED[rng.pick_cumulative(&category.after_triage_cumulative)]
    }

    /// Triage of patient `p` has ended: route them.
    pub(super) fn after_triage(&mut self, engine: &mut Engine<Event>, p: PatientId) {
        let now = engine.now();
        let ps = self.slots.of(p);
        match self.triage_outcome(ps) {
            TriageOutcome::SelfCare => self.end_episode_at(p, ps, EndState::SelfCare, now),
            TriageOutcome::Emergency => {
                // A frail patient whose need a home visit can meet goes to
                // the mobile team serving their unit, if there is one.
                let home_visit = mobile::home_visit_could_replace_emergency(self, p);
                if home_visit && mobile::take_instead_of_emergency(self, engine, p) {
                    return;
                }
                if now >= self.warmup {
                    self.phone.ledger.emergency += 1;
                    self.phone.ledger.emergency_home_visit_possible += home_visit as u64;
                }
                self.end_episode(p, EndState::EmergencyDept, now)
            }
            // Referred to the drop-in while it is open; otherwise booked.
            TriageOutcome::DropIn => {
                if !desks::dropin_after_triage(self, engine, p) {
                    booking::book(self, engine, p);
                }
            }
            TriageOutcome::Book => booking::book(self, engine, p),
            TriageOutcome::Mobile => mobile::refer_after_triage(self, engine, p),
            TriageOutcome::Video => booking::book_video(self, engine, p),
        }
    }
}
