//! The metrics of the telephone line: calls, callers who hung up in a hold
//! queue, same-day accessibility and the wait for the call-back. Keys,
//! units and labels live here only; `docs/output.md` describes them.

use crate::engine::SimTime;
use crate::metrics::{Acc, By, MetricDef, MetricUnit, Out, waits_by_unit};
use crate::model::Records;
use crate::model::records::{Episode, Sum};
use crate::scenario::spec::TriageOutcome;
use crate::vocab::kinds::{Activity, Channel, EndState};

/// New contacts by telephone.
const CALLS: MetricDef = MetricDef {
    key: "phone_calls",
    unit: MetricUnit::Count,
    by: &[],
    en: "Telephone contacts",
    sv: "Telefonkontakter",
    signed: false,
};
/// Callers who hung up in a hold queue before talking to anyone.
const ABANDONED: MetricDef = MetricDef {
    key: "phone_abandoned",
    unit: MetricUnit::Count,
    by: &[],
    en: "Callers who hung up in the queue",
    sv: "Uppringare som lade på i kön",
    signed: false,
};
/// Answered or called back on the day of the call.
const SAME_DAY: MetricDef = MetricDef {
    key: "phone_called_back_same_day",
    unit: MetricUnit::Share,
    by: &[],
    en: "Telephone accessibility (answered or called back the same day)",
    sv: "Telefontillgänglighet (besvarade eller återuppringda samma dag)",
    signed: false,
};
/// From the call to the call-back (or answer).
const DELAY: MetricDef = MetricDef {
    key: "callback_delay_minutes_mean",
    unit: MetricUnit::Minutes,
    by: &[By::Unit],
    en: "Wait for call-back, mean",
    sv: "Väntetid till återuppringning, medelvärde",
    signed: false,
};

/// Every metric of the telephone line, in the order they are written.
pub static METRICS: [MetricDef; 4] = [CALLS, ABANDONED, SAME_DAY, DELAY];

/// Writes the telephone metrics; nothing when no unit has a telephone line.
pub(crate) fn write(out: &mut Out<'_>, rec: &Records) {
    let sc = out.sc;
    if sc.units.iter().all(|u| u.phone.is_none()) {
        return;
    }
    let t = &rec.episode_tallies.flows.phone;
    let (delay, by_unit) = waits_by_unit(rec, Activity::Telephone);
    out.put(CALLS.key, CALLS.unit, t.calls);
    let abandoned = t.abandoned;
    out.put(ABANDONED.key, ABANDONED.unit, abandoned as f64);
    out.put(SAME_DAY.key, SAME_DAY.unit, Acc::from(t.same_day).mean());
    out.put(DELAY.key, DELAY.unit, delay.mean());
    out.put_indexed(DELAY.key, DELAY.unit, By::Unit, &by_unit, |u| {
        &sc.units[u].key
    });
}

/// What the telephone metrics need from each episode: new telephone
/// contacts after the warm-up, their same-day contacts (among those whose
/// next day is inside the run, or who had it) and abandoned calls.
#[derive(Clone, Copy, Debug, Default)]
pub struct EpisodeTally {
    /// New telephone contacts.
    pub calls: f64,
    /// First staff contact on the day of the call (1) or not (0).
    pub same_day: Sum,
    /// Reneged before any staff contact.
    pub abandoned: u64,
}

/// Adds episode `ep` of a run observed over `[from, to)`.
pub(crate) fn fold(t: &mut EpisodeTally, ep: &Episode, from: SimTime, to: SimTime) {
    if ep.arrived < from || ep.follow_up || ep.channel != Channel::Phone {
        return;
    }
    t.calls += 1.0;
    let same = ep.first_staff_contact.day() == ep.arrived.day();
    if ep.arrived.day() + 1 < to.day() || same {
        t.same_day.add(if same { 1.0 } else { 0.0 });
    }
    if ep.end == EndState::Reneged && ep.first_staff_contact == SimTime::NEVER {
        t.abandoned += 1;
    }
}

/// Adds `other`'s counts (another linked group's run) to `t`.
pub(crate) fn absorb(t: &mut EpisodeTally, other: &EpisodeTally) {
    t.calls += other.calls;
    t.same_day = t.same_day.plus(other.same_day);
    t.abandoned += other.abandoned;
}

/// Emergency department visits a year: sent by triage, or by a mobile team
/// that could not come the same day.
const ED_VISITS: MetricDef = MetricDef {
    key: "emergency_visits_per_year",
    unit: MetricUnit::Count,
    by: &[By::Source],
    en: "Emergency department visits a year",
    sv: "Besök på akutmottagningen per år",
    signed: false,
};
/// Triage's emergency referrals a mobile team could have visited at home.
const ED_POSSIBLE: MetricDef = MetricDef {
    key: "emergency_visits_home_visit_possible_per_year",
    unit: MetricUnit::Count,
    by: &[],
    en: "Emergency department visits a year that a mobile team's home visit could replace (no team)",
    sv: "Besök på akutmottagningen per år som ett mobilt teams hembesök kunde ersätta (inget team)",
    signed: false,
};
/// Triage's emergency referrals a mobile team visited instead.
const ED_AVOIDED: MetricDef = MetricDef {
    key: "emergency_visits_avoided_per_year",
    unit: MetricUnit::Count,
    by: &[],
    en: "Emergency department visits avoided a year (home visit by a mobile team instead)",
    sv: "Undvikna besök på akutmottagningen per år (hembesök av mobilt team i stället)",
    signed: false,
};
/// Admissions after those visits, when the scenario gives a share.
const ED_ADMISSIONS: MetricDef = MetricDef {
    key: "emergency_admissions_per_year",
    unit: MetricUnit::Count,
    by: &[],
    en: "Admissions after emergency department visits a year",
    sv: "Inläggningar efter besök på akutmottagningen per år",
    signed: false,
};
/// What the visits (and admissions) cost the region.
const ED_COST: MetricDef = MetricDef {
    key: "emergency_cost_sek_per_year",
    unit: MetricUnit::Sek,
    by: &[],
    en: "Emergency department cost a year (visits and admissions)",
    sv: "Kostnad för akutmottagningen per år (besök och inläggningar)",
    signed: false,
};
/// Staff cost and emergency department cost together: its difference
/// between two scenarios is a method's net cost.
const COST_WITH_ED: MetricDef = MetricDef {
    key: "cost_with_emergency_sek_per_year",
    unit: MetricUnit::Sek,
    by: &[],
    en: "Staff and emergency department cost a year",
    sv: "Personal- och akutmottagningskostnad per år",
    signed: false,
};

/// Every emergency department metric, in the order they are written.
pub static EMERGENCY: [MetricDef; 6] = [
    ED_VISITS,
    ED_POSSIBLE,
    ED_AVOIDED,
    ED_ADMISSIONS,
    ED_COST,
    COST_WITH_ED,
];

/// Writes the emergency department metrics; nothing when no patient can be
/// sent there (no category with an `emergency` outcome after triage, no
/// mobile team).
pub(crate) fn write_emergency(out: &mut Out<'_>, rec: &Records) {
    let sc = out.sc;
    let emergency = TriageOutcome::ROUTED
        .iter()
        .position(|&o| o == TriageOutcome::Emergency)
        .expect("emergency is a routed outcome");
    let can_refer = sc.categories.iter().any(|c| {
        let cum = &c.after_triage_cumulative;
        cum[emergency]
            > if emergency == 0 {
                0.0
            } else {
                cum[emergency - 1]
            }
    });
    if !can_refer && sc.mobile_teams.is_empty() {
        return;
    }
    let days = rec.observed_to.saturating_since(rec.observed_from) as f64 / SimTime::DAY as f64;
    let year = 365.0 / days.max(f64::MIN_POSITIVE);
    let phone = &rec.flows.phone;
    let teams = &rec.flows.mobile;
    let triage = phone.emergency as f64 * year;
    let mobile = teams.iter().map(|l| l.avoidable_emergency).sum::<u64>() as f64 * year;
    let visits = triage + mobile;
    out.put(ED_VISITS.key, ED_VISITS.unit, visits);
    let count = |v: f64| Acc { sum: v, n: 1.0 };
    let mut sources = std::collections::BTreeMap::from([("triage".to_string(), count(triage))]);
    if !sc.mobile_teams.is_empty() {
        sources.insert("mobile_team".to_string(), count(mobile));
    }
    out.put_groups(ED_VISITS.key, ED_VISITS.unit, By::Source, &sources);
    let possible = phone.emergency_home_visit_possible as f64 * year;
    out.put(ED_POSSIBLE.key, ED_POSSIBLE.unit, possible);
    let avoided = teams.iter().map(|l| l.avoided_emergency).sum::<u64>() as f64 * year;
    out.put(ED_AVOIDED.key, ED_AVOIDED.unit, avoided);
    let costs = &sc.costs;
    let admissions = visits * costs.emergency_admitted_share;
    if costs.admissions {
        out.put(ED_ADMISSIONS.key, ED_ADMISSIONS.unit, admissions);
    }
    let cost = visits * costs.emergency_visit_sek + admissions * costs.emergency_admission_sek;
    out.put(ED_COST.key, ED_COST.unit, cost);
    if let Some(staff) = out.value("staff_cost_sek_per_year") {
        out.put(COST_WITH_ED.key, COST_WITH_ED.unit, staff + cost);
    }
}
