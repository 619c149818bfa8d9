//! The metrics of booked visits: counts, no-show and cancellation rates,
//! web bookers who phoned instead, follow-ups and the "third next
//! available" access measure. Keys, units and labels live here only;
//! `docs/output.md` describes them.

use std::collections::BTreeMap;

use crate::metrics::{Acc, By, MetricDef, MetricUnit, Out};
use crate::model::Records;

const fn def(key: &'static str, unit: MetricUnit, en: &'static str, sv: &'static str) -> MetricDef {
    MetricDef {
        key,
        unit,
        by: &[],
        en,
        sv,
    }
}

const BOOKED: MetricDef = def(
    "booked_visits",
    MetricUnit::Count,
    "Booked visits",
    "Bokade besök",
);
const CANCELLED: MetricDef = def(
    "cancellation_rate",
    MetricUnit::Share,
    "Cancellation rate",
    "Andel avbokade besök",
);
const WEB_TO_PHONE: MetricDef = def(
    "web_bookings_switched_to_phone",
    MetricUnit::Count,
    "Web bookers who phoned instead",
    "Webbokare som ringde i stället",
);
const FOLLOW_UPS: MetricDef = def(
    "follow_ups",
    MetricUnit::Count,
    "Follow-up visits",
    "Återbesök",
);
const NO_SHOW: MetricDef = def(
    "no_show_rate",
    MetricUnit::Share,
    "No-show rate",
    "Andel uteblivna besök",
);
const THIRD_NEXT: MetricDef = MetricDef {
    by: &[By::Profession],
    ..def(
        "third_next_available_days",
        MetricUnit::Days,
        "Third next available time",
        "Tredje lediga tid",
    )
};

/// Every metric of booking, in the order they are written.
pub static METRICS: [MetricDef; 6] = [
    BOOKED,
    CANCELLED,
    WEB_TO_PHONE,
    FOLLOW_UPS,
    NO_SHOW,
    THIRD_NEXT,
];

/// A share, undefined when nothing was counted.
fn share(part: u64, whole: u64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        f64::NAN
    }
}

/// Writes the booking metrics; nothing when no staff member has visit slots.
pub(crate) fn write(out: &mut Out<'_>, rec: &Records) {
    let sc = out.sc;
    if sc
        .units
        .iter()
        .all(|u| u.staff.iter().all(|g| g.visit_slots.is_empty()))
    {
        return;
    }
    let b = &rec.flows.booking.ledger;
    let (attended, missed): (u64, u64) = (b.attended.iter().sum(), b.no_shows.iter().sum());
    let total = attended + missed;
    out.put(BOOKED.key, BOOKED.unit, total as f64);
    let cancelled: u64 = b.cancelled.iter().sum();
    out.put(
        CANCELLED.key,
        CANCELLED.unit,
        share(cancelled, total + cancelled),
    );
    out.put(WEB_TO_PHONE.key, WEB_TO_PHONE.unit, b.web_to_phone as f64);
    let follow_ups = rec
        .episodes
        .iter()
        .filter(|e| e.arrived >= rec.observed_from && e.follow_up)
        .count();
    out.put(FOLLOW_UPS.key, FOLLOW_UPS.unit, follow_ups as f64);
    out.put(NO_SHOW.key, NO_SHOW.unit, share(missed, total));
    let mut tna = Acc::default();
    let mut by_prof: BTreeMap<String, Acc> = BTreeMap::new();
    for s in &rec.flows.booking.access {
        if let Some(d) = s.days {
            tna.add(d as f64);
            by_prof
                .entry(out.profession_key(s.profession as usize))
                .or_default()
                .add(d as f64);
        }
    }
    out.put(THIRD_NEXT.key, THIRD_NEXT.unit, tna.mean());
    out.put_groups(THIRD_NEXT.key, THIRD_NEXT.unit, By::Profession, &by_prof);
}
