//! The metrics of the telephone line: calls, callers who hung up in a hold
//! queue, same-day accessibility and the wait for the call-back. Keys,
//! units and labels live here only; `docs/output.md` describes them.

use crate::engine::SimTime;
use crate::metrics::{Acc, By, MetricDef, MetricUnit, Out, new_contacts, waits_by_unit};
use crate::model::Records;
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
    let horizon_day = rec.observed_to.day();
    let mut calls = 0.0;
    let mut same_day = Acc::default();
    for ep in new_contacts(rec, Channel::Phone) {
        calls += 1.0;
        if ep.arrived.day() + 1 < horizon_day || ep.first_staff_contact.day() == ep.arrived.day() {
            same_day.add(if ep.first_staff_contact.day() == ep.arrived.day() {
                1.0
            } else {
                0.0
            });
        }
    }
    let (delay, by_unit) = waits_by_unit(rec, Activity::Telephone);
    out.put(CALLS.key, CALLS.unit, calls);
    let abandoned = new_contacts(rec, Channel::Phone)
        .filter(|e| e.end == EndState::Reneged && e.first_staff_contact == SimTime::NEVER)
        .count();
    out.put(ABANDONED.key, ABANDONED.unit, abandoned as f64);
    out.put(SAME_DAY.key, SAME_DAY.unit, same_day.mean());
    out.put(DELAY.key, DELAY.unit, delay.mean());
    out.put_indexed(DELAY.key, DELAY.unit, By::Unit, &by_unit, |u| {
        &sc.units[u].key
    });
}
