//! Staff supply: the days each staff member works, from the scenario's
//! `[supply]` table, each group's vacancies, hired staff and dated absences,
//! and each profession's absence rates.
//!
//! A `Roster` holds three day sets per staff member (bit sets over the
//! run's days):
//! - `off`: days known when the books are made — weekends do not matter
//!   here (the weekly blocks decide), but public holidays, summer leave,
//!   an unfilled post, a hired member's days outside their contract and
//!   dated absences. The appointment book is built without these days'
//!   times, so the book stays the same in every replication (its cache).
//! - `planned`: planned absence (courses, compensatory leave), drawn per
//!   replication; known in advance, so booking blocks these times before
//!   anyone books.
//! - `sick`: unplanned absence (sick leave, care of a sick child) in
//!   spells, drawn per replication; known on the morning of the day, when
//!   booking moves or rebooks the member's patients.
//!
//! Each member's absence comes from their own named stream,
//! `absence/<unit>/<group>/<member>`, so the same member is away on the same
//! days in every scenario sharing the random numbers (common random
//! numbers), whatever the other groups do.

pub mod metrics;

use crate::engine::{RandomSource, StreamKey};
use crate::scenario::spec::{Scenario, StaffGroup};

/// Days a member does not work, three kinds (see the module docs).
#[derive(Clone, Debug, Default)]
pub(crate) struct Roster {
    /// u64 words per member.
    words: usize,
    off: Vec<u64>,
    planned: Vec<u64>,
    sick: Vec<u64>,
    /// Days the employer pays for the member's shifts whether or not they
    /// work them: an employed member's days in post (summer leave, public
    /// holidays and absence included), a hired member's days worked.
    paid: Vec<u64>,
    /// Days a stand-in (`cover`) works a covered member's shifts while the
    /// member is on leave or absent: paid on top of the member.
    stand_in: Vec<u64>,
    /// Members covered (the units' staff; mobile crews come after and are
    /// never away).
    members: usize,
    /// What the metrics read.
    pub ledger: SupplyLedger,
}

/// What staff supply leaves for the metrics: per week of the measured year
/// (0–51), employed members' working days rostered, and of them on summer
/// leave and absent (planned or unplanned); hired members' working days.
#[derive(Clone, Debug, Default)]
pub struct SupplyLedger {
    /// Whether the scenario has a `[supply]` table (else nothing is written).
    pub on: bool,
    /// By week: employed member-days on weekdays that are not holidays.
    pub rostered: Vec<f64>,
    /// By week: of them on summer leave.
    pub summer: Vec<f64>,
    /// By week: of them away unplanned (sick, sick child).
    pub sick: Vec<f64>,
    /// By week: of them away on planned absence.
    pub planned: Vec<f64>,
    /// Hired member-days worked (weekdays, not holidays).
    pub hired_days: f64,
    /// Days the units were closed for a public holiday (weekdays, measured).
    pub closed_weekdays: f64,
}

#[inline]
fn bit(set: &[u64], day: u64) -> bool {
    set.get((day / 64) as usize)
        .is_some_and(|w| w & (1 << (day % 64)) != 0)
}

#[inline]
fn set_bit(set: &mut [u64], day: u64) {
    set[(day / 64) as usize] |= 1 << (day % 64);
}

impl Roster {
    /// The roster of every unit staff member (arena order: units, groups,
    /// members; `group_of` gives (unit, group, member) per arena index).
    pub(crate) fn build(
        sc: &Scenario,
        key: &StreamKey<'_>,
        members: &[(usize, usize, u32)],
    ) -> Roster {
        let days = sc.horizon().day() + 1;
        let words = days.div_ceil(64) as usize;
        let n = members.len();
        let mut r = Roster {
            words,
            off: vec![0; words * n],
            planned: vec![0; words * n],
            sick: vec![0; words * n],
            paid: vec![0; words * n],
            stand_in: vec![0; words * n],
            members: n,
            ledger: SupplyLedger::default(),
        };
        let summer = summer_periods(sc, days);
        let table = DayTable::new(sc, days, &summer);
        let weeks = 52;
        let first = sc.warmup_end().day();
        let week_of = |d: u64| (((d - first) % 365) / 7).min(weeks as u64 - 1) as usize;
        let l = &mut r.ledger;
        // Written when anything here changes the rosters: a `[supply]`
        // table, an unfilled post or hired staff.
        l.on = sc.supply.is_some()
            || sc
                .units
                .iter()
                .flat_map(|u| &u.staff)
                .any(|g| g.vacant > 0 || !g.hired.is_empty());
        l.rostered = vec![0.0; weeks];
        l.summer = vec![0.0; weeks];
        l.sick = vec![0.0; weeks];
        l.planned = vec![0.0; weeks];
        l.closed_weekdays = (first..days - 1)
            .filter(|&d| table.working[d as usize] && table.closed[d as usize])
            .count() as f64;
        for (i, &(u, gi, member)) in members.iter().enumerate() {
            let unit = &sc.units[u];
            let g = &unit.staff[gi];
            let at = i * words;
            let hired = member >= g.employed();
            let period = (member as usize + gi) % summer.len().max(1);
            // A covered member's leave and absence are drawn and counted as
            // anyone's, but a stand-in works the shifts (`cover`).
            let covered = g.cover && !hired;
            let on_leave = |d: u64| table.leave.get(period).is_some_and(|l| l[d as usize]);
            for d in 0..days {
                let doy = u64::from(table.doy[d as usize]);
                let away = table.closed[d as usize]
                    || if hired {
                        !g.hired_on(member - g.employed(), doy)
                    } else {
                        !g.works_on(member, doy) || (!covered && on_leave(d))
                    };
                if away {
                    set_bit(&mut r.off[at..at + words], d);
                }
                // Paid: a hired member only for the days worked, an
                // employed one for every day in post (leave is paid).
                if if hired {
                    !away
                } else {
                    g.works_on(member, doy)
                } {
                    set_bit(&mut r.paid[at..at + words], d);
                }
            }
            let supply = match &sc.supply {
                Some(s) if s.absence && !hired => s,
                _ => {
                    r.count(sc, i, hired, &table, period, &week_of);
                    if covered {
                        r.summer_stand_ins(sc, key, i, g, &unit.key, member, &summer, period);
                    }
                    continue;
                }
            };
            let prof = &sc.professions[g.profession.index()];
            // The three shares sum to at most 1 (validated).
            let unplanned = (prof.sick_leave_share + prof.child_care_share).min(1.0);
            let spell = supply.spell_days;
            // A spell starts with probability q on a working day at work, and
            // that day is its first: the days at work between spells number
            // (1 - q) / q on average, so spells of mean L days keep the share
            // away at L / (L + (1 - q) / q) = `unplanned`. (1 / q counted the
            // start day twice: 0.4 came out 0.46.)
            let q = if unplanned > 0.0 {
                unplanned / (spell * (1.0 - unplanned) + unplanned)
            } else {
                0.0
            };
            // Planned absence is drawn on the days not away unplanned, so
            // that it is its share of all the working time, as the key says.
            let planned = if unplanned < 1.0 {
                (prof.planned_absence_share / (1.0 - unplanned)).min(1.0)
            } else {
                0.0
            };
            let mut rng = key.stream(&format!("absence/{}/{}/{member}", unit.key, g.key));
            let mut left = 0u32;
            for d in 0..days {
                // Three draws every day, used or not: the days stay aligned
                // whatever the rates.
                let (u_planned, u_start, u_len) = (rng.uniform(), rng.uniform(), rng.uniform());
                if !table.working[d as usize]
                    || bit(&r.off[at..at + words], d)
                    || (covered && on_leave(d))
                {
                    continue;
                }
                if left == 0 && u_start < q {
                    // Geometric length with mean `spell` days (at least 1).
                    let p = 1.0 / spell;
                    left = if p >= 1.0 {
                        1
                    } else {
                        1 + ((1.0 - u_len).ln() / (1.0 - p).ln()).floor() as u32
                    };
                }
                if left > 0 {
                    left -= 1;
                    set_bit(&mut r.sick[at..at + words], d);
                } else if u_planned < planned {
                    set_bit(&mut r.planned[at..at + words], d);
                }
            }
            r.count(sc, i, hired, &table, period, &week_of);
            if covered {
                // Counted; now the stand-in works those days.
                for w in at..at + words {
                    r.stand_in[w] |= r.sick[w] | r.planned[w];
                }
                r.sick[at..at + words].fill(0);
                r.planned[at..at + words].fill(0);
                r.summer_stand_ins(sc, key, i, g, &unit.key, member, &summer, period);
            }
        }
        r
    }

    /// A covered member's summer-leave days on which no stand-in was found
    /// (`summer_cover` < 1): each leave day has a stand-in with probability
    /// `summer_cover`, from the member's own stream (so the other streams
    /// stay aligned). The days are known when the summer is planned, so
    /// they go with planned absence (booking blocks their times); the
    /// ledger has already counted them as summer leave.
    #[allow(clippy::too_many_arguments)]
    fn summer_stand_ins(
        &mut self,
        sc: &Scenario,
        key: &StreamKey<'_>,
        i: usize,
        g: &StaffGroup,
        unit: &str,
        member: u32,
        summer: &[SummerPeriod],
        period: usize,
    ) {
        let share = g.summer_cover;
        let Some(leave) = summer.get(period) else {
            return;
        };
        let at = i * self.words;
        let mut rng =
            (share < 1.0).then(|| key.stream(&format!("stand-in/{unit}/{}/{member}", g.key)));
        for d in 0..sc.horizon().day() + 1 {
            if !leave.contains(&d) {
                continue;
            }
            // One draw per leave day, weekends included: the days stay
            // aligned whatever the share.
            let found = rng.as_mut().is_none_or(|rng| rng.uniform() < share);
            if !found && sc.calendar.is_working_day(d) {
                set_bit(&mut self.planned[at..at + self.words], d);
            } else if found && !bit(&self.off[at..at + self.words], d) {
                // The stand-in works (and is paid for) the member's shifts.
                set_bit(&mut self.stand_in[at..at + self.words], d);
            }
        }
    }

    /// Adds member `i`'s measured weekdays to the ledger.
    fn count(
        &mut self,
        sc: &Scenario,
        i: usize,
        hired: bool,
        table: &DayTable,
        period: usize,
        week_of: &impl Fn(u64) -> usize,
    ) {
        let first = sc.warmup_end().day();
        let last = sc.horizon().day();
        let at = i * self.words;
        for d in first..last {
            if !table.working[d as usize] || table.closed[d as usize] {
                continue;
            }
            let off = bit(&self.off[at..at + self.words], d);
            if hired {
                if !off {
                    self.ledger.hired_days += 1.0;
                }
                continue;
            }
            let on_summer = table.leave.get(period).is_some_and(|l| l[d as usize]);
            // Rostered: an employed member's weekday, unless a dated absence
            // or an unfilled post keeps them away (those are not leave).
            if off && !on_summer {
                continue;
            }
            let w = week_of(d);
            self.ledger.rostered[w] += 1.0;
            if on_summer {
                self.ledger.summer[w] += 1.0;
            } else if bit(&self.sick[at..at + self.words], d) {
                self.ledger.sick[w] += 1.0;
            } else if bit(&self.planned[at..at + self.words], d) {
                self.ledger.planned[w] += 1.0;
            }
        }
    }

    /// Whether member `s` is off on `day` (known in advance: the books are
    /// made without these days).
    #[inline]
    pub(crate) fn off(&self, s: usize, day: u64) -> bool {
        s < self.members && bit(&self.off[s * self.words..(s + 1) * self.words], day)
    }

    /// Whether member `s` is on planned absence on `day`.
    #[inline]
    pub(crate) fn planned(&self, s: usize, day: u64) -> bool {
        s < self.members && bit(&self.planned[s * self.words..(s + 1) * self.words], day)
    }

    /// Whether member `s` works on `day` at all.
    #[inline]
    pub(crate) fn works(&self, s: usize, day: u64) -> bool {
        // One word of each set (read for every day of every member's
        // periods as the model is built).
        let w = (day / 64) as usize;
        if s >= self.members || w >= self.words {
            return true;
        }
        let i = s * self.words + w;
        (self.off[i] | self.planned[i] | self.sick[i]) & (1 << (day % 64)) == 0
    }

    /// Whether the employer pays member `s` for `day` although the member
    /// does not work it: an employed member's summer leave, public holiday
    /// or absence (leave is paid; sick pay is taken as full pay, an
    /// assumption). The staff cost counts these days' shifts; utilisation
    /// does not (nobody is at work).
    pub(crate) fn paid_not_worked(&self, s: usize, day: u64) -> bool {
        // A day worked is a day paid, so paid and not worked is the
        // member's paid time beyond their duty.
        s < self.members
            && bit(&self.paid[s * self.words..(s + 1) * self.words], day)
            && !self.works(s, day)
    }

    /// Whether a stand-in works member `s`'s shifts on `day` (the member
    /// covered while away): paid on top of the member.
    pub(crate) fn stand_in_on(&self, s: usize, day: u64) -> bool {
        s < self.members && bit(&self.stand_in[s * self.words..(s + 1) * self.words], day)
    }

    /// Member `s`'s days off known in advance, as words (for the books'
    /// fingerprint).
    pub(crate) fn off_words(&self, s: usize) -> &[u64] {
        if s < self.members {
            &self.off[s * self.words..(s + 1) * self.words]
        } else {
            &[]
        }
    }

    /// Days of planned (`false`) or unplanned (`true`) absence of member `s`.
    pub(crate) fn absent_days(&self, s: usize, unplanned: bool) -> impl Iterator<Item = u64> + '_ {
        let set: &[u64] = if s >= self.members {
            &[]
        } else if unplanned {
            &self.sick[s * self.words..(s + 1) * self.words]
        } else {
            &self.planned[s * self.words..(s + 1) * self.words]
        };
        set.iter().enumerate().flat_map(|(w, &word)| {
            (0..64)
                .filter(move |b| word & (1 << b) != 0)
                .map(move |b| w as u64 * 64 + b)
        })
    }
}

/// The summer leave periods over the run's `days`: `periods` consecutive
/// runs of `weeks` weeks from the Monday on or after `summer_start` of each
/// simulated year; each period is the union over the years (a range per
/// period and year would do, but a run is at most a few summers long, so
/// one range per period is kept per year in order).
fn summer_periods(sc: &Scenario, days: u64) -> Vec<SummerPeriod> {
    let Some(s) = sc.supply.as_ref().filter(|s| s.summer_weeks > 0) else {
        return Vec::new();
    };
    let cal = &sc.calendar;
    let mut out: Vec<SummerPeriod> = vec![SummerPeriod::default(); s.summer_periods as usize];
    // The run's first `summer_start` (day of the run, in it or not), and
    // the one a year before: periods that reach past the year end (up to
    // six of eight weeks) fall in the run's first months, and without the
    // year before a member whose period it was took no leave in the year.
    let first = (s.summer_start as u64 + 365 - cal.day_of_year(0)) % 365;
    let len = s.summer_weeks as i64 * 7;
    let mut start = first as i64 - 365;
    while start < days as i64 {
        // (The weekday repeats every 7 days: a day before the run is read
        // as its day of the week.)
        let weekday = cal.weekday(start.rem_euclid(7) as u64).index() as i64;
        let monday = start + (7 - weekday) % 7;
        for (p, period) in out.iter_mut().enumerate() {
            let from = monday + p as i64 * len;
            if from + len > 0 {
                period.0.push(from.max(0) as u64..(from + len) as u64);
            }
        }
        start += 365;
    }
    out
}

/// What the roster reads for each of the run's days, worked out once per
/// build instead of once per member and day (the calendar's divisions, the
/// closed days' search, the summer ranges).
struct DayTable {
    /// Day of the year.
    doy: Vec<u16>,
    /// Monday to Friday.
    working: Vec<bool>,
    /// A public holiday the units are closed (`[supply]`).
    closed: Vec<bool>,
    /// Per summer period: whether the day is in it.
    leave: Vec<Vec<bool>>,
}

impl DayTable {
    fn new(sc: &Scenario, days: u64, summer: &[SummerPeriod]) -> DayTable {
        let cal = &sc.calendar;
        let doy: Vec<u16> = (0..days).map(|d| cal.day_of_year(d) as u16).collect();
        let closed = (0..days).map(|d| sc.closed_on(d)).collect();
        DayTable {
            doy,
            working: (0..days).map(|d| cal.is_working_day(d)).collect(),
            closed,
            leave: summer
                .iter()
                .map(|p| (0..days).map(|d| p.contains(&d)).collect())
                .collect(),
        }
    }
}

/// One summer period's days, one range per simulated summer.
#[derive(Clone, Debug, Default)]
pub(crate) struct SummerPeriod(Vec<std::ops::Range<u64>>);

impl SummerPeriod {
    fn contains(&self, d: &u64) -> bool {
        self.0.iter().any(|r| r.contains(d))
    }
}

/// The group a staff member was made from, for the roster's streams.
pub(crate) fn group_members(g: &StaffGroup) -> u32 {
    g.employed() + g.hired_max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn roster(sets: &[&str]) -> (Scenario, Vec<(usize, usize, u32)>) {
        // The summer preset (the default's `[supply]` table); absence and
        // public holidays switched on (later sets override these).
        let sets: Vec<String> = ["supply.absence=true", "supply.public_holidays=true"]
            .iter()
            .chain(sets)
            .map(|s| s.to_string())
            .collect();
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/methods/summer.toml");
        let sc = Scenario::load(Some(&path), &sets).unwrap();
        let mut members = Vec::new();
        for (u, unit) in sc.units.iter().enumerate() {
            for (g, group) in unit.staff.iter().enumerate() {
                members.extend((0..group_members(group)).map(|m| (u, g, m)));
            }
        }
        (sc, members)
    }

    fn key(sc: &Scenario) -> StreamKey<'_> {
        StreamKey {
            seed: 1,
            scenario: &sc.crn_key,
            replication: 0,
        }
    }

    #[test]
    fn summer_cover_leaves_that_share_of_a_covered_members_leave_unworked() {
        // A telephone nurse (covered) on summer leave: with full cover the
        // stand-in works every leave weekday; with `summer_cover = 0.5`
        // about half of them are not worked (planned, known in advance),
        // the rest of the year stays as it was, and so do the other
        // members (their streams are untouched).
        let sc_set = |share: &str| {
            roster(&[
                "supply.absence=false",
                &format!("units.vc.staff.nurse_phone.summer_cover={share}"),
            ])
        };
        let (full, m) = sc_set("1");
        let (half, m_half) = sc_set("0.5");
        assert_eq!(m, m_half);
        let (rf, rh) = (
            Roster::build(&full, &key(&full), &m),
            Roster::build(&half, &key(&half), &m_half),
        );
        let g = full.units[0]
            .staff
            .iter()
            .position(|g| g.key == "nurse_phone")
            .unwrap();
        let cal = &full.calendar;
        let days = full.horizon().day() + 1;
        for (s, &(_, gi, _)) in m.iter().enumerate() {
            let planned_f: Vec<u64> = (0..days).filter(|&d| rf.planned(s, d)).collect();
            let planned_h: Vec<u64> = (0..days).filter(|&d| rh.planned(s, d)).collect();
            if gi != g {
                assert_eq!(planned_f, planned_h, "member {s} of another group");
                continue;
            }
            assert!(planned_f.is_empty(), "covered: no absence left");
            // The member's leave weekdays (June–August, not holidays).
            let leave: Vec<u64> = planned_h
                .iter()
                .copied()
                .filter(|&d| (5..=7).contains(&cal.month(d)))
                .collect();
            assert_eq!(leave, planned_h, "only summer days are left unworked");
            assert!(
                (6..=14).contains(&leave.len()),
                "about half of 20 leave weekdays a summer: {}",
                leave.len()
            );
            assert!(leave.iter().all(|&d| cal.is_working_day(d)));
        }
    }

    #[test]
    fn a_member_is_away_on_the_same_days_whatever_other_groups_do() {
        let (a, ma) = roster(&[]);
        let (b, mb) = roster(&["units.vc.staff.nurse_visits.count=4"]);
        let ra = Roster::build(&a, &key(&a), &ma);
        let rb = Roster::build(&b, &key(&b), &mb);
        let doctor = |m: &[(usize, usize, u32)], sc: &Scenario| {
            let g = sc.units[0]
                .staff
                .iter()
                .position(|g| g.key == "doctor")
                .unwrap();
            m.iter().position(|&(_, gi, k)| gi == g && k == 2).unwrap()
        };
        let (sa, sb) = (doctor(&ma, &a), doctor(&mb, &b));
        let sick_a: Vec<u64> = ra.absent_days(sa, true).collect();
        let sick_b: Vec<u64> = rb.absent_days(sb, true).collect();
        assert!(!sick_a.is_empty());
        assert_eq!(sick_a, sick_b);
        // Another member draws other days.
        assert_ne!(sick_a, ra.absent_days(sa + 1, true).collect::<Vec<_>>());
    }

    #[test]
    fn everyone_takes_four_consecutive_summer_weeks_and_nobody_works_holidays() {
        let (sc, m) = roster(&["supply.absence=false"]);
        let r = Roster::build(&sc, &key(&sc), &m);
        let cal = &sc.calendar;
        let year = sc.warmup_end().day();
        let christmas = (year..year + 365)
            .find(|&d| cal.day_of_year(d) == 359)
            .unwrap();
        for (s, &(_, g, k)) in m.iter().enumerate() {
            let group = &sc.units[0].staff[g];
            // Boxing Day: closed for everyone, hired staff included.
            assert!(r.off(s, christmas), "{} {k} works on Boxing Day", group.key);
            // Hired members take no leave; a covered group's stand-in works
            // its members' leave.
            if k >= group.employed() || !group.dated.is_empty() || group.cover {
                continue;
            }
            // Days off in June–August that are not public holidays: 4 weeks.
            let summer: Vec<u64> = (year..year + 365)
                .filter(|&d| (5..=7).contains(&cal.month(d)) && r.off(s, d))
                .filter(|&d| !sc.closed_on(d))
                .collect();
            let (first, last) = (summer[0], *summer.last().unwrap());
            assert_eq!(
                cal.weekday(first).index(),
                0,
                "{} starts on a Monday",
                group.key
            );
            // Four weeks from first to last; public holidays inside them
            // (National Day, Midsummer) are closed days, not leave.
            let holidays = (first..=last).filter(|&d| sc.closed_on(d)).count();
            assert_eq!(summer.len() + holidays, 28, "{}", group.key);
            assert_eq!(last - first, 27, "{}", group.key);
        }
    }
}
