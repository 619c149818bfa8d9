//! Where patients come from: one non-homogeneous Poisson stream per unit and
//! channel, a day-level demand factor per unit, and each arrival's age group
//! and category.
//!
//! Every arrival draws the same four numbers from its channel's stream — the
//! inter-arrival exponential, the age group, the category and the patient's
//! own seed — so that scenarios with the same demand see the same patients.
//!
//! This flow draws from named streams, and from a patient's own stream only
//! to move a first contact to the telephone (the hub's tags of patient
//! groups: digital exclusion, a far walk-in); it writes no metrics of its
//! own: the patient counts are the hub's. Each arrival is
//! handed to its channel's flow by a named call.

use rand_distr::{Distribution as _, Gamma};

use crate::engine::PatientRng;
use crate::engine::{Engine, RandomSource, SimTime, Stream, StreamKey};
use std::sync::Arc;

use crate::model::arrivals::{ArrivalLayout, ArrivalProcess, Open};
use crate::model::flows::{Event, booking, desks, phone};
use crate::model::records::Moved;
use crate::model::schedule::Periods;
use crate::model::sim::{Model, PRIORITY_NORMAL, TAG_DIGITAL, TAG_WALK_IN_TO_PHONE};
use crate::scenario::spec::{ArrivalSpec, Rate};
use crate::vocab::ids::{AgeId, CategoryId, UnitId};
use crate::vocab::kinds::Channel;
use crate::vocab::week::WeeklyBlock;

/// What happens in demand: `Event::Demand(what, stream)`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum DemandEvent {
    /// The next patient of an arrival stream (index: the stream).
    Arrival,
}

/// Every unit's arrival streams: `Model::demand`.
#[derive(Default)]
pub(crate) struct Demand {
    /// One per unit and channel with demand.
    streams: Vec<ChannelArrivals>,
    /// Each stream's layout from the worker's last replication, reused when
    /// laid out from the same inputs.
    layouts: Vec<KeptLayout>,
}

impl Demand {
    /// Empty, with the layouts kept by an earlier replication.
    pub(crate) fn reusing(layouts: Vec<KeptLayout>) -> Self {
        Demand {
            streams: Vec::new(),
            layouts,
        }
    }

    /// The layouts, for the worker's next replication.
    pub(crate) fn take_layouts(&mut self) -> Vec<KeptLayout> {
        std::mem::take(&mut self.layouts)
    }

    /// Stream `index`'s layout: the kept one if it was laid out from the
    /// same inputs (compared, not hashed: a sweep's worker moves from one
    /// scenario to the next), else laid out now and kept.
    fn layout(&mut self, index: usize, inputs: LayoutInputs) -> &Arc<ArrivalLayout> {
        if index >= self.layouts.len() {
            self.layouts.resize_with(index + 1, KeptLayout::default);
        }
        let kept = &mut self.layouts[index];
        if kept.inputs.as_ref() != Some(&inputs) {
            let open = Open::weekly(&inputs.blocks, inputs.horizon);
            let year =
                Periods::from_weekly(&inputs.blocks, &inputs.calendar, SimTime::from_days(365));
            // A public holiday closes the unit: its door and its line get no
            // demand even when they open on Saturdays (walk-ins came to a
            // unit with nobody at work and reneged); only the channels that
            // need nobody there, open round the clock, get a Saturday's.
            let open_saturday = inputs.blocks.as_slice() == ROUND_THE_CLOCK.as_slice();
            kept.layout = Arc::new(ArrivalLayout::new(
                &inputs.spec,
                open,
                &year,
                &inputs.calendar,
                &inputs.holiday,
                open_saturday,
            ));
            kept.inputs = Some(inputs);
        }
        &kept.layout
    }
}

/// A stream's layout and what it was laid out from.
#[derive(Clone, Debug, Default)]
pub(crate) struct KeptLayout {
    inputs: Option<LayoutInputs>,
    layout: Arc<ArrivalLayout>,
}

/// Everything an [`ArrivalLayout`] depends on: the rate, the channel's
/// weekly hours, the calendar, the horizon and the public holidays.
#[derive(Clone, Debug, PartialEq)]
struct LayoutInputs {
    spec: ArrivalSpec,
    blocks: Vec<WeeklyBlock>,
    calendar: crate::engine::Calendar,
    horizon: SimTime,
    holiday: Vec<bool>,
}

/// One unit's arrivals through one channel, or one of its streams of
/// planned visits.
struct ChannelArrivals {
    unit: UnitId,
    channel: Channel,
    process: ArrivalProcess,
    rng: Stream,
    /// A planned stream: its index in the unit's `planned` and the
    /// cumulative age weights of its category.
    planned: Option<(u16, Vec<f64>)>,
    /// The draws of the stream's next patient, made one arrival ahead
    /// (none for a planned stream, or once the stream has ended).
    next: Option<NextArrival>,
}

/// A patient's draws from their arrival stream, in the stream's order:
/// age group, category, own seed, and the exponential that places the
/// arrival after theirs. They are drawn one arrival ahead, at the arrival
/// before (the stream's values and their order are unchanged): the next
/// arrival's time, a division and a logarithm away from the draws, is
/// then ready when the arrival is handled and schedules it, instead of
/// holding up the event list's next step.
#[derive(Clone, Copy)]
struct NextArrival {
    age: usize,
    category: usize,
    seed: u64,
    /// When the patient after this one arrives (`None`: nobody does).
    after: Option<SimTime>,
}

impl ChannelArrivals {
    /// Draws the stream's next patient, who arrives at the time scheduled.
    fn draw_next(&mut self, sc: &crate::scenario::Scenario) {
        let age = self
            .rng
            .pick_cumulative(&sc.age_cumulative[self.channel as usize]);
        let category = self.rng.pick_cumulative(&sc.category_cumulative[age]);
        let seed = self.rng.next_seed();
        let after = self.process.next(&mut self.rng);
        self.next = Some(NextArrival {
            age,
            category,
            seed,
            after,
        });
    }
}

/// When a unit books its planned visits: weekdays 08–16.
const OFFICE_HOURS: [WeeklyBlock; 1] = [WeeklyBlock {
    days: 0x1f,
    start_s: 8 * 3600,
    end_s: 16 * 3600,
}];

/// Builds every unit's arrival streams and schedules their first arrivals.
pub(crate) fn init(model: &mut Model<'_>, key: &StreamKey<'_>, engine: &mut Engine<Event>) {
    model.init_demand(key, engine);
}

/// Handles one of this flow's events.
#[inline]
pub(crate) fn handle(
    model: &mut Model<'_>,
    engine: &mut Engine<Event>,
    event: DemandEvent,
    index: u32,
) {
    match event {
        DemandEvent::Arrival => model.arrival(engine, index as u16),
    }
}

const ROUND_THE_CLOCK: [WeeklyBlock; 1] = [WeeklyBlock {
    days: 0x7f,
    start_s: 0,
    end_s: 86_400,
}];

/// Day factors for a unit: gamma with mean 1 and coefficient of variation
/// `cv`, one per day, so that daily counts are over-dispersed
/// (gamma-Poisson) like real ones. All channels of the unit share them: a
/// busy day is busy on the phone and at the desk alike.
fn day_factors(cv: f64, days: usize, rng: &mut Stream) -> Vec<f64> {
    if cv <= 0.0 {
        return Vec::new();
    }
    let shape = 1.0 / (cv * cv);
    match Gamma::new(shape, 1.0 / shape) {
        Ok(g) => (0..days).map(|_| g.sample(rng)).collect(),
        Err(_) => Vec::new(),
    }
}

impl Model<'_> {
    /// Builds every unit's arrival streams and schedules their first arrivals.
    fn init_demand(&mut self, key: &StreamKey<'_>, engine: &mut Engine<Event>) {
        // Public holidays the units are closed (`[supply]`): demand as on a
        // Saturday (ArrivalProcess::new).
        let holidays: Vec<bool> = match &self.sc.supply {
            Some(s) if !s.closed.is_empty() => (0..=self.sc.horizon_days as u64)
                .map(|d| self.sc.closed_on(d))
                .collect(),
            _ => Vec::new(),
        };
        for (u, unit) in self.sc.units.iter().enumerate() {
            // Another linked group's (`model/linked.rs`), or one whose
            // e-service requests a provider's run takes as stand-ins
            // (`model/split.rs`: that stream only).
            let stand_in = !self.in_run.unit(u);
            if stand_in && !self.in_run.stand_in(u) {
                continue;
            }
            let mut factor_rng = key.stream(&format!("day_factor/{}", unit.key));
            let factors: Arc<[f64]> = day_factors(
                unit.day_cv,
                self.sc.horizon_days as usize + 1,
                &mut factor_rng,
            )
            .into();
            for spec in &unit.arrivals {
                if stand_in && spec.channel != Channel::EService {
                    continue;
                }
                let blocks: &[WeeklyBlock] = match spec.channel {
                    Channel::WalkIn => unit
                        .dropin
                        .as_ref()
                        .map(|d| d.hours.as_slice())
                        .unwrap_or(&[]),
                    Channel::Phone => unit
                        .phone
                        .as_ref()
                        .map(|p| p.hours.as_slice())
                        .unwrap_or(&[]),
                    Channel::EService | Channel::WebBooking => &ROUND_THE_CLOCK,
                    Channel::HomeCare => &[], // mobile teams' own streams (flows/mobile)
                };
                let index = self.demand.streams.len();
                let layout = self.demand.layout(
                    index,
                    LayoutInputs {
                        spec: spec.clone(),
                        blocks: blocks.to_vec(),
                        calendar: self.sc.calendar,
                        horizon: self.horizon,
                        holiday: holidays.clone(),
                    },
                );
                let mut process = ArrivalProcess::from_layout(layout, &factors);
                let mut rng = key.stream(&format!("arrivals/{}/{}", unit.key, spec.channel.key()));
                let first = process.next(&mut rng);
                let mut stream = ChannelArrivals {
                    unit: UnitId(u as u16),
                    channel: spec.channel,
                    process,
                    rng,
                    planned: None,
                    next: None,
                };
                if let Some(t) = first {
                    engine.schedule_from(
                        t,
                        PRIORITY_NORMAL,
                        u as u16,
                        Event::Demand(DemandEvent::Arrival, index as u32),
                    );
                    stream.draw_next(self.sc);
                }
                self.demand.streams.push(stream);
            }
            if !stand_in {
                self.init_planned(key, engine, u);
            }
        }
    }

    /// Unit `u`'s planned visits: one Poisson stream of bookings per
    /// `planned` entry over office hours, flat over the year (the books,
    /// not the bookings, feel the holidays). Named streams of their own, so
    /// that adding one leaves every other stream's draws unchanged.
    fn init_planned(&mut self, key: &StreamKey<'_>, engine: &mut Engine<Event>, u: usize) {
        let unit = &self.sc.units[u];
        for (i, spec) in unit.planned.iter().enumerate() {
            let arrivals = ArrivalSpec {
                channel: Channel::Phone,
                rate: Rate::PerYear(spec.per_year),
                weekday: [1.0; 7],
                hour: [1.0; 24],
                month: [1.0; 12],
            };
            let index = self.demand.streams.len();
            let layout = self.demand.layout(
                index,
                LayoutInputs {
                    spec: arrivals,
                    blocks: OFFICE_HOURS.to_vec(),
                    calendar: self.sc.calendar,
                    horizon: self.horizon,
                    holiday: Vec::new(),
                },
            );
            let mut process = ArrivalProcess::from_layout(layout, &Arc::from([]));
            let mut acc = 0.0;
            let ages: Vec<f64> = self
                .sc
                .age_groups
                .iter()
                .map(|a| {
                    acc += a.share * a.category_weight[spec.category.index()];
                    acc
                })
                .collect();
            let mut rng = key.stream(&format!("planned/{}/{}", unit.key, spec.key));
            if let Some(t) = process.next(&mut rng) {
                engine.schedule_from(
                    t,
                    PRIORITY_NORMAL,
                    u as u16,
                    Event::Demand(DemandEvent::Arrival, index as u32),
                );
            }
            self.demand.streams.push(ChannelArrivals {
                unit: UnitId(u as u16),
                channel: Channel::Phone,
                process,
                rng,
                planned: Some((i as u16, if acc > 0.0 { ages } else { vec![1.0] })),
                next: None,
            });
        }
    }

    /// The next planned visit of stream `index` is booked.
    fn planned_booking(&mut self, engine: &mut Engine<Event>, index: u16) {
        let now = engine.now();
        let a = &mut self.demand.streams[index as usize];
        let unit = a.unit;
        let (i, ages) = a.planned.as_ref().expect("a planned stream");
        let spec = &self.sc.units[unit.index()].planned[*i as usize];
        let age = a.rng.pick_cumulative(ages);
        let seed = a.rng.next_seed();
        let lead_days = spec.lead_days.sample(&mut a.rng);
        let (category, profession) = (spec.category, spec.profession);
        if let Some(t) = a.process.next(&mut a.rng) {
            engine.schedule_from(
                t,
                PRIORITY_NORMAL,
                unit.0,
                Event::Demand(DemandEvent::Arrival, index as u32),
            );
        }
        // The unit's call-in (`kallelse`): recorded through the telephone
        // channel, but as a planned follow-up, never a new contact.
        let p = self.new_patient(unit, Channel::Phone, category, AgeId(age as u8), now, seed);
        booking::book_planned(self, engine, p, profession, lead_days);
    }

    /// The channel a patient drawn on `channel`'s stream of `unit` first
    /// uses: the telephone instead for a patient of age group `age` who
    /// uses no digital channel, or who lives in a far distance band and
    /// calls rather than coming to the drop-in. Each is drawn from the
    /// patient's own stream, and only when its share is positive, so a
    /// scenario without them draws nothing more. A unit without a
    /// telephone line keeps the patient on the stream's channel.
    fn first_channel(
        &self,
        unit: UnitId,
        channel: Channel,
        age: usize,
        seed: u64,
    ) -> (Channel, Option<Moved>) {
        let u = &self.facts[unit.index()];
        if !u.calls_answered {
            return (channel, None);
        }
        let drawn =
            |share: f64, tag: u64| share > 0.0 && PatientRng::new(seed, tag).uniform() < share;
        match channel {
            Channel::EService | Channel::WebBooking
                if drawn(self.sc.age_groups[age].digital_excluded_share, TAG_DIGITAL) =>
            {
                (Channel::Phone, Some(Moved::DigitalExcluded))
            }
            Channel::WalkIn => {
                let share = u.distance.map_or(0.0, |d| {
                    let band = self.distance_band(unit, seed);
                    d.bands
                        .iter()
                        .position(|&b| b == band)
                        .map_or(0.0, |i| d.walk_in_to_phone[i])
                });
                if drawn(share, TAG_WALK_IN_TO_PHONE) {
                    (Channel::Phone, Some(Moved::FarWalkIn))
                } else {
                    (channel, None)
                }
            }
            _ => (channel, None),
        }
    }

    /// The next patient of arrival stream `index` seeks contact.
    fn arrival(&mut self, engine: &mut Engine<Event>, index: u16) {
        if self.demand.streams[index as usize].planned.is_some() {
            return self.planned_booking(engine, index);
        }
        let now = engine.now();
        let a = &mut self.demand.streams[index as usize];
        let (unit, channel) = (a.unit, a.channel);
        let NextArrival {
            age,
            category,
            seed,
            after,
        } = a.next.expect("an arrival was scheduled with its draws");
        if let Some(t) = after {
            engine.schedule_from(
                t,
                PRIORITY_NORMAL,
                unit.0,
                Event::Demand(DemandEvent::Arrival, index as u32),
            );
            a.draw_next(self.sc);
        } else {
            a.next = None;
        }
        let (channel, moved) = self.first_channel(unit, channel, age, seed);
        // A stand-in stream in a provider's run (`model/split.rs`): the
        // unit's own run handles this arrival; only an e-service request
        // comes here.
        let stand_in = !self.in_run.unit(unit.index());
        if stand_in {
            self.split.echoes += 1;
            if channel != Channel::EService {
                return;
            }
        }
        let p = self.new_patient(
            unit,
            channel,
            CategoryId(category as u16),
            AgeId(age as u8),
            now,
            seed,
        );
        if stand_in {
            return self.stand_in_request(engine, unit, p);
        }
        if moved.is_some() {
            let slot = self.slots.of(p);
            self.episodes[slot].moved = moved;
        }
        match channel {
            Channel::WalkIn => desks::walk_in(self, engine, unit, p),
            Channel::Phone => phone::call(self, engine, unit, p),
            Channel::EService => desks::eservice_request(self, engine, unit, p),
            Channel::WebBooking => booking::web_book(self, engine, p),
            Channel::HomeCare => unreachable!("validated: no unit demand for home care"),
        }
    }
}
