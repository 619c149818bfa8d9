//! Appointment books (`tidbok`): every unit's bookable slots and an index
//! that finds the earliest free one without scanning the book.
//!
//! Booking is a hot loop (every triaged patient searches the book), so the
//! slots are laid out once, before the run, in (profession, slot type,
//! start, staff) order in one flat `Vec` (from weekday templates, see
//! [`AppointmentBookBuilder::take_weekly_book`]), and indexed two ways:
//! - per (profession, type, day): the range of that day's slots and which
//!   are free (a day of at most 64 slots keeps their bits in its entry), and
//!   per (profession, type) a bitset of the days with a free slot, so the
//!   next day with room is found with `trailing_zeros` on 64 days at a time
//!   (a fully booked month costs one word, not 30 days);
//! - a bitset over the flat `Vec` marking the free slots of the longer days
//!   (more than 64 slots), so the first free slot of such a day is found
//!   with `trailing_zeros` on 64 slots at a time. A short day's bits live
//!   in its day entry only (one source of truth: the bitset's bits for
//!   short days' slots are left as built and never read).
//!
//! A query loops over the requested professions × types (usually 1–3 × 2–3)
//! and the days of the window. Booking and releasing flip one bit (and a
//! long day's counter) and at most the day's open bit; nothing allocates
//! after the book is built.

use crate::engine::{Calendar, SimTime};
use crate::vocab::ids::{ProfessionId, ProfessionSet, StaffId};
use crate::vocab::slot::{ReleaseRules, SlotType, SlotTypeSet};
use crate::vocab::week::WeeklyBlock;

/// Index of a slot in a book.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SlotId(pub u32);

/// One bookable time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Staff member whose time it is.
    pub staff: StaffId,
    /// Their profession.
    pub profession: ProfessionId,
    /// Start.
    pub start: SimTime,
    /// Length, seconds.
    pub length_s: u32,
    /// Type.
    pub kind: SlotType,
}

/// A slot as the builder collects it (sorted once, then packed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Added {
    /// `start_s << 32 | staff`: the order within a (profession, type) group.
    start_staff: u64,
    /// Index in the builder's `raw_shapes`.
    raw_shape: u32,
    /// `group_index(profession, kind)`.
    group: u32,
}

/// What a slot shares with the other slots of its staff member's blocks:
/// who, how long, which profession and type. A book has few of them (staff ×
/// block kinds), so each slot names its shape by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    staff: StaffId,
    length_s: u32,
    profession: ProfessionId,
    kind: SlotType,
}

/// A slot as the book stores it: 8 bytes, its start and its shape's index
/// (a region's books hold tens of millions of slots over a year; the search
/// reads their starts). The start fits 32 bits: a horizon is at most 3 660
/// days (`HorizonDays`), 2^32 seconds are 136 years.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stored {
    start_s: u32,
    shape: u32,
}

impl Stored {
    #[inline]
    fn start(&self) -> SimTime {
        SimTime(self.start_s as u64)
    }
}

/// A staff member's weekly visit block cut into slots of `slot_s` seconds
/// from the block's start, on every day of the horizon it names and the
/// member is not off (see [`AppointmentBookBuilder::take_weekly_book`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeeklyRun {
    /// Whose block.
    pub staff: StaffId,
    /// Their profession.
    pub profession: ProfessionId,
    /// The block.
    pub block: WeeklyBlock,
    /// Slot length, seconds.
    pub slot_s: u32,
    /// Slot type.
    pub kind: SlotType,
}

impl WeeklyRun {
    /// Whether the run's slots are the same on every day it works: true
    /// unless its slots have no length or the block runs from midnight to
    /// midnight (one day's period then joins the next day's, and the slots
    /// run on across midnight).
    pub fn laid_out_by_day(&self) -> bool {
        self.slot_s > 0 && !(self.block.start_s == 0 && self.block.end_s as u64 >= SimTime::DAY)
    }
}

/// One slot of a weekday's template in a (profession, type) group.
#[derive(Clone, Copy, Debug)]
struct TemplateSlot {
    /// `group_index(profession, kind)`.
    group: u32,
    /// Weekday index (0 = Monday).
    weekday: u32,
    /// `offset_s << 32 | staff`: the order within a group's day.
    offset_staff: u64,
    /// Index of the run in `take_weekly_book`'s `runs` (ties between one
    /// member's runs go by it, as they went by the order added).
    run: u32,
    /// Slot length, seconds.
    length_s: u32,
    /// The member's index among the runs' members (their row of days off).
    member: u32,
}

/// Collects slots in any order; [`AppointmentBookBuilder::build`] indexes them.
#[derive(Debug, Default)]
pub struct AppointmentBookBuilder {
    slots: Vec<Added>,
    /// The shape of each run of slots added (a block's slots come one
    /// after the other): a few per staff member and block, with repeats.
    raw_shapes: Vec<Shape>,
    /// Scratch: the slots sorted.
    sorted: Vec<Added>,
    /// Scratch: each group's number among the groups the book uses
    /// (`u32::MAX`: none of its slots).
    rank: Vec<u32>,
    /// Scratch: slots per (group, day) bucket, then each bucket's first index.
    bucket_at: Vec<u32>,
    /// Scratch: each bucket's next index while placing.
    next: Vec<u32>,
    /// Scratch: the weekday templates of [`Self::take_weekly_book`].
    template: Vec<TemplateSlot>,
    /// Scratch: the weekly book's slots as laid out (shape = run index).
    laid: Vec<Stored>,
    /// Scratch: the weekly book's days, `horizon days` per group with slots.
    laid_days: Vec<Day>,
}

impl AppointmentBookBuilder {
    /// Adds a free slot (which must not cross midnight).
    pub fn add_slot(
        &mut self,
        staff: StaffId,
        profession: ProfessionId,
        start: SimTime,
        length_s: u32,
        kind: SlotType,
    ) {
        debug_assert_eq!(
            start.day(),
            (start + length_s.saturating_sub(1) as u64).day(),
            "slot crosses midnight"
        );
        let start_s = u32::try_from(start.0)
            .expect("a slot starts within 2^32 s (136 years); horizons are at most 3 660 days");
        let shape = Shape {
            staff,
            length_s,
            profession,
            kind,
        };
        if self.raw_shapes.last() != Some(&shape) {
            self.raw_shapes.push(shape);
        }
        self.slots.push(Added {
            start_staff: (start_s as u64) << 32 | staff.0 as u64,
            raw_shape: (self.raw_shapes.len() - 1) as u32,
            group: group_index(profession, kind) as u32,
        });
    }

    /// Sorts and indexes the slots.
    pub fn build(mut self, rules: ReleaseRules) -> AppointmentBook {
        self.take_book(rules)
    }

    /// Sorts and indexes the slots added since the last book, and keeps the
    /// builder's buffers for the next one: building a region's books one
    /// after the other in the same buffers leaves no freed buffer of every
    /// size between the books (heap fragments that kept ≈40 MB resident).
    pub fn take_book(&mut self, rules: ReleaseRules) -> AppointmentBook {
        let (shapes, shape_of_raw, n_prof) =
            distinct_shapes(self.raw_shapes.clone(), self.raw_shapes.iter().copied());
        let n_groups = n_prof * SlotType::ALL.len();
        let start_of = |a: &Added| (a.start_staff >> 32) as u32;
        let day_of = |a: &Added| start_of(a) as usize / SimTime::DAY as usize;
        let days = self.slots.iter().map(|a| day_of(a) + 1).max().unwrap_or(0);
        // Sorted by (profession, type, start, staff), stably: a counting
        // sort into (group, day) buckets, then each bucket — one group's
        // slots of one day, a few dozen — by (start, staff). One sort of a
        // whole group merged every staff member's runs over the horizon
        // (half of building a book); the buckets also give each day's range.
        // Buckets are numbered over the groups the book uses only (a book
        // has a few of the `n_groups`).
        self.rank.clear();
        self.rank.resize(n_groups, u32::MAX);
        let mut used = 0u32;
        for s in &shapes {
            let r = &mut self.rank[group_index(s.profession, s.kind)];
            if *r == u32::MAX {
                *r = 0;
            }
        }
        for r in self.rank.iter_mut().filter(|r| **r != u32::MAX) {
            *r = used;
            used += 1;
        }
        let rank = &self.rank;
        let bucket = |a: &Added| rank[a.group as usize] as usize * days + day_of(a);
        let n_buckets = used as usize * days;
        self.bucket_at.clear();
        self.bucket_at.resize(n_buckets + 1, 0);
        for a in &self.slots {
            self.bucket_at[bucket(a) + 1] += 1;
        }
        for b in 0..n_buckets {
            self.bucket_at[b + 1] += self.bucket_at[b];
        }
        self.sorted.clear();
        self.sorted.resize(
            self.slots.len(),
            Added {
                start_staff: 0,
                raw_shape: 0,
                group: 0,
            },
        );
        self.next.clear();
        self.next.extend_from_slice(&self.bucket_at[..n_buckets]);
        for a in &self.slots {
            let at = &mut self.next[bucket(a)];
            self.sorted[*at as usize] = *a;
            *at += 1;
        }
        let mut groups = vec![Group::default(); n_groups];
        for (gi, g) in groups.iter_mut().enumerate() {
            if rank[gi] == u32::MAX {
                continue;
            }
            let first_bucket = rank[gi] as usize * days;
            g.days = vec![Day::default(); days];
            g.open_days = vec![0; days.div_ceil(64)];
            for (d, day) in g.days.iter_mut().enumerate() {
                let (lo, hi) = (
                    self.bucket_at[first_bucket + d],
                    self.bucket_at[first_bucket + d + 1],
                );
                if hi > lo {
                    self.sorted[lo as usize..hi as usize].sort_by_key(|a| a.start_staff);
                    *day = Day::all_free(lo, hi - lo);
                    g.open_days[d / 64] |= 1 << (d % 64);
                }
            }
        }
        let slots = self
            .sorted
            .iter()
            .map(|a| Stored {
                start_s: start_of(a),
                shape: shape_of_raw[a.raw_shape as usize],
            })
            .collect();
        self.slots.clear();
        self.raw_shapes.clear();
        AppointmentBook::all_free(slots, shapes, groups, rules, n_prof)
    }

    /// The book of `runs` (every one [`WeeklyRun::laid_out_by_day`]) over
    /// `[0, horizon)`: the same book as adding, run by run in order, each
    /// run's slots on every day of the horizon whose weekday the block names
    /// and `off(staff, day)` is false, then [`Self::take_book`].
    ///
    /// Built without a sort of the slots: each (profession, type, weekday)
    /// has one template, its runs' slots of the day sorted by (start within
    /// the day, staff, run), and a day's slots are its weekday's template
    /// less the members who are off. The slots come out in the book's order,
    /// a day at a time, so only the templates (a week's slots) are sorted.
    pub fn take_weekly_book(
        &mut self,
        runs: &[WeeklyRun],
        rules: ReleaseRules,
        calendar: &Calendar,
        horizon: SimTime,
        off: impl Fn(StaffId, u64) -> bool,
    ) -> AppointmentBook {
        debug_assert!(runs.iter().all(WeeklyRun::laid_out_by_day));
        if runs.is_empty() {
            return self.take_book(rules);
        }
        // The runs' members, and who is off on which day: one read a slot.
        let mut members: Vec<StaffId> = runs.iter().map(|r| r.staff).collect();
        members.sort_unstable();
        members.dedup();
        let horizon_days = horizon.day() as usize + 1;
        // Every slot starts before the horizon: its start fits 32 bits.
        assert!(
            u32::try_from(horizon.0).is_ok(),
            "a slot starts within 2^32 s (136 years); horizons are at most 3 660 days"
        );
        let n_members = members.len();
        let mut off_table = vec![false; horizon_days * n_members];
        for (d, row) in off_table.chunks_exact_mut(n_members).enumerate() {
            for (is_off, &m) in row.iter_mut().zip(&members) {
                *is_off = off(m, d as u64);
            }
        }
        self.template.clear();
        for (r, run) in runs.iter().enumerate() {
            let b = run.block;
            let member = members.binary_search(&run.staff).unwrap_or_default() as u32;
            for weekday in (0..7).filter(|w| b.days & (1 << w) != 0) {
                let mut t = b.start_s;
                while t + run.slot_s <= b.end_s {
                    self.template.push(TemplateSlot {
                        group: group_index(run.profession, run.kind) as u32,
                        weekday,
                        offset_staff: (t as u64) << 32 | run.staff.0 as u64,
                        run: r as u32,
                        length_s: run.slot_s,
                        member,
                    });
                    t += run.slot_s;
                }
            }
        }
        self.template
            .sort_unstable_by_key(|e| (e.group, e.weekday, e.offset_staff, e.run));
        // Each (group, weekday)'s range of the template.
        let n_groups_max = self.template.last().map_or(0, |e| e.group as usize + 1);
        let mut range = vec![(0u32, 0u32); n_groups_max * 7];
        for (i, e) in self.template.iter().enumerate() {
            let r = &mut range[e.group as usize * 7 + e.weekday as usize];
            if r.1 == 0 {
                r.0 = i as u32;
            }
            r.1 = i as u32 + 1;
        }
        let weekday_of: Vec<u8> = (0..horizon_days as u64)
            .map(|d| calendar.weekday(d).index() as u8)
            .collect();
        self.laid.clear();
        self.laid_days.clear();
        let mut run_used = vec![false; runs.len()];
        // Per group with slots: its first row of `laid_days`.
        let mut group_row = vec![u32::MAX; n_groups_max];
        let mut days = 0;
        for g in 0..n_groups_max {
            if range[g * 7..g * 7 + 7].iter().all(|r| r.1 == 0) {
                continue;
            }
            let row = self.laid_days.len();
            self.laid_days.resize(row + horizon_days, Day::default());
            let mut any = false;
            for (d, &w) in weekday_of.iter().enumerate() {
                let (lo, hi) = range[g * 7 + w as usize];
                let first = self.laid.len();
                let day_start = d as u64 * SimTime::DAY;
                let off_today = &off_table[d * n_members..(d + 1) * n_members];
                // Only the horizon's last day can end before a slot does.
                let clipped = day_start + SimTime::DAY > horizon.0;
                // The day's template written in place and cut to the slots
                // kept: no vector length stored and checked a slot.
                self.laid.resize(
                    first + (hi - lo) as usize,
                    Stored {
                        start_s: 0,
                        shape: 0,
                    },
                );
                let out = &mut self.laid[first..];
                let mut kept = 0;
                for e in &self.template[lo as usize..hi as usize] {
                    let start = day_start + (e.offset_staff >> 32);
                    if off_today[e.member as usize]
                        || (clipped && start + e.length_s as u64 > horizon.0)
                    {
                        continue;
                    }
                    run_used[e.run as usize] = true;
                    // A slot starts before the horizon, which fits 32 bits.
                    debug_assert!(start < horizon.0);
                    out[kept] = Stored {
                        start_s: start as u32,
                        shape: e.run,
                    };
                    kept += 1;
                }
                self.laid.truncate(first + kept);
                let len = kept as u32;
                if len > 0 {
                    self.laid_days[row + d] = Day::all_free(first as u32, len);
                    days = days.max(d + 1);
                    any = true;
                }
            }
            if any {
                group_row[g] = row as u32;
            } else {
                self.laid_days.truncate(row);
            }
        }
        // The shapes of the runs with slots, in order, as `take_book` has them.
        let shape_of = |run: &WeeklyRun| Shape {
            staff: run.staff,
            length_s: run.slot_s,
            profession: run.profession,
            kind: run.kind,
        };
        let used: Vec<Shape> = runs
            .iter()
            .zip(&run_used)
            .filter(|(_, used)| **used)
            .map(|(run, _)| shape_of(run))
            .collect();
        let (shapes, shape_of_run, n_prof) = distinct_shapes(used, runs.iter().map(shape_of));
        let mut groups = vec![Group::default(); n_prof * SlotType::ALL.len()];
        for (g, &row) in group_row.iter().enumerate() {
            if row == u32::MAX {
                continue;
            }
            let row = row as usize;
            let group = &mut groups[g];
            group.days = self.laid_days[row..row + days].to_vec();
            group.open_days = vec![0; days.div_ceil(64)];
            for (d, day) in group.days.iter().enumerate() {
                if day.len > 0 {
                    group.open_days[d / 64] |= 1 << (d % 64);
                }
            }
        }
        let slots: Vec<Stored> = self
            .laid
            .iter()
            .map(|s| Stored {
                start_s: s.start_s,
                shape: shape_of_run[s.shape as usize],
            })
            .collect();
        AppointmentBook::all_free(slots, shapes, groups, rules, n_prof)
    }
}

/// The distinct shapes of `used` in order, the index among them of each
/// shape of `each` (0 for one not used), and the number of professions they
/// name (the highest index plus one).
fn distinct_shapes(
    mut used: Vec<Shape>,
    each: impl Iterator<Item = Shape>,
) -> (Vec<Shape>, Vec<u32>, usize) {
    used.sort_unstable();
    used.dedup();
    let index = each
        .map(|s| used.binary_search(&s).unwrap_or_default() as u32)
        .collect();
    let n_prof = used
        .iter()
        .map(|s| s.profession.index() + 1)
        .max()
        .unwrap_or(0);
    (used, index, n_prof)
}

/// A (profession, type) group's slots of one day: their range of the
/// book's slots and which of them are free. A day of at most 64 slots (a
/// unit's group-day holds a few dozen) keeps its free slots' bits here and
/// only here, so a search reads the day entry and not a line of the
/// bitset; a longer day counts its free slots here and its bits are in the
/// book's bitset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Day {
    first: u32,
    len: u32,
    /// Short day: bit `k` set when slot `first + k` is free. Long day: the
    /// number of free slots.
    free: u64,
}

impl Day {
    /// Slots `[first, first + len)`, all free.
    fn all_free(first: u32, len: u32) -> Day {
        let free = match len {
            0..64 => (1u64 << len) - 1,
            64 => u64::MAX,
            _ => len as u64,
        };
        Day { first, len, free }
    }

    /// Whether the day keeps its free slots' bits.
    #[inline]
    fn short(&self) -> bool {
        self.len <= 64
    }

    /// Free slots.
    fn free_count(&self) -> u32 {
        if self.short() {
            self.free.count_ones()
        } else {
            self.free as u32
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Group {
    /// Indexed by day.
    days: Vec<Day>,
    /// Bit `d` set when day `d` has a free slot.
    open_days: Vec<u64>,
    /// The book's release days for the group's slot type (set with the
    /// book, so a search does not look the type's rule up per group).
    release_days: u64,
}

impl Group {
    /// The first day in `[from, to]` with a free slot.
    fn next_open_day(&self, from: u64, to: u64) -> Option<u64> {
        let mut d = from;
        while d <= to {
            let word = self.open_days[(d / 64) as usize] >> (d % 64);
            if word != 0 {
                let found = d + word.trailing_zeros() as u64;
                return (found <= to).then_some(found);
            }
            d = (d / 64 + 1) * 64;
        }
        None
    }
}

/// Sets the bits of `n` slots in `free` (`n.div_ceil(64)` words): whole
/// words, then the last one's low bits.
fn all_free(free: &mut [u64], n: usize) {
    free.fill(u64::MAX);
    if !n.is_multiple_of(64)
        && let Some(last) = free.last_mut()
    {
        *last = (1u64 << (n % 64)) - 1;
    }
}

fn group_index(p: ProfessionId, k: SlotType) -> usize {
    p.index() * SlotType::ALL.len() + k as usize
}

/// A unit's appointment book with its index.
#[derive(Clone, Debug)]
pub struct AppointmentBook {
    slots: Vec<Stored>,
    /// What the slots share, indexed by `Stored::shape`.
    shapes: Vec<Shape>,
    groups: Vec<Group>,
    /// Free slots of the long days (see [`Day`]); a short day's slots'
    /// bits here are stale.
    free: Vec<u64>,
    /// The professions with groups in the book, as a set's bits.
    prof_mask: u64,
}

impl AppointmentBook {
    /// The book of `slots` in order, every one free.
    fn all_free(
        slots: Vec<Stored>,
        shapes: Vec<Shape>,
        groups: Vec<Group>,
        rules: ReleaseRules,
        n_prof: usize,
    ) -> Self {
        let mut free = vec![0u64; slots.len().div_ceil(64)];
        all_free(&mut free, slots.len());
        let mut groups = groups;
        for (gi, g) in groups.iter_mut().enumerate() {
            g.release_days = rules.days(SlotType::ALL[gi % SlotType::ALL.len()]) as u64;
        }
        let prof_mask = if n_prof >= 64 {
            u64::MAX
        } else {
            (1u64 << n_prof) - 1
        };
        AppointmentBook {
            slots,
            shapes,
            groups,
            free,
            prof_mask,
        }
    }

    /// An empty book.
    pub fn empty() -> Self {
        AppointmentBookBuilder::default().build(ReleaseRules {
            acute_days: 0,
            short_notice_days: 0,
            regular_days: 0,
            web_days: 0,
            follow_up_days: 0,
        })
    }

    /// The slot `id`.
    pub fn slot(&self, id: SlotId) -> Slot {
        let s = self.slots[id.0 as usize];
        let shape = self.shapes[s.shape as usize];
        Slot {
            staff: shape.staff,
            profession: shape.profession,
            start: s.start(),
            length_s: shape.length_s,
            kind: shape.kind,
        }
    }

    /// The staff member of the slot at index `i`.
    #[inline]
    fn staff_of(&self, i: usize) -> StaffId {
        self.shapes[self.slots[i].shape as usize].staff
    }

    /// Number of slots.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True if the book has no slots.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Free slots of `profession` and `kind` on `day`.
    pub fn free_count(&self, profession: ProfessionId, kind: SlotType, day: u64) -> u32 {
        self.groups
            .get(group_index(profession, kind))
            .and_then(|g| g.days.get(day as usize))
            .map_or(0, Day::free_count)
    }

    /// Whether slot `id` is free (the book keeps no patient per slot: the
    /// booking flow keeps each patient's slot).
    pub fn is_free(&self, id: SlotId) -> bool {
        let i = id.0 as usize;
        let (g, d, _) = self.place_of(i);
        let day = &self.groups[g].days[d];
        if day.short() {
            day.free >> (i - day.first as usize) & 1 != 0
        } else {
            self.free[i / 64] & (1 << (i % 64)) != 0
        }
    }

    /// Frees every slot again: the book as [`AppointmentBookBuilder::build`]
    /// made it (a worker's next replication of the same scenario resets its
    /// books instead of keeping a pristine copy beside them).
    pub fn reset(&mut self) {
        all_free(&mut self.free, self.slots.len());
        for g in &mut self.groups {
            g.open_days.fill(0);
            for (d, day) in g.days.iter_mut().enumerate() {
                *day = Day::all_free(day.first, day.len);
                if day.len > 0 {
                    g.open_days[d / 64] |= 1 << (d % 64);
                }
            }
        }
    }

    /// The first free slot index in `[from, to)` of the flat vector.
    fn first_free_in(&self, from: usize, to: usize) -> Option<usize> {
        let mut i = from;
        while i < to {
            let word = self.free[i / 64] >> (i % 64);
            if word != 0 {
                let j = i + word.trailing_zeros() as usize;
                return (j < to).then_some(j);
            }
            i = (i / 64 + 1) * 64;
        }
        None
    }

    /// Visits the free slots of every requested (profession, type) group in
    /// start order within each group, for slots with `from <= start < until`
    /// that are bookable at `now`; `visit` returns false to stop the group.
    fn scan(
        &self,
        now: SimTime,
        from: SimTime,
        until: SimTime,
        professions: ProfessionSet,
        types: SlotTypeSet,
        mut visit: impl FnMut(usize) -> bool,
    ) {
        if until <= from {
            return;
        }
        self.for_groups(professions, types, |g| {
            self.scan_group(g, now, from, until, &mut visit);
            true
        });
    }
    /// Calls `each` with every requested (profession, type) group that has
    /// slots, lowest profession then type first (the order ties go by; a
    /// query names 1–3 of the book's professions and 1–3 of its five
    /// types), until it returns false.
    #[inline]
    fn for_groups(
        &self,
        professions: ProfessionSet,
        types: SlotTypeSet,
        mut each: impl FnMut(&Group) -> bool,
    ) {
        const N_KINDS: usize = SlotType::ALL.len();
        let mut profs = professions.0 & self.prof_mask;
        while profs != 0 {
            let p = profs.trailing_zeros() as usize;
            profs &= profs - 1;
            // The profession's groups, one per type (`group_index` order).
            let Some(row) = self.groups.get(p * N_KINDS..(p + 1) * N_KINDS) else {
                return;
            };
            let mut kinds = types.0 & ((1 << N_KINDS) - 1);
            while kinds != 0 {
                let k = kinds.trailing_zeros() as usize;
                kinds &= kinds - 1;
                // (`k < N_KINDS` by the mask: never `None`.)
                let Some(g) = row.get(k) else { return };
                if !g.days.is_empty() && !each(g) {
                    return;
                }
            }
        }
    }
    /// [`Self::scan`] within one group (`from < until`); `visit` returns
    /// false to stop.
    #[inline]
    fn scan_group(
        &self,
        g: &Group,
        now: SimTime,
        from: SimTime,
        until: SimTime,
        mut visit: impl FnMut(usize) -> bool,
    ) {
        let last_day = (until.0 - 1) / SimTime::DAY;
        let first_day = from.day();
        let last_bookable = now.day() + g.release_days;
        let end_day = last_bookable.min(last_day).min(g.days.len() as u64 - 1);
        let mut next = first_day;
        while let Some(d) = g.next_open_day(next, end_day) {
            next = d + 1;
            let day = g.days[d as usize];
            let (lo, hi) = (day.first as usize, (day.first + day.len) as usize);
            // Skip slots before `from` on the first day (later days
            // start after it). The day's first free slot is most
            // often already past `from` (its earlier slots booked):
            // one read; otherwise bisect the rest of the day.
            if day.short() {
                let mut bits = day.free;
                while bits != 0 {
                    let j = lo + bits.trailing_zeros() as usize;
                    let start = self.slots[j].start();
                    // Only on the first day (one read of the start for
                    // both checks, no test of the day).
                    if start < from {
                        let k = j + self.slots[j..hi].partition_point(|s| s.start() < from);
                        // Slots before `k` off (k - lo is at most 64).
                        bits &= u64::MAX.checked_shl((k - lo) as u32).unwrap_or(0);
                        continue;
                    }
                    if start >= until || !visit(j) {
                        return;
                    }
                    bits &= bits - 1;
                }
                continue;
            }
            let mut i = lo;
            if d == first_day
                && let Some(j) = self.first_free_in(lo, hi)
                && self.slots[j].start() < from
            {
                i = j + self.slots[j..hi].partition_point(|s| s.start() < from);
            }
            while let Some(j) = self.first_free_in(i, hi) {
                if self.slots[j].start() >= until || !visit(j) {
                    return;
                }
                i = j + 1;
            }
        }
    }
    /// Earliest free slot with `from <= start < until`, profession in
    /// `professions`, type in `types`, bookable at `now` (its day at most the
    /// type's release days after `now`'s day). Ties: lowest profession, then
    /// type, then staff (the sort order).
    pub fn earliest_free(
        &self,
        now: SimTime,
        from: SimTime,
        until: SimTime,
        professions: ProfessionSet,
        types: SlotTypeSet,
    ) -> Option<SlotId> {
        // A group's first free slot is its earliest, and a later group wins
        // only with an earlier start (ties go to the earlier group): each
        // group found narrows the window of the groups after it.
        let mut until = until;
        let mut best: Option<usize> = None;
        self.for_groups(professions, types, |g| {
            if until <= from {
                return false;
            }
            self.scan_group(g, now, from, until, |j| {
                best = Some(j);
                until = self.slots[j].start();
                false
            });
            true
        });
        best.map(|b| SlotId(b as u32))
    }

    /// Earliest free slot of staff member `staff` (of `profession`) with
    /// `from <= start < until`, type in `types`, bookable at `now`: a named
    /// clinician's time. Walks only the free slots of the profession's
    /// open days in the window (the book keeps no index by member).
    pub fn earliest_free_of(
        &self,
        staff: StaffId,
        profession: ProfessionId,
        now: SimTime,
        from: SimTime,
        until: SimTime,
        types: SlotTypeSet,
    ) -> Option<SlotId> {
        let mut only = ProfessionSet::EMPTY;
        only.insert(profession);
        let mut best: Option<usize> = None;
        self.scan(now, from, until, only, types, |j| {
            if self.staff_of(j) != staff {
                return true; // a colleague's: look on
            }
            if best.is_none_or(|b| self.slots[j].start() < self.slots[b].start()) {
                best = Some(j);
            }
            false // the member's first free slot of a group is its earliest
        });
        best.map(|b| SlotId(b as u32))
    }

    /// The `n`-th (1-based) earliest free bookable slot from `now` on (the
    /// "third next available" access measure uses n = 3).
    pub fn nth_free(
        &self,
        now: SimTime,
        n: usize,
        professions: ProfessionSet,
        types: SlotTypeSet,
    ) -> Option<SlotId> {
        if n == 0 {
            return None;
        }
        // Collect the n earliest of each group, keep the n earliest overall.
        let mut best: Vec<usize> = Vec::with_capacity(n + 1);
        self.scan(now, now, SimTime::NEVER, professions, types, |j| {
            let pos =
                best.partition_point(|&b| (self.slots[b].start_s, b) <= (self.slots[j].start_s, j));
            if pos < n {
                best.insert(pos, j);
                best.truncate(n);
                true
            } else {
                false
            }
        });
        best.get(n - 1).map(|&b| SlotId(b as u32))
    }

    /// Every slot (free or booked) of `staff`, of `profession`, on `day`,
    /// by type then start (a staff member's day when they are away).
    pub fn slots_of(&self, staff: StaffId, profession: ProfessionId, day: u64) -> Vec<SlotId> {
        let mut out = Vec::new();
        for kind in SlotType::ALL {
            let Some(d) = self
                .groups
                .get(group_index(profession, kind))
                .and_then(|g| g.days.get(day as usize))
            else {
                continue;
            };
            let (lo, hi) = (d.first as usize, (d.first + d.len) as usize);
            out.extend(
                (lo..hi)
                    .filter(|&i| self.staff_of(i) == staff)
                    .map(|i| SlotId(i as u32)),
            );
        }
        out
    }

    /// The slot at index `i`'s group (`group_index`), day and start.
    #[inline]
    fn place_of(&self, i: usize) -> (usize, usize, SimTime) {
        let s = self.slots[i];
        let shape = self.shapes[s.shape as usize];
        let start = s.start();
        (
            group_index(shape.profession, shape.kind),
            start.day() as usize,
            start,
        )
    }

    /// Books slot `id`; returns its start.
    pub fn book(&mut self, id: SlotId) -> SimTime {
        let i = id.0 as usize;
        debug_assert!(self.is_free(id), "slot {i} booked twice");
        let (g, d, start) = self.place_of(i);
        let g = &mut self.groups[g];
        let day = &mut g.days[d];
        if day.short() {
            day.free &= !(1u64 << (i - day.first as usize));
        } else {
            self.free[i / 64] &= !(1 << (i % 64));
            day.free -= 1;
        }
        // The day was open (this slot was free): closed only by its last.
        if day.free == 0 {
            g.open_days[d / 64] &= !(1 << (d % 64));
        }
        start
    }

    /// Frees slot `id` again (a cancellation).
    pub fn release(&mut self, id: SlotId) {
        let i = id.0 as usize;
        let (g, d, _) = self.place_of(i);
        let g = &mut self.groups[g];
        let day = &mut g.days[d];
        if day.short() {
            let bit = 1u64 << (i - day.first as usize);
            if day.free & bit != 0 {
                return;
            }
            day.free |= bit;
        } else {
            let (word, bit) = (&mut self.free[i / 64], 1u64 << (i % 64));
            if *word & bit != 0 {
                return;
            }
            *word |= bit;
            day.free += 1;
        }
        g.open_days[d / 64] |= 1 << (d % 64);
    }
}

#[cfg(test)]
mod tests;
