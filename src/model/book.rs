//! Appointment books (`tidbok`): every unit's bookable slots and an index
//! that finds the earliest free one without scanning the book.
//!
//! A book holds only the days a search can reach: from today to the last
//! day whose times are released (the longest release rule ahead, or
//! further for a follow-up booked from a later day). Each day's slots are
//! laid out when the book rolls forward to it, from the day's template (a
//! weekday's slots less the staff who are off; see `DaySource`), into a
//! ring of day pages; a page is laid over again once its day is past. So a
//! book's memory is bounded by how far ahead bookings reach, not by the
//! horizon (a region's books over a year held tens of millions of slots).
//!
//! Booking is a hot loop (every triaged patient searches the book), so a
//! day's page keeps its slots in (profession, slot type, start, staff)
//! order, and the book indexes them two ways:
//! - per (profession, type, day): the range of that day's slots and which
//!   are free (a day of at most 64 slots keeps their bits in its entry), and
//!   per (profession, type) a ring of bits of the days with a free slot, so
//!   the next day with room is found with `trailing_zeros` on 64 days at a
//!   time (a fully booked month costs one word, not 30 days);
//! - a bitset over the pages marking the free slots of the longer days
//!   (more than 64 slots), so the first free slot of such a day is found
//!   with `trailing_zeros` on 64 slots at a time. A short day's bits live
//!   in its day entry only (one source of truth: the bitset's bits for
//!   short days' slots are left as laid and never read).
//!
//! A query loops over the requested professions × types (usually 1–3 × 2–3)
//! and the days of the window. Booking and releasing flip one bit (and a
//! long day's counter) and at most the day's open bit; nothing allocates
//! after the book starts (its ring is sized for the furthest a booking
//! reaches: [`AppointmentBook::reserve_days_ahead`]).

use crate::engine::{Calendar, SimTime};
use crate::vocab::ids::{ProfessionId, ProfessionSet, StaffId};
use crate::vocab::slot::{ReleaseRules, SlotType, SlotTypeSet};
use crate::vocab::week::WeeklyBlock;

/// A slot's name, unique over the run: its place in the book's ring of
/// pages in the low bits (so the slot is found with a mask), and in the
/// high bits as many low bits of its day as fit (enough to tell apart the
/// days that share that place over the horizon). It stays valid while its day is in the
/// book (from the day it is laid out until the day is past).
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
/// (the search reads their starts). The start fits 32 bits: a horizon is at
/// most 3 660 days (`HorizonDays`), 2^32 seconds are 136 years.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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

/// One slot of a day's template, in a (profession, type) group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TemplateSlot {
    /// Seconds from the day's midnight to the start.
    offset_s: u32,
    /// The book's shape (staff, length, profession, type).
    shape: u32,
    /// Slot length, seconds (the shape's, kept here for the horizon test).
    length_s: u32,
    /// The member's index in [`DaySource::members`] (their day off).
    member: u32,
}

/// Where a book's days come from: per (template, group used) a range of
/// template slots in the day's order (start, staff, then the order added),
/// laid out on a day less the members who are off that day and the slots
/// that would end after the horizon. One mechanism for both builders: a
/// weekly book's templates are its weekdays (a week of slots, however long
/// the horizon); a book of slots added one by one has a template per day.
#[derive(Clone, Debug, Default)]
struct DaySource {
    slots: Vec<TemplateSlot>,
    /// `[template * used_groups.len() + k]`: the range of `slots` of group
    /// `used_groups[k]`.
    ranges: Vec<(u32, u32)>,
    /// The groups (`group_index`) with slots, ascending: a page's order.
    used_groups: Vec<u32>,
    /// `Some(weekday of day 0)`: the template of day `d` is its weekday
    /// (0 = Monday); `None`: day `d`'s own.
    weekday_of_day0: Option<u8>,
    /// The staff members of the slots, by index.
    members: Vec<StaffId>,
    /// Slots ending after this many seconds are not laid out.
    horizon_s: u64,
    /// Days `[0, days)` may have slots.
    days: u64,
    /// The most slots a day has: a page.
    page: u32,
}

impl DaySource {
    /// Day `d`'s template, if the day may have slots.
    #[inline]
    fn template_of(&self, d: u64) -> Option<usize> {
        if d >= self.days {
            return None;
        }
        Some(match self.weekday_of_day0 {
            Some(w0) => ((w0 as u64 + d % 7) % 7) as usize,
            None => d as usize,
        })
    }

    /// Days after which the templates repeat: a week for a weekly book,
    /// one day for a book of a template per day (its pages all as long as
    /// its longest day).
    fn period(&self) -> u64 {
        if self.weekday_of_day0.is_some() { 7 } else { 1 }
    }

    /// How many slots a page at place `p` of a ring of pages (a multiple
    /// of [`Self::period`] long) holds at most: its weekday's template (a
    /// weekend without slots takes no room), or the longest day.
    fn page_len(&self, p: u64) -> u32 {
        let Some(w0) = self.weekday_of_day0 else {
            return self.page;
        };
        let t = ((w0 as u64 + p % 7) % 7) as usize;
        let n = self.used_groups.len();
        self.ranges[t * n..(t + 1) * n]
            .iter()
            .map(|r| r.1 - r.0)
            .sum()
    }

    /// The template slots of day `d` in group `used_groups[k]`.
    #[inline]
    fn slots_of(&self, template: usize, k: usize) -> &[TemplateSlot] {
        let (lo, hi) = self.ranges[template * self.used_groups.len() + k];
        &self.slots[lo as usize..hi as usize]
    }

    /// Whether some day of `[0, days)` lays out a slot, with `off`.
    fn lays_a_slot(&self, off: impl Fn(StaffId, u64) -> bool) -> bool {
        (0..self.days).any(|d| {
            let Some(t) = self.template_of(d) else {
                return false;
            };
            let day_start = d * SimTime::DAY;
            (0..self.used_groups.len()).any(|k| {
                self.slots_of(t, k).iter().any(|e| {
                    day_start + e.offset_s as u64 + e.length_s as u64 <= self.horizon_s
                        && !off(self.members[e.member as usize], d)
                })
            })
        })
    }

    /// The source of template slots `slots` (each with its group, its
    /// template and its member's staff id), sorted by (template, group,
    /// order within the day) already; `members` their distinct staff, sorted.
    fn new(
        slots: impl Iterator<Item = (u32, usize, TemplateSlot)>,
        n_templates: usize,
        members: Vec<StaffId>,
    ) -> Self {
        let mut laid = Vec::new();
        let mut keyed: Vec<(usize, u32, u32)> = Vec::new(); // (template, group, index)
        for (group, template, e) in slots {
            keyed.push((template, group, laid.len() as u32));
            laid.push(e);
        }
        let mut used_groups: Vec<u32> = keyed.iter().map(|k| k.1).collect();
        used_groups.sort_unstable();
        used_groups.dedup();
        let n_used = used_groups.len();
        let mut ranges = vec![(0u32, 0u32); n_templates * n_used];
        for &(t, g, i) in &keyed {
            let k = used_groups.binary_search(&g).unwrap_or_default();
            let r = &mut ranges[t * n_used + k];
            if r.1 == 0 {
                r.0 = i;
            }
            r.1 = i + 1;
        }
        let page = (0..n_templates)
            .map(|t| {
                ranges[t * n_used..(t + 1) * n_used]
                    .iter()
                    .map(|r| r.1 - r.0)
                    .sum::<u32>()
            })
            .max()
            .unwrap_or(0);
        DaySource {
            slots: laid,
            ranges,
            used_groups,
            weekday_of_day0: None,
            members,
            horizon_s: u64::MAX,
            days: 0,
            page,
        }
    }
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
    /// Scratch: slots per (day, group) bucket, then each bucket's first index.
    bucket_at: Vec<u32>,
    /// Scratch: each bucket's next index while placing.
    next: Vec<u32>,
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

    /// Sorts and indexes the slots; the book starts on day 0 with every
    /// slot free and no one off.
    pub fn build(mut self, rules: ReleaseRules) -> AppointmentBook {
        let mut book = self.take_book(rules);
        book.start(|_, _| false);
        book
    }

    /// The book of the slots added since the last book (a template per
    /// day: every day's slots are kept, so its memory is the horizon's; the
    /// booking flow uses it only for blocks that run on across midnight),
    /// not started (see [`AppointmentBook::start`]); the builder keeps its
    /// buffers for the next one.
    pub fn take_book(&mut self, rules: ReleaseRules) -> AppointmentBook {
        let (shapes, shape_of_raw, n_prof) =
            distinct_shapes(self.raw_shapes.clone(), self.raw_shapes.iter().copied());
        let n_groups = n_prof * SlotType::ALL.len();
        let start_of = |a: &Added| (a.start_staff >> 32) as u32;
        let day_of = |a: &Added| start_of(a) as usize / SimTime::DAY as usize;
        let days = self.slots.iter().map(|a| day_of(a) + 1).max().unwrap_or(0);
        // Sorted by (day, profession, type, start, staff), stably: a
        // counting sort into (day, group) buckets, then each bucket — one
        // group's slots of one day, a few dozen — by (start, staff).
        let bucket = |a: &Added| day_of(a) * n_groups + a.group as usize;
        let n_buckets = days * n_groups;
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
        for b in 0..n_buckets {
            let (lo, hi) = (self.bucket_at[b] as usize, self.bucket_at[b + 1] as usize);
            self.sorted[lo..hi].sort_by_key(|a| a.start_staff);
        }
        let mut members: Vec<StaffId> = shapes.iter().map(|s| s.staff).collect();
        members.sort_unstable();
        members.dedup();
        let member_of = |s: StaffId| members.binary_search(&s).unwrap_or_default() as u32;
        let template_slots: Vec<_> = self
            .sorted
            .iter()
            .map(|a| {
                let shape = shape_of_raw[a.raw_shape as usize];
                let s = shapes[shape as usize];
                let d = day_of(a);
                let e = TemplateSlot {
                    offset_s: start_of(a) - (d as u64 * SimTime::DAY) as u32,
                    shape,
                    length_s: s.length_s,
                    member: member_of(s.staff),
                };
                (a.group, d, e)
            })
            .collect();
        let mut source = DaySource::new(template_slots.into_iter(), days, members);
        source.days = days as u64;
        self.slots.clear();
        self.raw_shapes.clear();
        let has_slots = !source.slots.is_empty();
        AppointmentBook::new(source, shapes, rules, n_prof, has_slots)
    }

    /// The book of `runs` (every one [`WeeklyRun::laid_out_by_day`]) over
    /// `[0, horizon)`: the same book as adding, run by run in order, each
    /// run's slots on every day of the horizon whose weekday the block names
    /// and `off(staff, day)` is false, then [`Self::take_book`] — but its
    /// days are laid out from one template per weekday as the book rolls
    /// (with the `off` given then: see [`AppointmentBook::start`]). Here
    /// `off` only says whether the book has a slot at all
    /// ([`AppointmentBook::is_empty`]).
    ///
    /// Each (weekday, profession, type) template is its runs' slots of
    /// the day sorted by (start within the day, staff, run).
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
        // Every slot starts before the horizon: its start fits 32 bits.
        assert!(
            u32::try_from(horizon.0).is_ok(),
            "a slot starts within 2^32 s (136 years); horizons are at most 3 660 days"
        );
        let shape_of = |run: &WeeklyRun| Shape {
            staff: run.staff,
            length_s: run.slot_s,
            profession: run.profession,
            kind: run.kind,
        };
        let (shapes, shape_of_run, n_prof) = distinct_shapes(
            runs.iter().map(shape_of).collect(),
            runs.iter().map(shape_of),
        );
        let mut members: Vec<StaffId> = runs.iter().map(|r| r.staff).collect();
        members.sort_unstable();
        members.dedup();
        // (group, weekday, offset_staff, run) and the slot.
        let mut template: Vec<(u32, usize, u64, u32, TemplateSlot)> = Vec::new();
        for (r, run) in runs.iter().enumerate() {
            let b = run.block;
            let member = members.binary_search(&run.staff).unwrap_or_default() as u32;
            for weekday in (0..7).filter(|w| b.days & (1 << w) != 0) {
                let mut t = b.start_s;
                while t + run.slot_s <= b.end_s {
                    template.push((
                        group_index(run.profession, run.kind) as u32,
                        weekday,
                        (t as u64) << 32 | run.staff.0 as u64,
                        r as u32,
                        TemplateSlot {
                            offset_s: t,
                            shape: shape_of_run[r],
                            length_s: run.slot_s,
                            member,
                        },
                    ));
                    t += run.slot_s;
                }
            }
        }
        template.sort_unstable_by_key(|e| (e.1, e.0, e.2, e.3));
        let mut source = DaySource::new(template.iter().map(|e| (e.0, e.1, e.4)), 7, members);
        source.weekday_of_day0 = Some(calendar.weekday(0).index() as u8);
        source.horizon_s = horizon.0;
        source.days = horizon.day() + 1;
        let has_slots = source.lays_a_slot(off);
        AppointmentBook::new(source, shapes, rules, n_prof, has_slots)
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
/// book's pages and which of them are free. A day of at most 64 slots (a
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
    /// Ring of the book's days: day `d` at `d & (ring days - 1)`.
    days: Vec<Day>,
    /// Ring of bits: bit `d & (ring days - 1)` set when day `d` has a free
    /// slot (the ring is whole words, so a day's word is `d / 64` modulo
    /// the words).
    open_days: Vec<u64>,
    /// The book's release days for the group's slot type (set with the
    /// book, so a search does not look the type's rule up per group).
    release_days: u64,
}

impl Group {
    /// The first day in `[from, to]` with a free slot (`to - from` less
    /// than the ring's days).
    #[inline]
    fn next_open_day(&self, from: u64, to: u64) -> Option<u64> {
        let words = self.open_days.len() - 1; // a power of two, less one
        let mut d = from;
        while d <= to {
            let word = self.open_days[(d / 64) as usize & words] >> (d % 64);
            if word != 0 {
                let found = d + word.trailing_zeros() as u64;
                return (found <= to).then_some(found);
            }
            d = (d / 64 + 1) * 64;
        }
        None
    }
}

/// Sets the bits of slots `[from, to)` in `free`.
fn set_free(free: &mut [u64], from: usize, to: usize) {
    for i in from..to {
        free[i / 64] |= 1 << (i % 64);
    }
}

/// `lcm(n, 2^k)` (`n` at least 1): the days after which a place of a ring
/// of `n` pages and `k` low bits of the day repeat together.
fn lcm_with_power_of_two(n: u64, k: u32) -> u64 {
    let n = n.max(1);
    (n >> n.trailing_zeros().min(k)) << k
}

fn group_index(p: ProfessionId, k: SlotType) -> usize {
    p.index() * SlotType::ALL.len() + k as usize
}

/// The fewest days a book's ring holds (one word of open-day bits).
const MIN_RING_DAYS: u64 = 64;

/// A unit's appointment book with its index.
#[derive(Clone, Debug)]
pub struct AppointmentBook {
    /// The ring of day pages: day `d`'s slots from `page_start[d %
    /// page_days]`, in (profession, type, start, staff) order.
    slots: Vec<Stored>,
    /// Per slot of the pages: the patient who booked it last, plus one (0:
    /// no one; read when its staff member is away).
    holders: Vec<u32>,
    /// What the slots share, indexed by `Stored::shape`.
    shapes: Vec<Shape>,
    groups: Vec<Group>,
    /// Free slots of the long days (see [`Day`]); a short day's slots'
    /// bits here are stale.
    free: Vec<u64>,
    /// The professions with groups in the book, as a set's bits.
    prof_mask: u64,
    /// How the days are laid out; `None` for a book without slots (most
    /// units' books in each group's model of a region), which so stays
    /// small.
    layout: Option<Box<Layout>>,
    /// Days `[0, days)` may have slots (the source's).
    days: u64,
    /// Days the groups' rings of day entries hold: a power of two (a day's
    /// place is a mask), at least [`MIN_RING_DAYS`] and `page_days`.
    ring_days: u64,
    /// Pages the ring of pages holds: the days a search reaches, rounded
    /// up to a multiple of the templates' period (so a place is always the
    /// same weekday, and its page as long as that weekday's template).
    page_days: u64,
    /// The low bits of a [`SlotId`] that hold its index in `slots`.
    place_bits: u32,
    /// `(1 << place_bits) - 1`.
    place_mask: u32,
    /// The first day held (earlier days are gone).
    first_day: u64,
    /// Days `[first_day, laid_until)` are laid out.
    laid_until: u64,
    /// A roll on the first day for times released by an earlier day
    /// than this has nothing to lay out (`laid_until` less the longest
    /// release rule; never, once the horizon's last day is laid out).
    released_until: u64,
    /// The longest release rule, days: how far ahead of its day a search
    /// reads.
    max_release: u64,
    /// Whether any day of the horizon has a slot.
    has_slots: bool,
}

/// What a book with slots reads only as it lays its days out (kept out of
/// line: the search and the booking never read it).
#[derive(Clone, Debug)]
struct Layout {
    /// Where the days come from.
    source: DaySource,
    /// Where each place of the ring of pages starts in the book's slots,
    /// and the end (`page_days + 1` entries).
    page_start: Vec<u32>,
    /// Scratch while laying out a day: which members are off.
    off_today: Vec<bool>,
}

impl AppointmentBook {
    /// The book of `source`'s days, not started.
    fn new(
        source: DaySource,
        shapes: Vec<Shape>,
        rules: ReleaseRules,
        n_prof: usize,
        has_slots: bool,
    ) -> Self {
        let max_release = SlotType::ALL
            .iter()
            .map(|&k| rules.days(k) as u64)
            .max()
            .unwrap_or(0);
        // A book without slots (most units of a region, in each group's
        // model) holds no pages at all.
        let page_days = if source.used_groups.is_empty() {
            0
        } else {
            (max_release + 1).next_multiple_of(source.period())
        };
        let ring_days = page_days.next_power_of_two().max(MIN_RING_DAYS);
        let mut groups = vec![Group::default(); n_prof * SlotType::ALL.len()];
        for (gi, g) in groups.iter_mut().enumerate() {
            g.release_days = rules.days(SlotType::ALL[gi % SlotType::ALL.len()]) as u64;
        }
        let prof_mask = if n_prof >= 64 {
            u64::MAX
        } else {
            (1u64 << n_prof) - 1
        };
        let days = source.days;
        let layout = (page_days > 0).then(|| {
            Box::new(Layout {
                off_today: vec![false; source.members.len()],
                page_start: Vec::new(),
                source,
            })
        });
        AppointmentBook {
            slots: Vec::new(),
            holders: Vec::new(),
            shapes,
            groups,
            free: Vec::new(),
            prof_mask,
            layout,
            days,
            ring_days,
            page_days,
            place_bits: 0,
            place_mask: 0,
            first_day: 0,
            laid_until: 0,
            released_until: 0,
            max_release,
            has_slots,
        }
        // (The ring is allocated when the book starts, at the size
        // `reserve_days_ahead` asks for.)
    }

    /// Sizes the ring, before the book starts, for searches that read up
    /// to `days` days past today plus the longest release rule (a
    /// follow-up from its lead day); `None`: no bound (a lead time without
    /// an upper end), so the ring holds the whole horizon. The ring does
    /// not grow as the run goes: a slot's id is its place in the ring.
    pub fn reserve_days_ahead(&mut self, days: Option<u64>) {
        let Some(layout) = self.layout.as_deref_mut() else {
            return; // no slots, no pages
        };
        let days = days.map_or(u64::MAX, |d| d.saturating_add(self.max_release + 1));
        let need = days.min(self.days.max(1));
        let page_days = need.next_multiple_of(layout.source.period());
        if page_days > self.page_days {
            self.page_days = page_days;
            self.ring_days = page_days.next_power_of_two().max(MIN_RING_DAYS);
            // (Allocated again as the book starts.)
            layout.page_start.clear();
        }
    }

    /// Sizes the pages for `page_days` and the groups' rings for
    /// `ring_days`, all empty.
    fn allocate_ring(&mut self) {
        let Some(layout) = self.layout.as_deref_mut() else {
            return;
        };
        layout.page_start.clear();
        layout.page_start.push(0);
        let mut n = 0usize;
        for p in 0..self.page_days {
            n += layout.source.page_len(p) as usize;
            layout.page_start.push(
                u32::try_from(n).expect("a book's ring of pages holds fewer than 2^32 slots"),
            );
        }
        // Ids: the index in the ring, and above it as many low bits of the
        // day as fit, which must tell apart the days laid at one place (a
        // multiple of `page_days` apart) over the horizon: they repeat
        // every `lcm(page_days, 2^bits)` days.
        self.place_bits = u32::BITS - (n as u32).leading_zeros();
        assert!(
            lcm_with_power_of_two(self.page_days, 32 - self.place_bits) >= self.days,
            "a book's slot ids fit 32 bits: a ring of {n} slots over {} days does not",
            self.days
        );
        self.place_mask = ((1u64 << self.place_bits) - 1) as u32;
        // Zeroed memory from the allocator (no fill): the slots are written
        // as their days are laid out, and no one holds a slot (0).
        self.slots = vec![Stored::default(); n];
        self.holders = vec![0; n];
        self.free = vec![0; n.div_ceil(64)];
        for &g in &layout.source.used_groups {
            let g = &mut self.groups[g as usize];
            g.days.clear();
            g.days.resize(self.ring_days as usize, Day::default());
            g.open_days.clear();
            g.open_days.resize((self.ring_days / 64) as usize, 0);
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

    /// Starts the book on day 0 with every slot free (a worker's next
    /// replication of the same scenario starts the book again instead of
    /// building it): lays out the days a search on day 0 reads, without
    /// the members' times on the days `off(staff, day)` says they are off.
    pub fn start(&mut self, off: impl Fn(StaffId, u64) -> bool) {
        if (self.layout.as_ref()).is_some_and(|l| l.page_start.len() as u64 != self.page_days + 1) {
            self.allocate_ring();
        }
        self.first_day = 0;
        self.laid_until = 0;
        self.released_until = 0;
        let used = self
            .layout
            .as_ref()
            .map_or(&[][..], |l| &l.source.used_groups);
        for &g in used {
            let g = &mut self.groups[g as usize];
            g.days.fill(Day::default());
            g.open_days.fill(0);
        }
        self.roll(0, 0, off);
    }

    /// Rolls the book to `today`: days before it are gone, and every day a
    /// search today for times released by day `released_by` (today, or a
    /// later day for a follow-up) may read is laid out, without the
    /// members' times on the days `off(staff, day)` says they are off. A
    /// search must be preceded by a roll to its day, no further ahead than
    /// the ring was sized for ([`Self::reserve_days_ahead`]).
    #[inline]
    pub fn roll(&mut self, today: u64, released_by: u64, off: impl Fn(StaffId, u64) -> bool) {
        // Most searches: the same day as the last, nothing further ahead.
        if today == self.first_day && released_by.max(today) < self.released_until {
            return;
        }
        self.roll_on(today, released_by, off);
        self.released_until = if self.laid_until >= self.days {
            u64::MAX
        } else {
            self.laid_until.saturating_sub(self.max_release)
        };
    }

    /// [`Self::roll`] past its first test.
    #[inline(never)]
    fn roll_on(&mut self, today: u64, released_by: u64, off: impl Fn(StaffId, u64) -> bool) {
        if today > self.first_day {
            self.first_day = today;
            self.laid_until = self.laid_until.max(today);
        }
        let days = self.days;
        let through = (released_by.max(today) + self.max_release).min(days.saturating_sub(1));
        if self.laid_until > through {
            return;
        }
        if self.page_days == 0 {
            // No slots: nothing to lay out.
            self.laid_until = through + 1;
            return;
        }
        // The ring was sized for the furthest a search reaches
        // (`reserve_days_ahead`); a day past it would overwrite a day held.
        debug_assert!(
            through - self.first_day < self.page_days,
            "a search to day {through} reaches past a ring of {} days from day {}",
            self.page_days,
            self.first_day
        );
        let through = through.min(self.first_day + self.page_days - 1);
        while self.laid_until <= through {
            self.lay_out(self.laid_until, &off);
            self.laid_until += 1;
        }
    }

    /// Lays day `d` out in its page (over the day a ring earlier).
    fn lay_out(&mut self, d: u64, off: &impl Fn(StaffId, u64) -> bool) {
        let Some(layout) = self.layout.as_deref_mut() else {
            return; // no slots
        };
        let r = (d & (self.ring_days - 1)) as usize;
        // The one division of a day's place: once as it is laid out.
        let p = (d % self.page_days) as usize;
        let (base, end) = (
            layout.page_start[p] as usize,
            layout.page_start[p + 1] as usize,
        );
        let source = &layout.source;
        let template = source.template_of(d);
        if template.is_some() {
            for (is_off, &m) in layout.off_today.iter_mut().zip(&source.members) {
                *is_off = off(m, d);
            }
        }
        let day_start = d * SimTime::DAY;
        // Only the horizon's last day can end before a slot does.
        let clipped = day_start + SimTime::DAY > source.horizon_s;
        let page = &mut self.slots[base..end];
        let mut at = base;
        for (k, &g) in source.used_groups.iter().enumerate() {
            let first = at;
            if let Some(t) = template {
                for e in source.slots_of(t, k) {
                    let start = day_start + e.offset_s as u64;
                    if layout.off_today[e.member as usize]
                        || (clipped && start + e.length_s as u64 > source.horizon_s)
                    {
                        continue;
                    }
                    page[at - base] = Stored {
                        start_s: start as u32,
                        shape: e.shape,
                    };
                    at += 1;
                }
            }
            let len = (at - first) as u32;
            let group = &mut self.groups[g as usize];
            group.days[r] = Day::all_free(first as u32, len);
            let bit = 1u64 << (r % 64);
            if len > 0 {
                group.open_days[r / 64] |= bit;
            } else {
                group.open_days[r / 64] &= !bit;
            }
            if len > 64 {
                set_free(&mut self.free, first, at);
            }
        }
        self.holders[base..end].fill(0);
    }

    /// The groups (`group_index`) with slots, ascending.
    fn used_groups(&self) -> &[u32] {
        self.layout
            .as_ref()
            .map_or(&[], |l| l.source.used_groups.as_slice())
    }

    /// The slots the book holds (free or not, laid out or not): bounded by
    /// how far ahead searches reach, not by the horizon.
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Where slot `id` is in the pages.
    #[inline]
    fn index(&self, id: SlotId) -> usize {
        (id.0 & self.place_mask) as usize
    }

    /// The id of the slot at index `i` of the pages.
    #[inline]
    fn id_of(&self, i: usize) -> SlotId {
        self.id_at(i, self.slots[i].start().day())
    }

    /// The id of the slot at index `i` of the pages, on day `day`.
    #[inline]
    fn id_at(&self, i: usize, day: u64) -> SlotId {
        // (The day's bits that fit above the index.)
        SlotId((day << self.place_bits) as u32 | i as u32)
    }

    /// Whether the day of slot `id` is laid out (not yet gone): its place
    /// holds a day of the book with the id's bits of the day (a place laid
    /// over since holds a later day; a place of a day gone, an earlier).
    #[inline]
    fn holds(&self, id: SlotId) -> bool {
        let Some(s) = self.slots.get(self.index(id)) else {
            return false;
        };
        let day = s.start().day();
        (day << self.place_bits) as u32 == id.0 & !self.place_mask
            && (self.first_day..self.laid_until).contains(&day)
    }

    /// The slot `id` (its day in the book).
    pub fn slot(&self, id: SlotId) -> Slot {
        debug_assert!(self.holds(id), "slot {id:?} is not in the book");
        self.slot_at(self.index(id))
    }

    /// The slot at index `i` of the pages.
    #[inline]
    fn slot_at(&self, i: usize) -> Slot {
        let s = self.slots[i];
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

    /// True if no day of the horizon has a slot.
    pub fn is_empty(&self) -> bool {
        !self.has_slots
    }

    /// The ids of the slots of the days laid out, by day, then profession,
    /// type, start and staff.
    pub fn slot_ids(&self) -> impl Iterator<Item = SlotId> + '_ {
        let mask = self.ring_days - 1;
        (self.first_day..self.laid_until).flat_map(move |d| {
            self.used_groups().iter().flat_map(move |&g| {
                let day = self.groups[g as usize].days[(d & mask) as usize];
                (day.first as usize..(day.first + day.len) as usize).map(|i| self.id_of(i))
            })
        })
    }

    /// The day entry of group `g` on day `day`, if the day is laid out.
    #[inline]
    fn day_entry(&self, g: usize, day: u64) -> Option<&Day> {
        if !(self.first_day..self.laid_until).contains(&day) {
            return None;
        }
        let g = self.groups.get(g)?;
        g.days.get((day & (self.ring_days - 1)) as usize)
    }

    /// Free slots of `profession` and `kind` on `day` (0 for a day not in
    /// the book).
    pub fn free_count(&self, profession: ProfessionId, kind: SlotType, day: u64) -> u32 {
        self.day_entry(group_index(profession, kind), day)
            .map_or(0, Day::free_count)
    }

    /// Whether slot `id` is free.
    pub fn is_free(&self, id: SlotId) -> bool {
        debug_assert!(self.holds(id), "slot {id:?} is not in the book");
        let i = self.index(id);
        let (g, r, _) = self.place_of(i);
        let day = &self.groups[g].days[r];
        if day.short() {
            day.free >> (i - day.first as usize) & 1 != 0
        } else {
            self.free[i / 64] & (1 << (i % 64)) != 0
        }
    }

    /// The patient who booked slot `id` last with [`Self::hold`], if any
    /// (since its day was laid out).
    pub fn holder(&self, id: SlotId) -> Option<u32> {
        let p = self.holders[self.index(id)];
        p.checked_sub(1)
    }

    /// The slots held (booked with [`Self::hold`] and not released since)
    /// with their patients, or released after being held: every slot with
    /// a holder.
    pub fn held(&self) -> impl Iterator<Item = (SlotId, u32)> + '_ {
        self.slot_ids()
            .filter_map(|id| self.holder(id).map(|p| (id, p)))
    }

    /// The first free slot index in `[from, to)` of the pages.
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
        let mut visit = |j, _day| visit(j);
        if until <= from {
            return;
        }
        let days = self.days_from(from);
        self.for_groups(professions, types, |g| {
            self.scan_group(g, now, (from, until), days, &mut visit);
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
    /// The days a search from `from` reads: from `from`'s day through the
    /// last day laid out. A search reads no time before the day the book
    /// was rolled to (the days before are gone: their places in the ring
    /// may hold later days).
    #[inline]
    fn days_from(&self, from: SimTime) -> (u64, u64) {
        debug_assert!(
            from.day() >= self.first_day,
            "a search from day {} in a book rolled to day {}",
            from.day(),
            self.first_day
        );
        // (A book is laid out from day 0 on as it starts; before, it has
        // no groups to search.)
        (from.day(), self.laid_until.wrapping_sub(1))
    }

    /// [`Self::scan`] within one group (`from < until`; `days` from
    /// [`Self::days_from`]); `visit` (a free slot's index and day) returns
    /// false to stop.
    #[inline]
    fn scan_group(
        &self,
        g: &Group,
        now: SimTime,
        (from, until): (SimTime, SimTime),
        (first_day, last_laid): (u64, u64),
        mut visit: impl FnMut(usize, u64) -> bool,
    ) {
        let last_day = (until.0 - 1) / SimTime::DAY;
        let last_bookable = now.day() + g.release_days;
        let end_day = last_bookable.min(last_day);
        // The book was rolled to read every day this search may: a day
        // not laid out would read as booked.
        debug_assert!(
            end_day < self.laid_until || self.laid_until >= self.days,
            "search to day {end_day} in a book laid out to day {}",
            self.laid_until
        );
        let end_day = end_day.min(last_laid);
        // The ring's length, a power of two (and not zero: `for_groups`
        // passes only groups with days).
        let mask = g.days.len() as u64 - 1;
        let mut next = first_day;
        while let Some(d) = g.next_open_day(next, end_day) {
            next = d + 1;
            let day = g.days[(d & mask) as usize];
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
                    if start >= until || !visit(j, d) {
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
                if self.slots[j].start() >= until || !visit(j, d) {
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
        let mut best: Option<(usize, u64)> = None;
        let days = self.days_from(from);
        self.for_groups(professions, types, |g| {
            if until <= from {
                return false;
            }
            self.scan_group(g, now, (from, until), days, |j, day| {
                best = Some((j, day));
                until = self.slots[j].start();
                false
            });
            true
        });
        best.map(|(b, day)| self.id_at(b, day))
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
        best.map(|b| self.id_of(b))
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
        // Collect the n earliest of each group, keep the n earliest overall
        // (ties by place in the pages: a day's page is in group order).
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
        best.get(n - 1).map(|&b| self.id_of(b))
    }

    /// Every slot (free or booked) of `staff`, of `profession`, on `day`
    /// (laid out), by type then start (a staff member's day when they are
    /// away).
    pub fn slots_of(&self, staff: StaffId, profession: ProfessionId, day: u64) -> Vec<SlotId> {
        debug_assert!(
            (self.first_day..self.laid_until).contains(&day) || day >= self.days,
            "day {day} is not in the book"
        );
        let mut out = Vec::new();
        for kind in SlotType::ALL {
            let Some(d) = self.day_entry(group_index(profession, kind), day) else {
                continue;
            };
            let (lo, hi) = (d.first as usize, (d.first + d.len) as usize);
            out.extend(
                (lo..hi)
                    .filter(|&i| self.staff_of(i) == staff)
                    .map(|i| self.id_of(i)),
            );
        }
        out
    }

    /// The slot at index `i`'s group (`group_index`), ring place and start.
    #[inline]
    fn place_of(&self, i: usize) -> (usize, usize, SimTime) {
        let s = self.slots[i];
        let shape = self.shapes[s.shape as usize];
        let start = s.start();
        (
            group_index(shape.profession, shape.kind),
            (start.day() & (self.ring_days - 1)) as usize,
            start,
        )
    }

    /// Books slot `id` (its day in the book); returns its start.
    pub fn book(&mut self, id: SlotId) -> SimTime {
        debug_assert!(self.is_free(id), "slot {id:?} booked twice");
        self.book_at(self.index(id))
    }

    /// Books the slot at index `i` of the pages; returns its start.
    #[inline(always)]
    fn book_at(&mut self, i: usize) -> SimTime {
        let (g, r, start) = self.place_of(i);
        let g = &mut self.groups[g];
        let day = &mut g.days[r];
        if day.short() {
            day.free &= !(1u64 << (i - day.first as usize));
        } else {
            self.free[i / 64] &= !(1 << (i % 64));
            day.free -= 1;
        }
        // The day was open (this slot was free): closed only by its last.
        if day.free == 0 {
            g.open_days[r / 64] &= !(1 << (r % 64));
        }
        start
    }

    /// Books slot `id` for `patient` (see [`Self::holder`]); returns the
    /// slot.
    #[inline(always)]
    pub fn hold(&mut self, id: SlotId, patient: u32) -> Slot {
        debug_assert!(self.is_free(id), "slot {id:?} booked twice");
        let i = self.index(id);
        self.holders[i] = patient + 1;
        self.book_at(i);
        self.slot_at(i)
    }

    /// Frees slot `id` again (a cancellation); a slot whose day is gone
    /// stays gone.
    pub fn release(&mut self, id: SlotId) {
        if !self.holds(id) {
            return;
        }
        let i = self.index(id);
        let (g, r, _) = self.place_of(i);
        let g = &mut self.groups[g];
        let day = &mut g.days[r];
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
        g.open_days[r / 64] |= 1 << (r % 64);
    }
}

#[cfg(test)]
mod tests;
