//! The registration list of working methods (flows): the one place that
//! names them. Each flow that is a slice lives in its own folder below
//! (`flows/mobile/`) and owns its state (a field of
//! `Model`), its event variants (nested in
//! `Event`), its block of per-patient random-stream tags, its `init` /
//! `handle` / `finish` steps, its ledger in the [`Records`] and its table of
//! metrics (key, unit, breakdowns, labels).
//!
//! Every flow is a slice: `demand`, `phone` (call-back and triage),
//! `booking`, `desks` (drop-in, e-service inbox, telephone hold queue and
//! remote doctor pool, which share the queue-and-post machinery) and
//! `mobile`. The hub (`sim.rs`) keeps what they share: the arenas, episodes,
//! contacts, staff ledgers and the service-time tag.
//!
//! Order matters for byte-identical results: initialisation order decides
//! the insertion sequence of simultaneous first events, and the metrics
//! order is the row order of `replications.csv`. Every event is scheduled
//! from an *emitter* (`Engine::schedule_from`): the unit whose state the
//! call belongs to — an arrival stream's unit, a desk's or post's, a
//! book's (booked visits, cancellations, absences, the book's daily
//! sample), the line that calls back, a mobile team's base. Simultaneous
//! events of equal priority run by emitter, then in each emitter's
//! insertion order, so a unit's events keep their order whatever other
//! units run beside them (`model/linked.rs`); a scenario of one unit is
//! in plain insertion order.

pub mod booking;
pub(crate) mod demand;
pub mod desks;
pub mod mobile;
pub mod phone;

use crate::engine::{Engine, StreamKey};
use crate::metrics::{MetricDef, MetricFamily, Out};
use crate::model::Records;
use crate::model::records::BookCache;
use crate::model::sim::Model;
use crate::vocab::ids::PatientId;

/// Everything that can happen. Small and `Copy`: the future-event list moves
/// these around millions of times per second (a const assert holds it to 8
/// bytes). A slice's events are one variant: its own fieldless enum of what
/// happens and one 32-bit id. (Two variants holding enums with data would
/// each need their own tag: 12 bytes, and 32-byte heap entries instead of 24.)
#[derive(Clone, Copy, Debug)]
pub(crate) enum Event {
    /// Where patients come from (`flows/demand/`).
    Demand(demand::DemandEvent, u32),
    /// Desks: drop-in, e-service, hold queue, remote doctor (`flows/desks/`).
    Desk(desks::DeskEvent, u32),
    /// Booked visits (`flows/booking/`).
    Booking(booking::BookingEvent, PatientId),
    /// Telephone call-back and triage (`flows/phone/`).
    Phone(phone::PhoneEvent, PatientId),
    /// Mobile teams (`flows/mobile/`).
    Mobile(mobile::MobileEvent, u32),
}

const _: () = assert!(std::mem::size_of::<Event>() <= 8, "Event must stay small");

/// What the flows leave in the [`Records`] besides episodes, contacts and
/// the staff ledgers: one field per slice.
#[derive(Clone, Debug, Default)]
pub struct FlowRecords {
    /// One per desk.
    pub desks: Vec<desks::DeskLedger>,
    /// Booked visits and access samples.
    pub booking: booking::BookingRecords,
    /// One per mobile team, in the scenario's order.
    pub mobile: Vec<mobile::MobileLedger>,
    /// Triage's referrals to the emergency department.
    pub phone: phone::PhoneLedger,
    /// Staff supply: leave and absence by week, hired days (`model/supply.rs`).
    pub supply: crate::model::supply::SupplyLedger,
}

/// What the slices count per episode as it leaves the model (beside the
/// hub's `EpisodeTallies`): a slice with a per-episode metric adds a field
/// here and a line to `fold_episode`. Only whole numbers, so the order
/// episodes end in does not matter.
#[derive(Clone, Debug, Default)]
pub struct FlowEpisodeTallies {
    /// New telephone contacts: calls, same-day contact, abandoned.
    pub phone: phone::metrics::EpisodeTally,
    /// Planned follow-ups created after the warm-up.
    pub booking: booking::metrics::EpisodeTally,
}

/// Adds episode `ep` of a run observed over `[from, to)` to each slice's
/// per-episode tally.
pub(crate) fn fold_episode(
    t: &mut FlowEpisodeTallies,
    ep: &crate::model::records::Episode,
    from: crate::engine::SimTime,
    to: crate::engine::SimTime,
) {
    phone::metrics::fold(&mut t.phone, ep, from, to);
    booking::metrics::fold(&mut t.booking, ep, from);
}

/// Adds the slices' per-episode tallies of `other` (another linked group's
/// run, `model/linked.rs`) to `t`. Whole numbers: exact in any order.
pub(crate) fn absorb_episode_tallies(t: &mut FlowEpisodeTallies, other: &FlowEpisodeTallies) {
    phone::metrics::absorb(&mut t.phone, &other.phone);
    booking::metrics::absorb(&mut t.booking, &other.booking);
}

/// Per-patient random-stream tags by owner: each slice has its own blocks,
/// the hub (`sim.rs`) the service-time tag that desks and booking share. The numbers are those the
/// streams always had (changing one changes results).
#[allow(clippy::single_range_in_vec_init)] // lists of ranges, some of one
pub const TAG_BLOCKS: &[(&str, &[std::ops::Range<u64>])] = &[
    ("desks", &desks::TAGS),
    ("phone", &[phone::TAGS]),
    ("booking", &booking::TAGS),
    (
        "hub: service + profession (desks and booking)",
        &[1_000..1_256],
    ),
    ("mobile", &[mobile::TAGS]),
    ("booking: continuity", &[booking::continuity::TAGS]),
    (
        "hub: patient groups (distance band, far walk-in, digital exclusion)",
        &[crate::model::sim::TAGS_GROUPS],
    ),
];

/// Builds every flow's state and schedules its first events, in this order.
pub(crate) fn init(model: &mut Model<'_>, key: &StreamKey<'_>, engine: &mut Engine<Event>) {
    desks::init(model, key, engine);
    phone::init(model, key, engine);
    booking::init(model, key, engine);
    demand::init(model, key, engine);
    // Last: appends the crews to the staff arena (no unit staff group).
    mobile::init(model, key, engine);
}

/// Hands `event` to the flow it belongs to.
#[inline]
pub(crate) fn handle(model: &mut Model<'_>, engine: &mut Engine<Event>, event: Event) {
    match event {
        Event::Demand(e, i) => demand::handle(model, engine, e, i),
        Event::Desk(e, i) => desks::handle(model, engine, e, i),
        Event::Booking(e, p) => booking::handle(model, engine, e, p),
        Event::Phone(e, p) => phone::handle(model, engine, e, p),
        Event::Mobile(e, i) => mobile::handle(model, engine, e, i),
    }
}

/// The patient whose state `event` reads first (through `Model::slots`),
/// if the event is about one: what the run's look-ahead prefetches
/// (`Model::look_ahead`).
#[inline]
pub(crate) fn patient_of(event: &Event) -> Option<PatientId> {
    match *event {
        Event::Booking(booking::BookingEvent::Visit | booking::BookingEvent::Cancel, p)
        | Event::Phone(_, p) => Some(p),
        Event::Desk(desks::DeskEvent::Renege | desks::DeskEvent::Registered, i) => {
            Some(PatientId(i))
        }
        _ => None,
    }
}

/// End-of-run steps of the slices (time of work still under way, ledgers),
/// and the appointment books as built, for the worker's next replication.
pub(crate) fn finish(model: &mut Model<'_>) -> (FlowRecords, BookCache) {
    let desks = desks::finish(model);
    let mobile = mobile::finish(model);
    let (booking, book_cache) = booking::finish(model);
    let phone = phone::finish(model);
    let records = FlowRecords {
        desks,
        booking,
        mobile,
        phone,
        supply: std::mem::take(&mut model.supply.ledger),
    };
    (records, book_cache)
}

/// Every metric family of the slices (metrics with one key per listed value).
pub(crate) fn metric_families() -> impl Iterator<Item = &'static MetricFamily> {
    desks::metrics::FAMILIES.iter()
}

/// Every flow's metric definitions, in registration order.
pub(crate) fn metric_defs() -> impl Iterator<Item = &'static MetricDef> {
    (booking::metrics::METRICS.iter())
        .chain(phone::metrics::METRICS.iter())
        .chain(desks::metrics::METRICS.iter())
        .chain(mobile::metrics::METRICS.iter().map(|m| &m.def))
        .chain(phone::metrics::EMERGENCY.iter())
        .chain(crate::model::supply::metrics::METRICS.iter())
        .chain(booking::continuity_metrics::METRICS.iter())
}

/// Where among the hub's metrics (`metrics/compute.rs`) a slice writes its
/// own: the rows of `replications.csv` keep the order they had before the
/// flows became slices. A new flow writes `Last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MetricsPlace {
    /// After the days to assessment and to a doctor's visit.
    AfterDays,
    /// After the visit counts.
    AfterVisits,
    /// After the staff cost.
    AfterCost,
    /// After everything else.
    Last,
}

/// Each slice's metrics step and its place.
type MetricsStep = fn(&mut Out<'_>, &Records);
const METRICS_STEPS: [(MetricsPlace, MetricsStep); 9] = [
    (MetricsPlace::AfterDays, booking::metrics::write),
    (MetricsPlace::AfterVisits, phone::metrics::write),
    (
        MetricsPlace::AfterVisits,
        desks::metrics::write_inbox_and_dropin,
    ),
    (MetricsPlace::AfterCost, mobile::metrics::write),
    (MetricsPlace::AfterCost, desks::metrics::write_remote),
    (MetricsPlace::Last, desks::metrics::write_stays),
    (MetricsPlace::Last, phone::metrics::write_emergency),
    (MetricsPlace::Last, crate::model::supply::metrics::write),
    (MetricsPlace::Last, booking::continuity_metrics::write),
];

/// Writes the metrics of the slices whose place is `place`, in
/// registration order.
pub(crate) fn metrics(out: &mut Out<'_>, rec: &Records, place: MetricsPlace) {
    for (at, step) in METRICS_STEPS {
        if at == place {
            step(out, rec);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_stay_small_and_copy() {
        fn is_copy<T: Copy>() {}
        is_copy::<Event>();
        assert!(std::mem::size_of::<Event>() <= 8);
    }

    #[test]
    fn tag_blocks_are_disjoint() {
        let ranges: Vec<_> = TAG_BLOCKS
            .iter()
            .flat_map(|(owner, rs)| rs.iter().map(move |r| (*owner, r)))
            .collect();
        for (i, (a, ra)) in ranges.iter().enumerate() {
            assert!(ra.start < ra.end, "{a}: empty block");
            for (b, rb) in &ranges[i + 1..] {
                assert!(
                    ra.end <= rb.start || rb.end <= ra.start,
                    "{a} and {b} share tags"
                );
            }
        }
    }

    #[test]
    fn metric_keys_are_unique_and_labelled() {
        let defs: Vec<_> = metric_defs().collect();
        for (i, d) in defs.iter().enumerate() {
            assert!(!d.en.is_empty() && !d.sv.is_empty(), "{}", d.key);
            assert!(defs[i + 1..].iter().all(|e| e.key != d.key), "{}", d.key);
        }
    }
}
