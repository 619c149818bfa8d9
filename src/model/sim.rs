//! The model's event loop: builds the arenas from a [`Scenario`], runs the
//! engine to the horizon and hands back the [`Records`].
//!
//! Flows live in their own files (`dropin.rs`, …) as `impl Model` blocks;
//! this file holds what they share: the event enum, staff duty periods and
//! contact recording.

use crate::engine::{Engine, SimTime, StreamKey};
use crate::model::demand::ChannelArrivals;
use crate::model::dropin::DropIn;
use crate::model::ids::{PatientId, ProfessionId, StaffId, UnitId};
use crate::model::kinds::{Activity, ContactKind};
use crate::model::records::{ContactRecord, Episode, Records, StaffLedger};
use crate::model::schedule::Periods;
use crate::scenario::spec::Scenario;

/// Everything that can happen. Small and `Copy`: the future-event list moves
/// these around millions of times per second.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Event {
    /// The next patient of an arrival stream (index into the model's streams).
    Arrival(u16),
    /// A staff member finishes with the patient they are serving.
    ServiceEnd(StaffId),
    /// A waiting patient's patience runs out.
    Renege(PatientId),
    /// A staff member's duty period starts.
    DutyStart(StaffId),
    /// A staff member's duty period ends.
    DutyEnd(StaffId),
    /// A drop-in opens.
    DropInOpen(UnitId),
    /// A drop-in closes.
    DropInClose(UnitId),
}

/// Same-second order: closings before duty ends (so a shift ending at
/// closing time sees the desk closed), everything else after.
pub(crate) const PRIORITY_CLOSE: u8 = 0;
pub(crate) const PRIORITY_NORMAL: u8 = 1;

/// Tags for per-patient random streams.
pub(crate) const TAG_PATIENCE: u64 = 1;
pub(crate) const TAG_SERVICE: u64 = 1_000;

/// A staff member on the drop-in (and, in later flows, other activities).
#[derive(Debug)]
pub(crate) struct StaffMember {
    pub unit: UnitId,
    pub profession: ProfessionId,
    /// Drop-in duty periods.
    pub duty: Periods,
    pub cursor: usize,
    pub on_duty: bool,
    /// End of the current (or last) scheduled duty period.
    pub scheduled_end: SimTime,
    pub serving: Option<PatientId>,
    pub busy_since: SimTime,
}

/// Per-patient flow state that is not part of the record.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PatientState {
    /// Seed of the patient's own random streams.
    pub seed: u64,
    /// In a queue right now.
    pub waiting: bool,
}

/// The model: arenas indexed by the ids in [`crate::model::ids`].
pub(crate) struct Model<'s> {
    pub sc: &'s Scenario,
    pub warmup: SimTime,
    pub horizon: SimTime,
    pub doctor: Option<ProfessionId>,
    pub episodes: Vec<Episode>,
    pub patients: Vec<PatientState>,
    pub contacts: Vec<ContactRecord>,
    pub staff: Vec<StaffMember>,
    pub ledgers: Vec<StaffLedger>,
    /// Per unit.
    pub dropins: Vec<Option<DropIn>>,
    /// Arrival streams, one per unit and channel with demand.
    pub arrivals: Vec<ChannelArrivals>,
}

/// Runs one replication of `scenario` and returns what it recorded.
pub fn simulate(scenario: &Scenario, seed: u64, replication: u32) -> Records {
    let key = StreamKey {
        seed,
        scenario: &scenario.crn_key,
        replication,
    };
    let mut engine = Engine::new();
    let mut model = Model::new(scenario, &key, &mut engine);
    let horizon = model.horizon;
    engine.run_until(horizon, |eng, ev| model.handle(eng, ev));
    model.finish(engine.events_processed())
}

/// Seconds of `[from, to)` after `warmup`.
#[inline]
pub(crate) fn observed(from: SimTime, to: SimTime, warmup: SimTime) -> u64 {
    to.saturating_since(from.max(warmup))
}

impl<'s> Model<'s> {
    fn new(sc: &'s Scenario, key: &StreamKey<'_>, engine: &mut Engine<Event>) -> Self {
        let horizon = sc.horizon();
        let mut staff = Vec::new();
        let mut ledgers = Vec::new();
        for (u, unit) in sc.units.iter().enumerate() {
            for g in &unit.staff {
                let blocks = |want: Option<Activity>| -> Vec<_> {
                    g.shifts
                        .iter()
                        .filter(|(_, a)| want.is_none_or(|w| *a == w))
                        .map(|(b, _)| *b)
                        .collect()
                };
                let all = Periods::from_weekly(&blocks(None), &sc.calendar, horizon);
                let duty =
                    Periods::from_weekly(&blocks(Some(Activity::DropIn)), &sc.calendar, horizon);
                let duty_s = all
                    .as_slice()
                    .iter()
                    .map(|&(s, e)| observed(s, e, sc.warmup_end()))
                    .sum();
                for _ in 0..g.count {
                    let id = StaffId(staff.len() as u32);
                    if let Some(&(start, _)) = duty.as_slice().first() {
                        engine.schedule_with_priority(start, PRIORITY_NORMAL, Event::DutyStart(id));
                    }
                    staff.push(StaffMember {
                        unit: UnitId(u as u16),
                        profession: g.profession,
                        duty: duty.clone(),
                        cursor: 0,
                        on_duty: false,
                        scheduled_end: SimTime::ZERO,
                        serving: None,
                        busy_since: SimTime::ZERO,
                    });
                    ledgers.push(StaffLedger {
                        unit: u as u16,
                        profession: g.profession.0,
                        duty_s,
                        ..StaffLedger::default()
                    });
                }
            }
        }
        let mut model = Model {
            sc,
            warmup: sc.warmup_end(),
            horizon,
            doctor: sc.profession("doctor"),
            episodes: Vec::new(),
            patients: Vec::new(),
            contacts: Vec::new(),
            staff,
            ledgers,
            dropins: Vec::new(),
            arrivals: Vec::new(),
        };
        model.init_dropins(engine);
        model.init_demand(key, engine);
        model
    }

    fn handle(&mut self, engine: &mut Engine<Event>, event: Event) {
        match event {
            Event::Arrival(i) => self.arrival(engine, i),
            Event::ServiceEnd(s) => self.dropin_service_end(engine, s),
            Event::Renege(p) => self.dropin_renege(engine, p),
            Event::DutyStart(s) => self.duty_start(engine, s),
            Event::DutyEnd(s) => self.duty_end(engine, s),
            Event::DropInOpen(u) => self.dropin_open(engine, u),
            Event::DropInClose(u) => self.dropin_close(engine, u),
        }
    }

    fn duty_start(&mut self, engine: &mut Engine<Event>, s: StaffId) {
        let now = engine.now();
        let m = &mut self.staff[s.index()];
        let (_, end) = m.duty.as_slice()[m.cursor];
        if m.serving.is_some() && now > m.scheduled_end {
            // Overtime from the last period ran into this one.
            self.ledgers[s.index()].overtime_s += observed(m.scheduled_end, now, self.warmup);
        }
        m.on_duty = true;
        m.scheduled_end = end;
        engine.schedule_with_priority(end, PRIORITY_NORMAL, Event::DutyEnd(s));
        if m.serving.is_none() {
            self.dropin_staff_free(engine, s);
        }
    }

    fn duty_end(&mut self, engine: &mut Engine<Event>, s: StaffId) {
        let m = &mut self.staff[s.index()];
        m.on_duty = false;
        m.cursor += 1;
        if let Some(&(start, _)) = m.duty.as_slice().get(m.cursor) {
            engine.schedule_with_priority(start, PRIORITY_NORMAL, Event::DutyStart(s));
        }
        if m.serving.is_none() {
            self.dropin_leave_idle(s);
        }
    }

    /// Records a contact and updates the episode's firsts.
    pub(crate) fn record_contact(&mut self, c: ContactRecord) {
        let ep = &mut self.episodes[c.patient.index()];
        if ep.first_staff_contact == SimTime::NEVER {
            ep.first_staff_contact = c.start;
        }
        if ep.first_assessment.is_none() && self.sc.professions[c.profession.index()].licensed {
            ep.first_assessment = Some((c.start, c.profession, c.kind));
        }
        if ep.first_doctor_visit == SimTime::NEVER
            && Some(c.profession) == self.doctor
            && matches!(c.kind, ContactKind::Visit | ContactKind::HomeVisit)
        {
            ep.first_doctor_visit = c.start;
        }
        self.contacts.push(c);
    }

    fn finish(mut self, events: u64) -> Records {
        let horizon = self.horizon;
        for (i, m) in self.staff.iter().enumerate() {
            if m.serving.is_some() {
                let l = &mut self.ledgers[i];
                l.busy_s[Activity::DropIn as usize] += observed(m.busy_since, horizon, self.warmup);
                if !m.on_duty && horizon > m.scheduled_end {
                    l.overtime_s += observed(m.scheduled_end, horizon, self.warmup);
                }
            }
        }
        let dropins = self
            .dropins
            .iter_mut()
            .map(|d| {
                d.as_mut()
                    .map(|d| d.close_books(horizon, self.warmup))
                    .unwrap_or_default()
            })
            .collect();
        Records {
            episodes: self.episodes,
            contacts: self.contacts,
            staff: self.ledgers,
            dropins,
            observed_from: self.warmup,
            observed_to: horizon,
            events,
        }
    }
}
