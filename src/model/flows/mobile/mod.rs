//! Mobile teams (`mobila team`, `mobil närvård`): crews that drive from
//! their base to patients' homes.
//!
//! Requests reach a team from triage (outcome `mobile`, for the units the
//! team serves), from municipal home care (same-day, a Poisson stream over
//! the duty hours) and as planned home visits (urgency `planned`, a Poisson
//! stream too, recorded as follow-up episodes outside the guarantee). They
//! wait in one queue per urgency level, first come first served within a
//! level.
//!
//! A crew on duty at its base, or just finished with a visit, takes the
//! first request in queue order (most urgent, then first come) for which
//! the leg there, the expected visit and the expected leg back to base end
//! before its duty period does; if none fits it drives back to base (or
//! stays there). Arrived,
//! it makes a home visit ([`ContactKind::HomeVisit`] with the crew's lead
//! profession), then takes the next request from where it is, or drives
//! back. A crew that is driving back finishes the leg before it takes a new
//! request. So how many visits fit in a day emerges from travel and visit
//! times. When the team's last duty period of a day ends, same-day requests
//! still waiting go to the emergency department (counted as avoidable);
//! less urgent ones wait for the next day. A same-day request that comes
//! after the day's last duty period goes there at once.
//!
//! Travel: a leg is either a fresh draw of the road distance
//! (`distance_km`) or the straight-line distance between places (the base is
//! at 0, 0) × `winding`; its time is distance ÷ speed × the winter slowdown
//! in winter months. Every draw comes from the patient's own
//! [`PatientRng`]: the place, the leg there, the visit and the leg back (a
//! leg between two patients is drawn from the second's stream). Crew members
//! are staff members of the base unit: driving and visiting are their busy
//! time in [`Activity::Mobile`], the team's shifts their paid time. The
//! team's [`MobileLedger`] splits crew time into driving, visiting and
//! overtime (out past the period's end), so that idle time at base is duty
//! + overtime − driving − visiting.

use std::collections::VecDeque;

use crate::engine::{Engine, PatientRng, RandomSource, SimTime, Stream, StreamKey};
use crate::model::arrivals::ArrivalProcess;
use crate::model::flows::Event;
use crate::model::records::{ContactRecord, StaffLedger};
use crate::model::schedule::Periods;
use crate::model::sim::{Model, PRIORITY_NORMAL, StaffMember, observed};
use crate::scenario::spec::{ArrivalSpec, MobileTeam, Rate};
use crate::vocab::ids::{AgeId, PatientId, StaffId, UnitId};
use crate::vocab::kinds::{Activity, Channel, ContactKind, EndState, Urgency};

mod ledger;
pub mod metrics;

pub use ledger::MobileLedger;

/// What happens to mobile teams: `Event::Mobile(what, index)`, the index
/// saying of which stream, crew or team.
#[derive(Clone, Copy, Debug)]
pub(crate) enum MobileEvent {
    /// The next request of a team's request stream (index: the stream).
    Request,
    /// A crew ends a leg or a home visit (index: the crew).
    CrewStep,
    /// A team's duty period starts or ends (index: the team).
    TeamDuty,
}

/// This flow's block of per-patient random-stream tags (see
/// `flows::TAG_BLOCKS`): the request's place, the legs there and back, the
/// visit, and whether an emergency referral from triage could be a home
/// visit instead (drawn with or without a team, so both concern the same
/// patients).
pub const TAGS: std::ops::Range<u64> = 2_000..2_100;
const TAG_PLACE: u64 = TAGS.start;
const TAG_LEG: u64 = TAGS.start + 1;
const TAG_RETURN: u64 = TAGS.start + 2;
const TAG_VISIT: u64 = TAGS.start + 3;
const TAG_INSTEAD_OF_EMERGENCY: u64 = TAGS.start + 4;

/// The place index that means the base.
const BASE: u16 = u16::MAX;

/// A request waiting for (or being served by) a crew.
#[derive(Clone, Copy, Debug)]
struct Request {
    patient: PatientId,
    /// Place index in places mode, else 0.
    place: u16,
    /// When the team received it.
    at: SimTime,
    /// An emergency referral from triage that the team visits instead.
    instead_of_emergency: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    AtBase,
    Driving,
    Visiting,
    Returning,
}

#[derive(Debug)]
struct Crew {
    team: u16,
    /// Members are staff `first_staff .. first_staff + size`.
    first_staff: u32,
    size: u32,
    phase: Phase,
    /// Where the crew is, or was last: a place index or [`BASE`].
    place: u16,
    request: Option<Request>,
    step_start: SimTime,
    /// End of the duty period in which the crew last set out.
    shift_end: SimTime,
}

#[derive(Debug)]
struct TeamState {
    duty: Periods,
    /// The current duty period (on duty) or the next one (off duty).
    cursor: usize,
    on_duty: bool,
    queues: [VecDeque<Request>; Urgency::COUNT],
    /// Crews at the base with nothing to do, by id.
    idle: Vec<u32>,
    ledger: MobileLedger,
}

impl TeamState {
    /// Off duty now, but a duty period starts later today.
    fn duty_later_today(&self, now: SimTime) -> bool {
        !self.on_duty
            && self
                .duty
                .as_slice()
                .get(self.cursor)
                .is_some_and(|&(s, _)| s.day() == now.day())
    }
}

/// A team's home-care or planned-visit request stream.
struct RequestStream {
    team: u16,
    planned: bool,
    process: ArrivalProcess,
    rng: Stream,
    /// Cumulative age-group weights given the requests' category.
    ages: Vec<f64>,
}

/// Every mobile team's state: `Model::mobile`.
#[derive(Default)]
pub(crate) struct MobileTeams {
    teams: Vec<TeamState>,
    crews: Vec<Crew>,
    streams: Vec<RequestStream>,
    /// Per unit: the first team (in key order) that serves it.
    team_of_unit: Vec<Option<u16>>,
}

/// Builds every team: its crews (appended to the staff arena, so this runs
/// after the units' staff exist), duty periods and request streams.
pub(crate) fn init(model: &mut Model<'_>, key: &StreamKey<'_>, engine: &mut Engine<Event>) {
    model.init_mobile(key, engine);
}

/// Handles one of this flow's events.
#[inline]
pub(crate) fn handle(
    model: &mut Model<'_>,
    engine: &mut Engine<Event>,
    event: MobileEvent,
    index: u32,
) {
    match event {
        MobileEvent::Request => model.mobile_stream_request(engine, index as u16),
        MobileEvent::CrewStep => model.crew_step(engine, index),
        MobileEvent::TeamDuty => model.team_duty(engine, index as u16),
    }
}

/// Handoff from triage (outcome `mobile`): the team serving the patient's
/// unit takes the request, or, if none does, a booked visit.
pub(crate) fn refer_after_triage(model: &mut Model<'_>, engine: &mut Engine<Event>, p: PatientId) {
    model.mobile_referral(engine, p);
}

/// Triage is sending patient `p` to the emergency department: whether a
/// home visit could meet their need instead (the category's
/// `emergency_home_visit_share`, drawn from the patient's own stream in
/// every scenario, with a team or without).
pub(crate) fn home_visit_could_replace_emergency(model: &Model<'_>, p: PatientId) -> bool {
    let share = model
        .sc
        .category(model.episodes[model.slots.of(p)].category)
        .emergency_home_visit_share;
    share > 0.0
        && PatientRng::new(
            model.patients[model.slots.of(p)].seed,
            TAG_INSTEAD_OF_EMERGENCY,
        )
        .bernoulli(share)
}

/// Handoff from triage instead of the emergency department (a patient for
/// whom [`home_visit_could_replace_emergency`]): the team serving the
/// patient's unit takes them as a same-day request. Returns `false` (the
/// patient is not taken) when no team serves the unit.
pub(crate) fn take_instead_of_emergency(
    model: &mut Model<'_>,
    engine: &mut Engine<Event>,
    p: PatientId,
) -> bool {
    let Some(t) = model.mobile.team_of_unit[model.episodes[model.slots.of(p)].unit.index()] else {
        return false;
    };
    if engine.now() >= model.warmup {
        model.mobile.teams[t as usize].ledger.instead_of_emergency += 1;
    }
    model.mobile_request_from(engine, t as usize, p, Urgency::SameDay, true);
    true
}

/// End of the run: the time of crews still out; the teams' ledgers.
pub(crate) fn finish(model: &mut Model<'_>) -> Vec<MobileLedger> {
    model.close_mobile()
}

/// Seconds and distinct days of `periods` after `warmup`.
fn observed_duty(periods: &Periods, warmup: SimTime) -> (u64, u64) {
    let (mut seconds, mut days, mut last_day) = (0, 0, u64::MAX);
    for &(s, e) in periods.as_slice() {
        seconds += observed(s, e, warmup);
        let s = s.max(warmup);
        if s >= e {
            continue;
        }
        for d in s.day()..=SimTime(e.0 - 1).day() {
            if d != last_day {
                days += 1;
                last_day = d;
            }
        }
    }
    (seconds, days)
}

impl Model<'_> {
    /// Builds every team: its crews (appended to the staff arena), duty
    /// periods and request streams.
    fn init_mobile(&mut self, key: &StreamKey<'_>, engine: &mut Engine<Event>) {
        let sc = self.sc;
        for (t, spec) in sc.mobile_teams.iter().enumerate() {
            if !self.in_run.team(t) {
                // Another linked group's (`model/linked.rs`): an idle
                // placeholder keeps team indexes those of the scenario.
                self.mobile.teams.push(TeamState {
                    duty: Periods::merged(Vec::new()),
                    cursor: 0,
                    on_duty: false,
                    queues: Default::default(),
                    idle: Vec::new(),
                    ledger: MobileLedger::default(),
                });
                continue;
            }
            let duty = Periods::from_weekly(&spec.shifts, &sc.calendar, self.horizon);
            let (duty_s, days) = observed_duty(&duty, self.warmup);
            let mut idle = Vec::new();
            for _ in 0..spec.crews {
                let first = self.staff.len() as u32;
                for &(profession, n) in &spec.crew {
                    for _ in 0..n {
                        // No unit staff group.
                        self.staff
                            .push(StaffMember::new(spec.base, profession, usize::MAX, 0));
                        self.ledgers.push(StaffLedger {
                            unit: spec.base.0,
                            profession: profession.0,
                            duty_s,
                            ..StaffLedger::default()
                        });
                    }
                }
                idle.push(self.mobile.crews.len() as u32);
                self.mobile.crews.push(Crew {
                    team: t as u16,
                    first_staff: first,
                    size: self.staff.len() as u32 - first,
                    phase: Phase::AtBase,
                    place: BASE,
                    request: None,
                    step_start: SimTime::ZERO,
                    shift_end: SimTime::ZERO,
                });
            }
            if let Some(&(start, _)) = duty.as_slice().first() {
                engine.schedule_from(
                    start,
                    PRIORITY_NORMAL,
                    spec.base.0,
                    Event::Mobile(MobileEvent::TeamDuty, t as u32),
                );
            }
            self.init_request_streams(key, engine, t, spec, &duty);
            self.mobile.teams.push(TeamState {
                duty,
                cursor: 0,
                on_duty: false,
                queues: Default::default(),
                idle,
                ledger: MobileLedger {
                    base: spec.base.0,
                    duty_s: duty_s * spec.crews as u64,
                    days,
                    ..MobileLedger::default()
                },
            });
        }
        self.mobile.team_of_unit = (0..sc.units.len())
            .map(|u| {
                sc.mobile_teams
                    .iter()
                    .position(|t| t.serves.contains(&UnitId(u as u16)))
                    .map(|t| t as u16)
            })
            .collect();
    }

    /// The home-care stream (`per_day` spread over each duty day's hours)
    /// and the planned-visit stream (`per_week` over the week's duty hours).
    fn init_request_streams(
        &mut self,
        key: &StreamKey<'_>,
        engine: &mut Engine<Event>,
        t: usize,
        spec: &MobileTeam,
        duty: &Periods,
    ) {
        let Some(category) = spec.category else {
            return;
        };
        let week = Periods::from_weekly(&spec.shifts, &self.sc.calendar, SimTime::from_days(7));
        let (week_s, week_days) = observed_duty(&week, SimTime::ZERO);
        if week_s == 0 {
            return;
        }
        let per_hour = |per_week: f64| per_week / week_s as f64 * SimTime::HOUR as f64;
        let mut acc = 0.0;
        let ages: Vec<f64> = self
            .sc
            .age_groups
            .iter()
            .map(|a| {
                acc += a.share * a.category_weight[category.index()];
                acc
            })
            .collect();
        let streams = [
            (
                false,
                per_hour(spec.home_care_requests_per_day * week_days as f64),
            ),
            (true, per_hour(spec.planned_visits_per_week)),
        ];
        for (planned, rate) in streams {
            if rate <= 0.0 {
                continue;
            }
            let arrivals = ArrivalSpec {
                channel: Channel::HomeCare,
                rate: Rate::PerHour(rate),
                weekday: [1.0; 7],
                hour: [1.0; 24],
                month: [1.0; 12],
            };
            let mut process =
                ArrivalProcess::new(&arrivals, duty, duty, &self.sc.calendar, &[], &[], false);
            let what = if planned { "planned" } else { "home_care" };
            let mut rng = key.stream(&format!("mobile/{}/{what}", spec.key));
            let index = self.mobile.streams.len() as u16;
            if let Some(at) = process.next(&mut rng) {
                engine.schedule_from(
                    at,
                    PRIORITY_NORMAL,
                    spec.base.0,
                    Event::Mobile(MobileEvent::Request, index as u32),
                );
            }
            self.mobile.streams.push(RequestStream {
                team: t as u16,
                planned,
                process,
                rng,
                ages: if acc > 0.0 { ages.clone() } else { vec![1.0] },
            });
        }
    }

    /// The next home-care or planned request of stream `index`.
    fn mobile_stream_request(&mut self, engine: &mut Engine<Event>, index: u16) {
        let now = engine.now();
        let s = &mut self.mobile.streams[index as usize];
        let age = s.rng.pick_cumulative(&s.ages);
        let seed = s.rng.next_seed();
        if let Some(at) = s.process.next(&mut s.rng) {
            engine.schedule_from(
                at,
                PRIORITY_NORMAL,
                self.sc.mobile_teams[s.team as usize].base.0,
                Event::Mobile(MobileEvent::Request, index as u32),
            );
        }
        let (team, planned) = (s.team as usize, s.planned);
        let spec = &self.sc.mobile_teams[team];
        let category = spec.category.expect("streams exist only with a category");
        let p = self.new_patient(
            spec.base,
            Channel::HomeCare,
            category,
            AgeId(age as u8),
            now,
            seed,
        );
        // Planned visits are like planned follow-ups: outside the guarantee.
        self.episodes[self.slots.of(p)].follow_up = planned;
        let urgency = if planned {
            Urgency::Planned
        } else {
            Urgency::SameDay
        };
        self.mobile_request(engine, team, p, urgency);
    }

    /// Triage sent patient `p` to a mobile team: the one serving their unit,
    /// or a booked visit if none does.
    fn mobile_referral(&mut self, engine: &mut Engine<Event>, p: PatientId) {
        let ep = &self.episodes[self.slots.of(p)];
        match self.mobile.team_of_unit[ep.unit.index()] {
            Some(t) => {
                let urgency = self.sc.category(ep.category).urgency;
                self.mobile_request(engine, t as usize, p, urgency);
            }
            None => crate::model::flows::booking::book(self, engine, p),
        }
    }

    /// Team `team` receives a request for patient `p`.
    fn mobile_request(
        &mut self,
        engine: &mut Engine<Event>,
        team: usize,
        p: PatientId,
        urgency: Urgency,
    ) {
        self.mobile_request_from(engine, team, p, urgency, false);
    }

    /// Team `team` receives a request for patient `p`;
    /// `instead_of_emergency` marks an emergency referral from triage.
    fn mobile_request_from(
        &mut self,
        engine: &mut Engine<Event>,
        team: usize,
        p: PatientId,
        urgency: Urgency,
        instead_of_emergency: bool,
    ) {
        let now = engine.now();
        let travel = &self.sc.mobile_teams[team].travel;
        let place = if travel.places.is_empty() {
            0
        } else {
            let mut rng = PatientRng::new(self.patients[self.slots.of(p)].seed, TAG_PLACE);
            rng.pick_cumulative(&travel.place_cumulative) as u16
        };
        let req = Request {
            patient: p,
            place,
            at: now,
            instead_of_emergency,
        };
        let tm = &mut self.mobile.teams[team];
        if now >= self.warmup {
            tm.ledger.requests += 1;
        }
        if urgency == Urgency::SameDay && !tm.on_duty && !tm.duty_later_today(now) {
            self.mobile_to_emergency(team, req, now);
            return;
        }
        tm.queues[urgency.priority()].push_back(req);
        self.dispatch_idle(engine, team);
    }

    fn mobile_to_emergency(&mut self, team: usize, req: Request, now: SimTime) {
        if req.at >= self.warmup {
            self.mobile.teams[team].ledger.avoidable_emergency += 1;
        }
        // A miss of the care guarantee, not a case that needed no
        // assessment; except an emergency referral from triage, which ends
        // where it would have without a team.
        self.episodes[self.slots.of(req.patient)].avoidable_emergency = !req.instead_of_emergency;
        self.end_episode(req.patient, EndState::EmergencyDept, now);
    }

    /// Sends idle crews (lowest id first) while some request fits.
    fn dispatch_idle(&mut self, engine: &mut Engine<Event>, team: usize) {
        loop {
            let tm = &self.mobile.teams[team];
            if !tm.on_duty {
                return;
            }
            let Some((i, &crew)) = tm.idle.iter().enumerate().min_by_key(|(_, c)| **c) else {
                return;
            };
            if !self.set_out(engine, crew) {
                return;
            }
            self.mobile.teams[team].idle.swap_remove(i);
        }
    }

    /// Seconds to drive from `from` to `to` for patient `seed`'s request.
    fn leg_s(&self, team: usize, from: u16, to: u16, seed: u64, tag: u64, now: SimTime) -> u64 {
        let travel = &self.sc.mobile_teams[team].travel;
        let km = match &travel.distance_km {
            Some(d) => d.sample(&mut PatientRng::new(seed, tag)),
            None => {
                let at = |p: u16| (p != BASE).then_some(p as usize);
                travel.km_between(at(from), at(to))
            }
        };
        let month = self.sc.calendar.month(now.day());
        SimTime::from_seconds_f64(travel.seconds(km, month)).0
    }

    /// Crew `crew` (on duty, free) sets out for the first request — most
    /// urgent, then first come — whose leg there, expected visit and
    /// expected leg back end within its duty period (a nearer request may
    /// fit when the first does not). Returns whether it did.
    fn set_out(&mut self, engine: &mut Engine<Event>, crew: u32) -> bool {
        let now = engine.now();
        let c = &self.mobile.crews[crew as usize];
        let team = c.team as usize;
        let tm = &self.mobile.teams[team];
        let shift_end = tm.duty.as_slice()[tm.cursor].1;
        let spec = &self.sc.mobile_teams[team];
        let month = self.sc.calendar.month(now.day());
        let fits = |req: &Request| -> Option<u64> {
            let seed = self.patients[self.slots.of(req.patient)].seed;
            let leg = self.leg_s(team, c.place, req.place, seed, TAG_LEG, now);
            let back_km = match &spec.travel.distance_km {
                Some(d) => d.mean(),
                None => spec.travel.km_between(Some(req.place as usize), None),
            };
            let rest = spec.visit_minutes.mean() * 60.0 + spec.travel.seconds(back_km, month);
            ((now.0 + leg) as f64 + rest <= shift_end.0 as f64).then_some(leg)
        };
        let found = tm.queues.iter().enumerate().find_map(|(level, q)| {
            q.iter()
                .enumerate()
                .find_map(|(i, req)| fits(req).map(|leg| (level, i, *req, leg)))
        });
        let Some((level, i, req, leg)) = found else {
            return false;
        };
        self.mobile.teams[team].queues[level].remove(i);
        let c = &mut self.mobile.crews[crew as usize];
        c.phase = Phase::Driving;
        c.request = Some(req);
        c.step_start = now;
        c.shift_end = shift_end;
        engine.schedule_from(
            now + leg,
            PRIORITY_NORMAL,
            spec.base.0,
            Event::Mobile(MobileEvent::CrewStep, crew),
        );
        true
    }

    /// Adds `seconds` of mobile work to every member of crew `c`.
    fn crew_busy(&mut self, c: usize, seconds: u64) {
        let crew = &self.mobile.crews[c];
        for s in crew.first_staff..crew.first_staff + crew.size {
            self.staff[s as usize].busy_s[Activity::Mobile as usize] += seconds;
        }
    }

    /// Crew `crew` ends a leg or a visit.
    fn crew_step(&mut self, engine: &mut Engine<Event>, crew: u32) {
        let now = engine.now();
        let ci = crew as usize;
        let (team, phase, start) = {
            let c = &self.mobile.crews[ci];
            (c.team as usize, c.phase, c.step_start)
        };
        let spent = observed(start, now, self.warmup);
        self.crew_busy(ci, spent);
        self.mobile.crews[ci].step_start = now;
        match phase {
            Phase::Driving => {
                self.mobile.teams[team].ledger.travel_s += spent;
                let req = self.mobile.crews[ci].request.expect("driving to a request");
                let spec = &self.sc.mobile_teams[team];
                let seed = self.patients[self.slots.of(req.patient)].seed;
                let minutes = spec
                    .visit_minutes
                    .sample(&mut PatientRng::new(seed, TAG_VISIT));
                let duration = SimTime::from_seconds_f64(minutes * 60.0).0;
                let lead = spec.lead;
                self.record_contact(ContactRecord {
                    patient: req.patient,
                    unit: self.episodes[self.slots.of(req.patient)].unit,
                    activity: Activity::Mobile,
                    kind: ContactKind::HomeVisit,
                    profession: lead,
                    requested: req.at,
                    start: now,
                    duration_s: duration.min(u32::MAX as u64) as u32,
                });
                let ledger = &mut self.mobile.teams[team].ledger;
                if now >= self.warmup {
                    ledger.visits += 1;
                }
                if req.at >= self.warmup {
                    ledger.wait_s += now - req.at;
                    ledger.waited += 1;
                    if req.instead_of_emergency {
                        ledger.avoided_emergency += 1;
                    }
                }
                self.mobile.crews[ci].phase = Phase::Visiting;
                engine.schedule_from(
                    now + duration,
                    PRIORITY_NORMAL,
                    self.sc.mobile_teams[team].base.0,
                    Event::Mobile(MobileEvent::CrewStep, crew),
                );
            }
            Phase::Visiting => {
                self.mobile.teams[team].ledger.visit_s += spent;
                let req = self.mobile.crews[ci].request.take().expect("visiting");
                self.end_episode(req.patient, EndState::Completed, now);
                self.mobile.crews[ci].place = req.place;
                if self.mobile.teams[team].on_duty && self.set_out(engine, crew) {
                    return;
                }
                let seed = self.patients[self.slots.of(req.patient)].seed;
                let back = self.leg_s(team, req.place, BASE, seed, TAG_RETURN, now);
                self.mobile.crews[ci].phase = Phase::Returning;
                engine.schedule_from(
                    now + back,
                    PRIORITY_NORMAL,
                    self.sc.mobile_teams[team].base.0,
                    Event::Mobile(MobileEvent::CrewStep, crew),
                );
            }
            Phase::Returning => {
                let tm = &mut self.mobile.teams[team];
                tm.ledger.travel_s += spent;
                // Past the end of the period it set out in, up to now or
                // the start of the current period: overtime.
                let resumed = if tm.on_duty {
                    tm.duty.as_slice()[tm.cursor].0
                } else {
                    now
                };
                let over = observed(
                    self.mobile.crews[ci].shift_end,
                    now.min(resumed),
                    self.warmup,
                );
                self.mobile.teams[team].ledger.overtime_s += over;
                let c = &mut self.mobile.crews[ci];
                c.phase = Phase::AtBase;
                c.place = BASE;
                for s in c.first_staff..c.first_staff + c.size {
                    self.ledgers[StaffId(s).index()].overtime_s += over;
                }
                self.mobile.teams[team].idle.push(crew);
                self.dispatch_idle(engine, team);
            }
            Phase::AtBase => {}
        }
    }

    /// A team's duty period starts or ends.
    fn team_duty(&mut self, engine: &mut Engine<Event>, team: u16) {
        let now = engine.now();
        let t = team as usize;
        let tm = &mut self.mobile.teams[t];
        if !tm.on_duty {
            let (_, end) = tm.duty.as_slice()[tm.cursor];
            tm.on_duty = true;
            engine.schedule_from(
                end,
                PRIORITY_NORMAL,
                self.sc.mobile_teams[t].base.0,
                Event::Mobile(MobileEvent::TeamDuty, team as u32),
            );
            self.dispatch_idle(engine, t);
            return;
        }
        tm.on_duty = false;
        tm.cursor += 1;
        if let Some(&(start, _)) = tm.duty.as_slice().get(tm.cursor) {
            engine.schedule_from(
                start,
                PRIORITY_NORMAL,
                self.sc.mobile_teams[t].base.0,
                Event::Mobile(MobileEvent::TeamDuty, team as u32),
            );
        }
        if tm.duty_later_today(now) {
            return;
        }
        // The day's duty is over: same-day requests go to the emergency department.
        while let Some(req) = self.mobile.teams[t].queues[Urgency::SameDay.priority()].pop_front() {
            self.mobile_to_emergency(t, req, now);
        }
    }

    /// Crews still out when the run ends: their time so far; the ledgers.
    fn close_mobile(&mut self) -> Vec<MobileLedger> {
        let horizon = self.horizon;
        for ci in 0..self.mobile.crews.len() {
            let c = &self.mobile.crews[ci];
            if c.phase == Phase::AtBase {
                continue;
            }
            let spent = observed(c.step_start, horizon, self.warmup);
            let ledger = &mut self.mobile.teams[c.team as usize].ledger;
            match c.phase {
                Phase::Driving | Phase::Returning => ledger.travel_s += spent,
                Phase::Visiting => ledger.visit_s += spent,
                Phase::AtBase => {}
            }
            self.crew_busy(ci, spent);
        }
        self.mobile.teams.iter().map(|t| t.ledger).collect()
    }
}
