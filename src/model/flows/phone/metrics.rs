//! The metrics of the telephone line: calls, callers who hung up in a hold
//! queue, same-day accessibility and the wait for the call-back. Keys,
//! units and labels live here only; `docs/output.md` describes them.

use crate::engine::SimTime;
use crate::metrics::{Acc, By, MetricDef, MetricUnit, Out, waits_by_unit};
use crate::model::Records;
use crate::model::records::{Episode, Sum};
use crate::vocab::kinds::{Activity, Channel, EndState};

/// New contacts by telephone.
const CALLS: MetricDef = MetricDef {
    key: "phone_calls",
    unit: MetricUnit::Count,
    by: &[],
    en: "Telephone contacts",
    sv: "Telefonkontakter",
};
/// Callers who hung up in a hold queue before talking to anyone.
const ABANDONED: MetricDef = MetricDef {
    key: "phone_abandoned",
    unit: MetricUnit::Count,
    by: &[],
    en: "Callers who hung up in the queue",
    sv: "Uppringare som lade på i kön",
};
/// Answered or called back on the day of the call.
const SAME_DAY: MetricDef = MetricDef {
    key: "phone_called_back_same_day",
    unit: MetricUnit::Share,
    by: &[],
    en: "Telephone accessibility (answered or called back the same day)",
    sv: "Telefontillgänglighet (besvarade eller återuppringda samma dag)",
};
/// From the call to the call-back (or answer).
const DELAY: MetricDef = MetricDef {
    key: "callback_delay_minutes_mean",
    unit: MetricUnit::Minutes,
    by: &[By::Unit],
    en: "Wait for call-back, mean",
    sv: "Väntetid till återuppringning, medelvärde",
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
