//! The registration list of working methods (flows): the one place that
//! names them. Each flow that is a slice lives in its own folder below
//! (`flows/mobile/`) and owns its state (a field of
//! [`Model`](crate::model::sim::Model)), its event variants (nested in
//! [`Event`]), its block of per-patient random-stream tags, its `init` /
//! `handle` / `finish` steps, its ledger in the [`Records`] and its table of
//! metrics (key, unit, breakdowns, labels).
//!
//! Flows not yet moved into a slice are `impl Model` blocks beside `sim.rs`
//! (`demand.rs`, `desk.rs`, `phone.rs`, `triage.rs`, `booking.rs`); they
//! are listed here too, in the same places, so that the order of
//! initialisation, dispatch and metrics is written once.
//!
//! Order matters for byte-identical results: initialisation order decides
//! the insertion sequence of simultaneous first events, and the metrics
//! order is the row order of `replications.csv`.

pub mod booking;
pub(crate) mod demand;
pub mod mobile;
pub mod phone;

use crate::engine::{Engine, StreamKey};
use crate::metrics::{MetricDef, Out};
use crate::model::Records;
use crate::model::desk::{DeskId, DeskKind, PostId};
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
    /// A post finishes with the patient it is serving.
    ServiceEnd(PostId),
    /// A waiting patient's patience runs out.
    Renege(PatientId),
    /// A post's duty period starts.
    PostStart(PostId),
    /// A post's duty period ends.
    PostEnd(PostId),
    /// A desk opens.
    DeskOpen(DeskId),
    /// A desk closes.
    DeskClose(DeskId),
    /// Booked visits (`flows/booking/`).
    Booking(booking::BookingEvent, PatientId),
    /// A walk-in has filled in the drop-in's health form.
    Registered(PatientId),
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
    /// Booked visits and access samples.
    pub booking: booking::BookingRecords,
    /// One per mobile team, in the scenario's order.
    pub mobile: Vec<mobile::MobileLedger>,
}

/// Per-patient random-stream tags by owner: each slice has its own block,
/// the flows still in the hub (`sim.rs`) theirs. The numbers are those the
/// streams always had (changing one changes results).
pub const TAG_BLOCKS: &[(&str, std::ops::Range<u64>)] = &[
    ("hub: patience", 1..2),
    ("phone", phone::TAGS),
    (
        "hub: e-service, web, follow-up, drop-in, remote, choice",
        4..11,
    ),
    ("hub: no-show + attempt", 100..200),
    ("hub: cancellation + attempt", 200..300),
    ("hub: service + profession", 1_000..1_256),
    ("mobile", mobile::TAGS),
];

/// Builds every flow's state and schedules its first events, in this order.
pub(crate) fn init(model: &mut Model<'_>, key: &StreamKey<'_>, engine: &mut Engine<Event>) {
    model.init_desks(engine);
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
        Event::ServiceEnd(p) => model.desk_service_end(engine, p),
        Event::Renege(p) => model.desk_renege(engine, p),
        Event::PostStart(p) => model.post_start(engine, p),
        Event::PostEnd(p) => model.post_end(engine, p),
        Event::DeskOpen(d) => model.desk_open(engine, d),
        Event::DeskClose(d) => model.desk_close(engine, d),
        Event::Booking(e, p) => booking::handle(model, engine, e, p),
        Event::Registered(p) => {
            let unit = model.episodes[p.index()].unit;
            let d = model.desk_of(unit, DeskKind::DropIn);
            model.dropin_enter(engine, d.expect("registered at a drop-in"), p);
        }
        Event::Phone(e, p) => phone::handle(model, engine, e, p),
        Event::Mobile(e, i) => mobile::handle(model, engine, e, i),
    }
}

/// End-of-run steps of the slices (time of work still under way, ledgers),
/// and the appointment books as built, for the worker's next replication.
pub(crate) fn finish(model: &mut Model<'_>) -> (FlowRecords, BookCache) {
    let mobile = mobile::finish(model);
    let (booking, book_cache) = booking::finish(model);
    (FlowRecords { booking, mobile }, book_cache)
}

/// Every metric definition of the slices.
pub(crate) fn metric_defs() -> impl Iterator<Item = &'static MetricDef> {
    (booking::metrics::METRICS.iter())
        .chain(phone::metrics::METRICS.iter())
        .chain(mobile::metrics::METRICS.iter().map(|m| &m.def))
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
const METRICS_STEPS: [(MetricsPlace, MetricsStep); 3] = [
    (MetricsPlace::AfterDays, booking::metrics::write),
    (MetricsPlace::AfterVisits, phone::metrics::write),
    (MetricsPlace::AfterCost, mobile::metrics::write),
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
        for (i, (a, ra)) in TAG_BLOCKS.iter().enumerate() {
            for (b, rb) in &TAG_BLOCKS[i + 1..] {
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
