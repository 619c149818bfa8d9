//! A replication split into linked groups (`model/linked.rs`): each group
//! runs on its own engine and model — one after the other, or several at
//! once on the current rayon pool — and their [`Records`] are added up
//! here, in group order, into the records of one engine running the whole
//! region.
//!
//! Exact, not approximately equal: a group's events are those of the
//! joint run restricted to its units, in the same relative order (events
//! of other groups never touch its state, and every random stream is named
//! by unit or team), so each per-unit, per-desk and per-team figure is the
//! same to the bit, and what is summed across units holds whole numbers
//! (counts, seconds, days), exact in any order. Lists in the arenas'
//! order (staff, desks, teams, access samples) are put back in the order
//! the joint run has them.
//!
//! Groups run in parallel in *lanes*. The calling thread's lane takes the
//! groups in their order, so that alone it adds each one at once and holds
//! nothing back. Every other lane is offered to the pool as a job that an
//! idle thread may take (a thread that finished its own replications, the
//! last replication of `-r 3 -t 2`, a single `-r 1`): such a lane takes
//! the largest group not yet taken, so the longest starts at once. A lane
//! no thread took before the caller's lane ran out finds nothing left.
//! Each lane runs its group on its own reused buffers and hands the
//! records in; they are added as soon as every earlier group's have been,
//! so the order of the sum never depends on which lane finished first. A
//! group finished early waits without its patient arena (which its lane
//! reuses at once), so memory grows with the lanes, not with the groups.

use std::sync::Mutex;

use crate::model::Records;
use crate::model::flows::desks::DeskLedger;
use crate::model::linked::{InRun, LinkedGroup};
use crate::model::records::{BookCache, ModelRun, StaffLedger};
use crate::model::supply::group_members;
use crate::scenario::spec::Scenario;

/// Runs each of `groups` with `run_group` (one engine and model for the
/// units and teams given), up to `lanes` at once, and adds up their
/// records. `spare` holds an earlier replication's buffers (its lanes',
/// too) and its groups' appointment books; the records keep the groups'
/// books for the next replication when `keep_books` (else each group's
/// are dropped as it ends: a region's books are most of its memory).
pub(crate) fn run_groups(
    sc: &Scenario,
    groups: &[LinkedGroup],
    lanes: usize,
    keep_books: bool,
    mut spare: Records,
    run_group: impl Fn(InRun, Records) -> Records + Sync,
) -> Records {
    let lanes = lanes.clamp(1, groups.len().max(1));
    // Each group's books as built, kept for the next replication of the
    // same scenario (a group's books are a key of their own).
    let mut books = std::mem::take(&mut spare.group_books);
    books.resize_with(groups.len(), BookCache::default);
    let mut others = std::mem::take(&mut spare.lanes);
    others.resize_with(lanes - 1, Records::default);
    let picker = Mutex::new(Picker::new(sc, groups, lanes));
    let adder = Mutex::new(Adder {
        keep_books,
        sum: Sum::new(sc),
        waiting: (0..groups.len()).map(|_| None).collect(),
        next: 0,
        books,
        model_runs: vec![ModelRun::default(); groups.len()],
    });
    let lane = |mut mine: Records, offered: bool| -> Records {
        loop {
            // Not in a `while let`: its lock would be held while the group runs.
            let next = lock(&picker).next(offered);
            let Some(g) = next else { break };
            mine.book_cache = std::mem::take(&mut lock(&adder).books[g]);
            let mut part = run_group(InRun::group(sc, &groups[g]), mine);
            // The arena stays with the lane; the rest may wait its turn.
            let patients = std::mem::take(&mut part.patients);
            let scratch = std::mem::take(&mut part.scratch);
            mine = lock(&adder).hand_in(sc, groups, g, part);
            mine.patients = patients;
            mine.scratch = scratch;
        }
        mine
    };
    let mine = if lanes == 1 {
        lane(spare, false)
    } else {
        let done = Mutex::new(Vec::with_capacity(lanes - 1));
        let mine = rayon::scope(|s| {
            // Offered last-in: an idle thread steals the oldest job of a
            // busy one first, so a waiting replication goes before a lane.
            for theirs in others.drain(..) {
                let (lane, done) = (&lane, &done);
                s.spawn(move |_| {
                    let theirs = lane(theirs, true);
                    lock(done).push(theirs);
                });
            }
            lane(spare, false)
        });
        others = done.into_inner().unwrap_or_else(|e| e.into_inner());
        mine
    };
    let adder = adder.into_inner().unwrap_or_else(|e| e.into_inner());
    debug_assert_eq!(adder.next, groups.len(), "every group added");
    let mut out = adder.sum.finish(mine);
    out.group_books = adder.books;
    out.model_runs = adder.model_runs;
    out.lanes = others;
    out
}

/// Which group a lane runs next: the caller's lane the first not taken in
/// group order, an offered lane the largest not taken.
struct Picker {
    taken: Vec<bool>,
    /// The caller's lane's place in group order.
    front: usize,
    /// The groups, the largest first (empty with one lane).
    largest: Vec<usize>,
    /// The offered lanes' place in `largest`.
    next_largest: usize,
}

impl Picker {
    fn new(sc: &Scenario, groups: &[LinkedGroup], lanes: usize) -> Self {
        Picker {
            taken: vec![false; groups.len()],
            front: 0,
            largest: if lanes > 1 {
                largest_first(sc, groups)
            } else {
                Vec::new()
            },
            next_largest: 0,
        }
    }

    /// The next group for a lane (`offered`: one an idle thread took), or
    /// `None` when every group is taken.
    fn next(&mut self, offered: bool) -> Option<usize> {
        let g = if offered {
            let taken = &self.taken;
            let skip = self.largest[self.next_largest..]
                .iter()
                .take_while(|&&g| taken[g])
                .count();
            self.next_largest += skip;
            *self.largest.get(self.next_largest)?
        } else {
            self.front += self.taken[self.front..].iter().take_while(|&&t| t).count();
            if self.front == self.taken.len() {
                return None;
            }
            self.front
        };
        self.taken[g] = true;
        Some(g)
    }
}

/// The group indexes, the largest first: by listed patients (what the
/// demand, and so the work, scales with), ties in group order.
fn largest_first(sc: &Scenario, groups: &[LinkedGroup]) -> Vec<usize> {
    let size = |g: &LinkedGroup| -> u64 {
        g.units
            .iter()
            .map(|u| u64::from(sc.units[u.index()].listed))
            .sum()
    };
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| std::cmp::Reverse(size(&groups[g])));
    order
}

/// A lock that a panic in another lane does not poison for good: the
/// panic itself reaches the caller through `rayon::scope`.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The groups' records handed in so far, added up in group order.
struct Adder {
    /// Each group's books are kept for the next replication.
    keep_books: bool,
    sum: Sum,
    /// Records handed in before an earlier group's, by group.
    waiting: Vec<Option<Records>>,
    /// The next group to add.
    next: usize,
    /// Each group's appointment books while it is not running.
    books: Vec<BookCache>,
    /// Each group's run: its size, peak, events and time.
    model_runs: Vec<ModelRun>,
}

impl Adder {
    /// Takes `part`, the run of group `g` (without its patient arena), and
    /// adds every group whose turn has come; returns the buffers of the
    /// last one added for the lane's next group (fresh ones if `part` must
    /// wait).
    fn hand_in(
        &mut self,
        sc: &Scenario,
        groups: &[LinkedGroup],
        g: usize,
        mut part: Records,
    ) -> Records {
        let books = std::mem::take(&mut part.book_cache);
        if self.keep_books {
            self.books[g] = books;
        }
        self.model_runs[g] = part.model_runs.first().copied().unwrap_or_default();
        self.waiting[g] = Some(part);
        let mut free = None;
        while let Some(mut part) = self.waiting.get_mut(self.next).and_then(Option::take) {
            self.sum.add(sc, &groups[self.next], &mut part);
            self.next += 1;
            free = Some(part);
        }
        free.unwrap_or_default()
    }
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
        self.daily_samples += part.flows.booking.daily_samples;
        let Some(total) = &mut self.total else {
            let mut first = Records {
                tallies: std::mem::take(&mut part.tallies),
                episode_tallies: std::mem::take(&mut part.episode_tallies),
                observed_from: part.observed_from,
                observed_to: part.observed_to,
                events: part.events,
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
        total.events += part.events;
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
        // The joint run samples every unit's book each day, in unit order,
        // each profession in its order: the key is unique, so a sort in
        // place (no scratch as long as half the list: a Stockholm decade's
        // samples are tens of MB) gives the joint order.
        total
            .flows
            .booking
            .access
            .sort_unstable_by_key(|a| (a.day, a.unit, a.profession));
        total.flows.booking.daily_samples = self.daily_samples;
        total.patients = last.patients;
        total.scratch = last.scratch;
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::linked::linked_groups;
    use crate::vocab::ids::UnitId;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn stockholm() -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/regions/stockholm.toml");
        Scenario::load(Some(&path), &[]).unwrap()
    }

    /// Runs `groups` in `lanes` on a pool of `threads` with a stand-in for a
    /// group's run that takes a while: the most groups that ran at once,
    /// the groups in the order they started, and the records.
    fn run_stand_ins(
        sc: &Scenario,
        groups: &[LinkedGroup],
        lanes: usize,
        threads: usize,
    ) -> (usize, Vec<usize>, Records) {
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let started = Mutex::new(Vec::new());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let out = pool.install(|| {
            run_groups(
                sc,
                groups,
                lanes,
                true,
                Records::default(),
                |in_run, mut spare| {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    let g = groups
                        .iter()
                        .position(|g| in_run.unit(g.units[0].index()))
                        .unwrap();
                    lock(&started).push(g);
                    std::thread::sleep(std::time::Duration::from_millis(4));
                    running.fetch_sub(1, Ordering::SeqCst);
                    // The group's "peak": its number of units, to see the order
                    // the records are added in.
                    spare.model_runs = vec![ModelRun {
                        most_held: groups[g].units.len(),
                        ..ModelRun::default()
                    }];
                    spare
                },
            )
        });
        let started = started.into_inner().unwrap();
        (most.into_inner(), started, out)
    }

    #[test]
    fn lanes_run_groups_at_once_the_largest_first_and_add_them_in_order() {
        let sc = stockholm();
        let groups = linked_groups(&sc)[..40].to_vec();
        let sizes: Vec<usize> = groups.iter().map(|g| g.units.len()).collect();
        // One lane: the groups in their order, one at a time.
        let (most, started, out) = run_stand_ins(&sc, &groups, 1, 2);
        assert_eq!(most, 1);
        assert_eq!(started, (0..groups.len()).collect::<Vec<_>>());
        assert_eq!(out.most_patients_held_by_group(), sizes);
        assert!(out.lanes.is_empty());
        // Two lanes on two threads: two at once, the records added in
        // group order all the same, the second lane's buffers kept.
        let (most, started, out) = run_stand_ins(&sc, &groups, 2, 2);
        assert_eq!(most, 2);
        assert_eq!(started[0], 0, "the provider's group of 102 units first");
        let mut all = started.clone();
        all.sort();
        assert_eq!(all, (0..groups.len()).collect::<Vec<_>>());
        assert_eq!(out.most_patients_held_by_group(), sizes);
        assert_eq!(out.lanes.len(), 1);
        assert_eq!(out.group_books.len(), groups.len());
    }

    #[test]
    fn an_offered_lane_no_thread_takes_changes_nothing() {
        // Two lanes on a pool of one thread: the offered lane is only run
        // once the caller's lane has taken every group, in group order,
        // each added at once — as on one lane.
        let sc = stockholm();
        let groups = linked_groups(&sc)[..12].to_vec();
        let (most, started, out) = run_stand_ins(&sc, &groups, 2, 1);
        assert_eq!(most, 1);
        assert_eq!(started, (0..groups.len()).collect::<Vec<_>>());
        let sizes: Vec<usize> = groups.iter().map(|g| g.units.len()).collect();
        assert_eq!(out.most_patients_held_by_group(), sizes);
        assert_eq!(out.lanes.len(), 1, "the offered lane's buffers kept");
    }

    #[test]
    fn the_callers_lane_goes_in_order_an_offered_one_takes_the_largest_left() {
        let sc = stockholm();
        let groups = linked_groups(&sc)[..6].to_vec();
        let largest = largest_first(&sc, &groups);
        let mut picker = Picker::new(&sc, &groups, 2);
        // The caller takes group 0 (Stockholm's largest), an offered lane
        // the largest after it; the caller then skips what that lane took.
        assert_eq!(picker.next(false), Some(0));
        assert_eq!(picker.next(true), Some(largest[1]));
        let mut rest: Vec<usize> = std::iter::from_fn(|| picker.next(false)).collect();
        rest.sort();
        let expected: Vec<usize> = (1..groups.len()).filter(|&g| g != largest[1]).collect();
        assert_eq!(rest, expected);
        assert_eq!(picker.next(true), None);
        // One lane: group order only.
        let mut one = Picker::new(&sc, &groups, 1);
        let order: Vec<usize> = std::iter::from_fn(|| one.next(false)).collect();
        assert_eq!(order, (0..groups.len()).collect::<Vec<_>>());
    }

    #[test]
    fn the_largest_groups_come_first() {
        let sc = stockholm();
        let one = |u: u16| LinkedGroup {
            units: vec![UnitId(u)],
            teams: Vec::new(),
        };
        let listed = |u: u16| sc.units[u as usize].listed;
        // Three single units and one of two: ordered by listed patients,
        // ties in group order.
        let (a, b) = (2u16, 3u16);
        let groups = vec![
            one(a),
            LinkedGroup {
                units: vec![UnitId(a), UnitId(b)],
                teams: Vec::new(),
            },
            one(b),
            one(a),
        ];
        let order = largest_first(&sc, &groups);
        assert_eq!(order[0], 1);
        let rest = match listed(a).cmp(&listed(b)) {
            std::cmp::Ordering::Greater => [0, 3, 2],
            std::cmp::Ordering::Less => [2, 0, 3],
            std::cmp::Ordering::Equal => [0, 2, 3],
        };
        assert_eq!(order[1..], rest);
    }
}
