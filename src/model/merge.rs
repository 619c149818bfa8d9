//! A replication split into linked groups (`model/linked.rs`): each group
//! runs on its own engine and model, one after the other, and their
//! [`Records`] are added up here into the records of one engine running
//! the whole region.
//!
//! Exact, not approximately equal: a group's events are those of the
//! joint run restricted to its units, in the same relative order (events
//! of other groups never touch its state, and every random stream is named
//! by unit or team), so each per-unit, per-desk and per-team figure is the
//! same to the bit, and what is summed across units holds whole numbers
//! (counts, seconds, days), exact in any order. Lists in the arenas'
//! order (staff, desks, teams, access samples) are put back in the order
//! the joint run has them. The daily access sample is one region-wide event
//! a day, handled once per group here: it is counted once.

use crate::model::Records;
use crate::model::flows::desks::DeskLedger;
use crate::model::linked::{InRun, LinkedGroup};
use crate::model::records::{BookCache, StaffLedger};
use crate::model::supply::group_members;
use crate::scenario::spec::Scenario;

/// Runs each of `groups` with `run_group` (one engine and model for the
/// units and teams given) and adds up their records. `spare` holds an
/// earlier replication's buffers and its groups' appointment books.
pub(crate) fn run_groups(
    sc: &Scenario,
    groups: &[LinkedGroup],
    mut spare: Records,
    mut run_group: impl FnMut(InRun, Records) -> Records,
) -> Records {
    // Each group's books as built, kept for the next replication of the
    // same scenario (a group's books are a key of their own).
    let mut caches = std::mem::take(&mut spare.group_books);
    caches.resize_with(groups.len(), BookCache::default);
    let mut sum = Sum::new(sc);
    let mut next = spare;
    for (g, group) in groups.iter().enumerate() {
        next.book_cache = std::mem::take(&mut caches[g]);
        let mut part = run_group(InRun::group(sc, group), next);
        caches[g] = std::mem::take(&mut part.book_cache);
        sum.add(sc, group, &mut part);
        next = part;
    }
    let mut out = sum.finish(next);
    out.group_books = caches;
    out
}

/// The records added so far, and the lists gathered by unit and team.
struct Sum {
    total: Option<Records>,
    staff_of_unit: Vec<Vec<StaffLedger>>,
    crews_of_team: Vec<Vec<StaffLedger>>,
    desks_of_unit: Vec<Vec<DeskLedger>>,
    daily_samples: u64,
}

impl Sum {
    fn new(sc: &Scenario) -> Self {
        Sum {
            total: None,
            staff_of_unit: vec![Vec::new(); sc.units.len()],
            crews_of_team: vec![Vec::new(); sc.mobile_teams.len()],
            desks_of_unit: vec![Vec::new(); sc.units.len()],
            daily_samples: 0,
        }
    }

    /// Adds `part`, the run of `group`; takes from it what the total keeps
    /// (its buffers stay for the next group).
    fn add(&mut self, sc: &Scenario, group: &LinkedGroup, part: &mut Records) {
        // The staff arena: the group's units' members in unit order, then
        // its teams' crews in team order.
        let mut staff = part.staff.iter();
        for u in &group.units {
            let n: u32 = sc.units[u.index()].staff.iter().map(group_members).sum();
            self.staff_of_unit[u.index()].extend(staff.by_ref().take(n as usize).copied());
        }
        for &t in &group.teams {
            let team = &sc.mobile_teams[t];
            let n = team.crews * team.crew.iter().map(|&(_, n)| n).sum::<u32>();
            self.crews_of_team[t].extend(staff.by_ref().take(n as usize).copied());
        }
        // A unit's desks are made together, in its group's run.
        for d in &part.flows.desks {
            self.desks_of_unit[d.unit as usize].push(*d);
        }
        let samples = part.flows.booking.daily_samples;
        self.daily_samples = self.daily_samples.max(samples);
        let Some(total) = &mut self.total else {
            let mut first = Records {
                tallies: std::mem::take(&mut part.tallies),
                episode_tallies: std::mem::take(&mut part.episode_tallies),
                observed_from: part.observed_from,
                observed_to: part.observed_to,
                events: part.events - samples,
                ..Records::default()
            };
            let f = &mut first.flows;
            f.mobile = part.flows.mobile.clone();
            f.booking.ledger = part.flows.booking.ledger;
            f.booking.access = part.flows.booking.access.clone();
            f.booking.continuity = std::mem::take(&mut part.flows.booking.continuity);
            f.phone = part.flows.phone;
            f.supply = std::mem::take(&mut part.flows.supply);
            self.total = Some(first);
            return;
        };
        total.tallies.absorb(&part.tallies);
        total.episode_tallies.absorb(&part.episode_tallies);
        total.events += part.events - samples;
        let (f, p) = (&mut total.flows, &part.flows);
        for &t in &group.teams {
            f.mobile[t] = p.mobile[t];
        }
        let (b, pb) = (&mut f.booking.ledger, &p.booking.ledger);
        for (x, y) in [
            (&mut b.attended, &pb.attended),
            (&mut b.no_shows, &pb.no_shows),
            (&mut b.cancelled, &pb.cancelled),
        ] {
            x.iter_mut().zip(y).for_each(|(x, y)| *x += y);
        }
        b.web_to_phone += pb.web_to_phone;
        b.displaced += pb.displaced;
        f.booking.access.extend_from_slice(&p.booking.access);
        f.phone.emergency += p.phone.emergency;
        f.phone.emergency_home_visit_possible += p.phone.emergency_home_visit_possible;
        // Whole member-days; `on` and the closed weekdays are the scenario's.
        let (s, ps) = (&mut f.supply, &p.supply);
        for (x, y) in [
            (&mut s.rostered, &ps.rostered),
            (&mut s.summer, &ps.summer),
            (&mut s.sick, &ps.sick),
            (&mut s.planned, &ps.planned),
        ] {
            x.iter_mut().zip(y).for_each(|(x, y)| *x += y);
        }
        s.hired_days += ps.hired_days;
    }

    /// The total, with the lists in the joint run's order and the buffers
    /// of `last` (the last group's run) for the next replication.
    fn finish(self, last: Records) -> Records {
        let mut total = self.total.unwrap_or_default();
        total.staff = self.staff_of_unit.into_iter().flatten().collect();
        total.staff.extend(self.crews_of_team.into_iter().flatten());
        total.flows.desks = self.desks_of_unit.into_iter().flatten().collect();
        // The joint run samples every unit's book each day, in unit order.
        total.flows.booking.access.sort_by_key(|a| (a.day, a.unit));
        total.flows.booking.daily_samples = self.daily_samples;
        total.events += self.daily_samples;
        total.patients = last.patients;
        total.scratch = last.scratch;
        total
    }
}
