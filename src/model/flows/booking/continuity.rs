//! Continuity of care (`fast läkarkontakt`, `fast vårdkontakt`): who each
//! listed patient is, who their named clinicians are, and what their booked
//! visits were in the year.
//!
//! A unit's listed patients are indexes `0..listed`, in blocks by age group
//! (sized by the age groups' shares). Each new contact belongs to one of
//! them, drawn uniformly within its age group's block from the patient's
//! own stream `TAG_LISTED` (so no other stream moves, and the same contact
//! is the same person in every scenario); a follow-up is its visit's
//! patient. Named clinicians are given before the run, deterministically:
//! the named patients are spread evenly over the indexes (so over the age
//! groups) and dealt to the unit's employed clinicians of the profession by
//! smooth weighted round robin on their weekly visit hours, so a clinician's
//! list size follows from the share and their hours. Hired staff and vacant
//! posts get nobody.
//!
//! Memory is fixed by the listed patients (two named clinicians and the
//! visits seen per patient, overall and by category), allocated once per
//! replication; a visit or a booking only adds to counters. The shares by
//! category, age group and profession of first contact are counted in one
//! joint (category, age group, profession) cell a visit or booking and
//! summed into their breakdowns as the run ends (whole numbers: the same
//! counts as one add per breakdown).

use rand::Rng as _;

use crate::engine::{PatientRng, SimTime};
use crate::scenario::spec::Scenario;
use crate::vocab::ids::{AgeId, ProfessionId, StaffId, UnitId};

/// Tag of the per-patient stream that draws which listed patient a contact
/// is (see `flows::TAG_BLOCKS`).
pub const TAGS: std::ops::Range<u64> = 2_100..2_101;
const TAG_LISTED: u64 = TAGS.start;

/// No one (no named clinician, no listed patient).
pub(crate) const NOBODY: u32 = u32::MAX;

/// Breakdown dimensions of the counters, by index.
pub(crate) const BY_UNIT: usize = 0;
pub(crate) const BY_CATEGORY: usize = 1;
pub(crate) const BY_AGE: usize = 2;
/// Profession of the episode's first contact (counted by the first rule
/// that counts every contact: `contact_same_day`, `first_contact_rule`).
pub(crate) const BY_FIRST: usize = 3;

/// A part and its whole (a share's numerator and denominator).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ratio {
    /// Counted in the part.
    pub part: u64,
    /// Counted in all.
    pub whole: u64,
}

impl Ratio {
    fn add(&mut self, hit: bool) {
        self.whole += 1;
        self.part += hit as u64;
    }

    fn merge(&mut self, other: Ratio) {
        self.whole += other.whole;
        self.part += other.part;
    }
}

/// What continuity counted, after the warm-up.
#[derive(Clone, Debug, Default)]
pub struct ContinuityRecords {
    /// Some unit has `[units.<u>.continuity]`: the metrics are written.
    pub on: bool,
    /// Doctor visits of patients with a named doctor (whole) and with that
    /// doctor (part); by unit, category, age group and profession of first
    /// contact.
    pub named_doctor: [Vec<Ratio>; 4],
    /// Visits (any profession) of patients with a named clinician (whole)
    /// and with one of them (part), by the same groups.
    pub named_any: [Vec<Ratio>; 4],
    /// Bookings that could take the named clinician within the category's
    /// tolerance (whole) and that waited for them past an earlier free time
    /// (part); by unit, category and age group.
    pub asked: [Vec<Ratio>; 3],
    /// The extra seconds those waits took, by the same groups.
    pub extra_s: [Vec<u64>; 3],
    /// Usual-provider-of-care index of the listed patients with at least two
    /// booked visits: sum of the indexes and patients, by unit and age group.
    pub upc: [Vec<(f64, u64)>; 2],
    /// Per category: the usual-provider-of-care index of a patient's visits
    /// *within* the category (patients with at least two visits in it): sum
    /// of the indexes and patients.
    pub upc_in_category: Vec<(f64, u64)>,
    /// Visits whose (category, clinician) pair found no free place in the
    /// patient's `PAIRS` (counted in their category's total only, so that
    /// category's index is at worst underestimated; tested to be rare).
    pub untracked_in_category: u64,
    /// Visits counted for the index within the category (the whole of
    /// `untracked_in_category`).
    pub visits_in_category: u64,
    /// Per unit: listed patients with a named doctor, and the doctors they
    /// are shared among.
    pub lists: Vec<(u64, u64)>,
}

/// A listed patient's booked visits in the measured period: the first three
/// clinicians seen with their counts (a fourth and later clinician count in
/// `total` only: the usual provider is then at worst underestimated, which
/// takes four or more clinicians in a year).
#[derive(Clone, Copy, Debug, Default)]
struct Seen {
    staff: [u32; 3],
    count: [u16; 3],
    total: u16,
}

/// Places per listed patient for the (category, clinician) pairs of their
/// visits: a patient's index within a category needs the visits with each
/// clinician in that category. On the default (4.5 visits per listed
/// patient a year, many with one of eight nurses or six doctors), the
/// visits of pairs past the sixth are 4 % of all, past the tenth 0.1 %,
/// past the twelfth under 0.01 % (seed 13).
pub(crate) const PAIRS: usize = 12;

/// One (category, clinician) pair of a listed patient's visits and its
/// count (0: a free place).
#[derive(Clone, Copy, Debug, Default)]
struct Pair {
    staff: u32,
    count: u16,
    category: u16,
}

/// A visit's or a booking's groups for the breakdowns: the patient's unit,
/// category and age group.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PatientGroups {
    pub unit: usize,
    pub category: usize,
    pub age: usize,
}

/// A joint cell's visits for the named-clinician shares.
#[derive(Clone, Copy, Debug, Default)]
struct ShareCell {
    any: Ratio,
    doctor: Ratio,
}

/// A joint (category, age group) cell's bookings asked for a named
/// clinician and the extra seconds waited.
#[derive(Clone, Copy, Debug, Default)]
struct AskedCell {
    asked: Ratio,
    extra_s: u64,
}

/// Continuity's state: `Booking::continuity`.
#[derive(Debug, Default)]
pub(crate) struct Continuity {
    /// Per unit and age group: the first listed index of the block
    /// (`units × (ages + 1)`, the last of a unit its end).
    age_first: Vec<u32>,
    n_ages: usize,
    /// Per listed patient: named doctor and named contact (staff arena
    /// index, or [`NOBODY`]).
    named: Vec<[u32; 2]>,
    /// Per listed patient: visits seen.
    seen: Vec<Seen>,
    /// Per listed patient: visits by (category, clinician).
    pairs: Vec<[Pair; PAIRS]>,
    /// Per listed patient and category (`listed × n_cat`): visits, the
    /// denominator of the index within the category.
    in_category: Vec<u16>,
    n_cat: usize,
    /// Per (category, age group, profession of first contact or none):
    /// the named-clinician shares' visits; summed into their category, age
    /// and profession breakdowns by `finish`.
    shares: Vec<ShareCell>,
    /// Professions + 1 (the last: no first contact).
    n_first: usize,
    /// Per (category, age group): bookings asked for a named clinician.
    asked: Vec<AskedCell>,
    /// The counters (the unit breakdowns as counted; the others filled from
    /// the cells by `finish`).
    pub rec: ContinuityRecords,
}

impl Continuity {
    /// Whether continuity is in the scenario.
    #[inline]
    pub fn on(&self) -> bool {
        self.rec.on
    }

    /// Gives each unit's listed patients their blocks and named clinicians.
    /// `staff` is the staff arena: (unit, profession, weekly visit hours,
    /// employed).
    pub fn build(
        sc: &Scenario,
        doctor: Option<ProfessionId>,
        staff: &[(UnitId, ProfessionId, f64, bool)],
    ) -> Self {
        let mut c = Continuity::default();
        if sc.units.iter().all(|u| u.continuity.is_none()) {
            return c;
        }
        let n_ages = sc.age_groups.len();
        let total_share: f64 = sc.age_groups.iter().map(|a| a.share).sum();
        let mut first = 0u32;
        let n_units = sc.units.len();
        let n_cat = sc.categories.len();
        let n_prof = sc.professions.len();
        c.rec = ContinuityRecords {
            on: true,
            named_doctor: [
                vec![Ratio::default(); n_units],
                vec![Ratio::default(); n_cat],
                vec![Ratio::default(); n_ages],
                vec![Ratio::default(); n_prof],
            ],
            named_any: [
                vec![Ratio::default(); n_units],
                vec![Ratio::default(); n_cat],
                vec![Ratio::default(); n_ages],
                vec![Ratio::default(); n_prof],
            ],
            asked: [
                vec![Ratio::default(); n_units],
                vec![Ratio::default(); n_cat],
                vec![Ratio::default(); n_ages],
            ],
            extra_s: [vec![0; n_units], vec![0; n_cat], vec![0; n_ages]],
            upc: [vec![(0.0, 0); n_units], vec![(0.0, 0); n_ages]],
            upc_in_category: vec![(0.0, 0); n_cat],
            untracked_in_category: 0,
            visits_in_category: 0,
            lists: vec![(0, 0); n_units],
        };
        let listed_total: usize = sc.units.iter().map(|u| u.listed as usize).sum();
        c.named = vec![[NOBODY; 2]; listed_total];
        c.seen = vec![Seen::default(); listed_total];
        c.pairs = vec![[Pair::default(); PAIRS]; listed_total];
        c.in_category = vec![0; listed_total * n_cat];
        c.n_cat = n_cat;
        c.n_ages = n_ages;
        c.n_first = n_prof + 1;
        c.shares = vec![ShareCell::default(); n_cat * n_ages * c.n_first];
        c.asked = vec![AskedCell::default(); n_cat * n_ages];
        for (u, unit) in sc.units.iter().enumerate() {
            let base = first;
            let mut cum = 0.0;
            for a in &sc.age_groups {
                c.age_first
                    .push(base + (unit.listed as f64 * cum / total_share).round() as u32);
                cum += a.share;
            }
            c.age_first.push(base + unit.listed);
            first = base + unit.listed;
            let Some(spec) = unit.continuity else {
                continue;
            };
            let who = [
                (doctor, spec.named_doctor_share),
                (Some(spec.named_contact), spec.named_contact_share),
            ];
            for (k, (profession, share)) in who.into_iter().enumerate() {
                let Some(profession) = profession else {
                    continue;
                };
                // Smooth weighted round robin over the clinicians.
                let mut clinicians: Vec<(u32, f64, f64)> = staff
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.0.index() == u && m.1 == profession && m.3 && m.2 > 0.0)
                    .map(|(s, m)| (s as u32, m.2, 0.0))
                    .collect();
                if clinicians.is_empty() || share <= 0.0 {
                    continue;
                }
                let weight: f64 = clinicians.iter().map(|m| m.1).sum();
                let mut named = 0u64;
                for i in 0..unit.listed as u64 {
                    // Evenly spread: patient i is named when the running
                    // count of `share × patients` passes a whole number.
                    let before = (i as f64 * share).floor();
                    if ((i + 1) as f64 * share).floor() <= before {
                        continue;
                    }
                    // Every clinician gains their weight; the first with
                    // the most current weight is picked (one pass).
                    let (mut pick, mut top) = (0, f64::NEG_INFINITY);
                    for (j, m) in clinicians.iter_mut().enumerate() {
                        m.2 += m.1;
                        if j == 0 || m.2 > top {
                            (pick, top) = (j, m.2);
                        }
                    }
                    clinicians[pick].2 -= weight;
                    c.named[(base as u64 + i) as usize][k] = clinicians[pick].0;
                    named += 1;
                }
                if k == 0 {
                    c.rec.lists[u] = (named, clinicians.len() as u64);
                }
            }
        }
        c
    }

    /// The listed patient a new contact of `unit` in age group `age` is,
    /// drawn from the patient's own stream; [`NOBODY`] in a unit without
    /// listed patients.
    pub fn draw(&self, seed: u64, unit: UnitId, age: AgeId) -> u32 {
        let row = unit.index() * (self.n_ages + 1);
        let (mut lo, mut hi) = (
            self.age_first[row + age.index()],
            self.age_first[row + age.index() + 1],
        );
        if lo == hi {
            // An age group too small to get a block: the whole unit.
            (lo, hi) = (self.age_first[row], self.age_first[row + self.n_ages]);
        }
        if lo == hi {
            return NOBODY;
        }
        let r = PatientRng::new(seed, TAG_LISTED).next_u64();
        lo + ((r as u128 * (hi - lo) as u128) >> 64) as u32
    }

    /// Listed patient `listed`'s named doctor and named contact.
    #[inline]
    pub fn named(&self, listed: u32) -> [u32; 2] {
        self.named
            .get(listed as usize)
            .copied()
            .unwrap_or([NOBODY; 2])
    }

    /// A visit after the warm-up of listed patient `listed` with `staff`,
    /// in groups `g`; `first` is the profession of the episode's first
    /// contact (`None`: no such contact).
    #[inline]
    pub fn visit(
        &mut self,
        listed: u32,
        staff: StaffId,
        by_doctor: bool,
        g: PatientGroups,
        first: Option<usize>,
    ) {
        let Some(seen) = self.seen.get_mut(listed as usize) else {
            return;
        };
        seen.total = seen.total.saturating_add(1);
        let s = staff.0;
        // Places fill in order and are never freed: the first free place
        // ends the clinicians seen, so one pass finds the clinician or
        // their place (none after the third).
        for i in 0..3 {
            if seen.count[i] == 0 {
                seen.staff[i] = s;
                seen.count[i] = 1;
                break;
            }
            if seen.staff[i] == s {
                seen.count[i] = seen.count[i].saturating_add(1);
                break;
            }
        }
        self.visit_in_category(listed as usize, s, g.category);
        let named = self.named[listed as usize];
        if named == [NOBODY; 2] {
            return;
        }
        let doctor = by_doctor && named[0] != NOBODY;
        let hit = named.contains(&s);
        self.rec.named_any[BY_UNIT][g.unit].add(hit);
        if doctor {
            self.rec.named_doctor[BY_UNIT][g.unit].add(named[0] == s);
        }
        let first = first.unwrap_or(self.n_first - 1);
        let cell = &mut self.shares[(g.category * self.n_ages + g.age) * self.n_first + first];
        cell.any.add(hit);
        if doctor {
            cell.doctor.add(named[0] == s);
        }
    }

    /// Counts a visit of listed patient `listed` with staff `s` in category
    /// `c`, for the index within the category.
    fn visit_in_category(&mut self, listed: usize, s: u32, c: usize) {
        let total = &mut self.in_category[listed * self.n_cat + c];
        *total = total.saturating_add(1);
        self.rec.visits_in_category += 1;
        let c = c as u16;
        // Places fill in order and are never freed: the first free place
        // ends the pairs seen, so one pass finds the pair or its place.
        for p in &mut self.pairs[listed] {
            if p.count == 0 {
                *p = Pair {
                    staff: s,
                    count: 1,
                    category: c,
                };
                return;
            }
            if p.staff == s && p.category == c {
                p.count = p.count.saturating_add(1);
                return;
            }
        }
        self.rec.untracked_in_category += 1;
    }

    /// A booking after the warm-up that could take the named clinician
    /// within the tolerance; `extra` the time it waited past the earliest
    /// free time (zero: no wait), in groups `g`.
    pub fn asked(&mut self, extra: SimTime, g: PatientGroups) {
        let PatientGroups {
            unit,
            category,
            age,
        } = g;
        let waited = extra > SimTime::ZERO;
        self.rec.asked[BY_UNIT][unit].add(waited);
        self.rec.extra_s[BY_UNIT][unit] += extra.0;
        let cell = &mut self.asked[category * self.n_ages + age];
        cell.asked.add(waited);
        cell.extra_s += extra.0;
    }

    /// Sums the joint cells into the category, age group and profession
    /// breakdowns.
    fn settle(&mut self) {
        let (n_ages, n_first) = (self.n_ages, self.n_first);
        for (i, cell) in self.shares.iter().enumerate() {
            let (first, age, category) = (i % n_first, i / n_first % n_ages, i / n_first / n_ages);
            for (ratios, r) in [
                (&mut self.rec.named_any, cell.any),
                (&mut self.rec.named_doctor, cell.doctor),
            ] {
                ratios[BY_CATEGORY][category].merge(r);
                ratios[BY_AGE][age].merge(r);
                if first + 1 < n_first {
                    ratios[BY_FIRST][first].merge(r);
                }
            }
        }
        for (i, cell) in self.asked.iter().enumerate() {
            for (d, g) in [(BY_CATEGORY, i / n_ages), (BY_AGE, i % n_ages)] {
                self.rec.asked[d][g].merge(cell.asked);
                self.rec.extra_s[d][g] += cell.extra_s;
            }
        }
    }

    /// End of the run: the usual-provider-of-care index of each listed
    /// patient with two or more visits, added by unit and age group, and
    /// within each category of each patient with two or more visits in it.
    pub fn finish(mut self) -> ContinuityRecords {
        if !self.rec.on {
            return self.rec;
        }
        self.settle();
        let n_units = self.age_first.len() / (self.n_ages + 1);
        for u in 0..n_units {
            let row = u * (self.n_ages + 1);
            for a in 0..self.n_ages {
                for i in self.age_first[row + a]..self.age_first[row + a + 1] {
                    let s = self.seen[i as usize];
                    if s.total < 2 {
                        continue;
                    }
                    let upc = *s.count.iter().max().unwrap_or(&0) as f64 / s.total as f64;
                    self.rec.upc[0][u].0 += upc;
                    self.rec.upc[0][u].1 += 1;
                    self.rec.upc[1][a].0 += upc;
                    self.rec.upc[1][a].1 += 1;
                }
            }
        }
        // (`max(1)`: chunks of no categories would panic; there are none.)
        let n_cat = self.n_cat.max(1);
        // Per category, the patient's most visits with one clinician: one
        // walk of their pairs (not one per category).
        let mut usual = vec![0u16; n_cat];
        let per_patient = self
            .pairs
            .iter()
            .zip(self.in_category.chunks_exact(n_cat))
            .zip(&self.seen);
        for ((pairs, totals), seen) in per_patient {
            // A category counts at most the patient's visits in all: under
            // two in all, under two in every category.
            if seen.total < 2 {
                continue;
            }
            usual.fill(0);
            // Places fill in order and are never freed: the first free
            // place ends the pairs.
            for p in pairs.iter().take_while(|p| p.count > 0) {
                let u = &mut usual[p.category as usize];
                *u = (*u).max(p.count);
            }
            for (c, (&total, &usual)) in totals.iter().zip(&usual).enumerate() {
                if total < 2 {
                    continue;
                }
                let g = &mut self.rec.upc_in_category[c];
                g.0 += usual as f64 / total as f64;
                g.1 += 1;
            }
        }
        self.rec
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Continuity of `listed` patients of one unit (its age groups in
    /// equal blocks), nobody named.
    fn blank(listed: usize, n_cat: usize, n_ages: usize, n_prof: usize) -> Continuity {
        let n_first = n_prof + 1;
        Continuity {
            age_first: (0..=n_ages).map(|a| (a * listed / n_ages) as u32).collect(),
            n_ages,
            named: vec![[NOBODY; 2]; listed],
            seen: vec![Seen::default(); listed],
            pairs: vec![[Pair::default(); PAIRS]; listed],
            in_category: vec![0; listed * n_cat],
            n_cat,
            shares: vec![ShareCell::default(); n_cat * n_ages * n_first],
            n_first,
            asked: vec![AskedCell::default(); n_cat * n_ages],
            rec: ContinuityRecords {
                on: true,
                named_doctor: [1, n_cat, n_ages, n_prof].map(|n| vec![Ratio::default(); n]),
                named_any: [1, n_cat, n_ages, n_prof].map(|n| vec![Ratio::default(); n]),
                asked: [1, n_cat, n_ages].map(|n| vec![Ratio::default(); n]),
                extra_s: [1, n_cat, n_ages].map(|n| vec![0; n]),
                upc: [vec![(0.0, 0); 1], vec![(0.0, 0); n_ages]],
                upc_in_category: vec![(0.0, 0); n_cat],
                ..Default::default()
            },
        }
    }

    /// The groups of a visit in category `category` of unit 0, age group 0.
    fn in_cat(category: usize) -> PatientGroups {
        PatientGroups {
            unit: 0,
            category,
            age: 0,
        }
    }

    #[test]
    fn seen_counts_the_usual_provider() {
        let mut c = blank(1, 1, 1, 1);
        c.named = vec![[7, NOBODY]];
        for s in [7, 7, 3, 7] {
            c.visit(0, StaffId(s), true, in_cat(0), None);
        }
        let rec = c.finish();
        assert_eq!(rec.named_doctor[0][0], Ratio { part: 3, whole: 4 });
        assert_eq!(rec.upc[0][0], (0.75, 1));
    }

    /// Continuity of `listed` patients over `n_cat` categories, one age
    /// group and one unit, nobody named.
    fn by_category(listed: usize, n_cat: usize) -> Continuity {
        blank(listed, n_cat, 1, 1)
    }

    #[test]
    fn the_index_within_a_category_counts_only_its_visits() {
        // Category 0 always with clinician 1, category 1 always with 2:
        // each category's index is 1, the patient's overall index 3/5.
        let mut c = by_category(1, 3);
        for (s, cat) in [(1, 0), (2, 1), (1, 0), (2, 1), (1, 0)] {
            c.visit(0, StaffId(s), false, in_cat(cat), None);
        }
        // One visit in category 2: too few for its index.
        c.visit(0, StaffId(1), false, in_cat(2), None);
        let rec = c.finish();
        assert_eq!(rec.upc_in_category, vec![(1.0, 1), (1.0, 1), (0.0, 0)]);
        assert_eq!(rec.upc[0][0], (4.0 / 6.0, 1));
        assert_eq!(rec.untracked_in_category, 0);
    }

    #[test]
    fn two_clinicians_at_random_give_the_expected_index() {
        // Four visits in category 0, each with one of two clinicians at
        // random: the usual clinician has 4, 3 or 2 of them with chances
        // 1/8, 1/2, 3/8, so the expected index is 0.6875 (sd 0.165 per
        // patient). Two visits in category 1: 0.75.
        let n = 20_000;
        let mut c = by_category(n, 2);
        for i in 0..n {
            let mut rng = PatientRng::new(i as u64, 7);
            for (visits, cat) in [(4, 0), (2, 1)] {
                for _ in 0..visits {
                    let s = 1 + (rng.next_u64() >> 63) as u32;
                    c.visit(i as u32, StaffId(s), false, in_cat(cat), None);
                }
            }
        }
        let rec = c.finish();
        for (cat, expected, sd) in [(0, 0.6875, 0.1654), (1, 0.75, 0.25)] {
            let (sum, patients) = rec.upc_in_category[cat];
            assert_eq!(patients, n as u64);
            let mean = sum / n as f64;
            // Four standard errors.
            let tolerance = 4.0 * sd / (n as f64).sqrt();
            assert!(
                (mean - expected).abs() < tolerance,
                "category {cat}: {mean} vs {expected} ± {tolerance}"
            );
        }
    }

    #[test]
    fn pairs_past_the_places_count_in_the_total_only() {
        // Clinicians 1..=PAIRS take the places, then one more clinician:
        // its visit counts in the category's visits, not as a usual one.
        let mut c = by_category(1, 1);
        for s in 1..=PAIRS as u32 + 1 {
            c.visit(0, StaffId(s), false, in_cat(0), None);
        }
        let rec = c.finish();
        assert_eq!(rec.untracked_in_category, 1);
        assert_eq!(rec.upc_in_category[0], (1.0 / (PAIRS + 1) as f64, 1));
    }

    #[test]
    fn joint_cells_sum_to_each_breakdown() {
        // Random visits and bookings of named and unnamed patients, in
        // random groups: each breakdown read from the joint cells equals a
        // count made per breakdown as the visits come.
        let (listed, n_cat, n_ages, n_prof) = (40, 3, 4, 5);
        let mut c = blank(listed, n_cat, n_ages, n_prof);
        for (i, named) in c.named.iter_mut().enumerate() {
            *named = match i % 4 {
                0 => [NOBODY; 2],
                1 => [1, NOBODY],
                2 => [NOBODY, 2],
                _ => [1, 3],
            };
        }
        let mut any = [1, n_cat, n_ages, n_prof].map(|n| vec![Ratio::default(); n]);
        let mut doctor = any.clone();
        let mut asked = [1, n_cat, n_ages].map(|n| vec![Ratio::default(); n]);
        let mut extra = [1, n_cat, n_ages].map(|n| vec![0u64; n]);
        let mut rng = PatientRng::new(5, 9);
        let mut draw = |n: usize| (rng.next_u64() % n as u64) as usize;
        for _ in 0..2_000 {
            let listed = draw(listed) as u32;
            let staff = draw(4) as u32;
            let by_doctor = draw(2) == 1;
            let first = (draw(n_prof + 1) < n_prof).then(|| draw(n_prof));
            let g = PatientGroups {
                unit: 0,
                category: draw(n_cat),
                age: draw(n_ages),
            };
            let named = c.named[listed as usize];
            let groups = [Some(g.unit), Some(g.category), Some(g.age), first];
            for (d, i) in groups.iter().enumerate() {
                let Some(i) = *i else { continue };
                if named != [NOBODY; 2] {
                    any[d][i].add(named.contains(&staff));
                }
                if by_doctor && named[0] != NOBODY {
                    doctor[d][i].add(named[0] == staff);
                }
            }
            c.visit(listed, StaffId(staff), by_doctor, g, first);
            let wait = SimTime(draw(3) as u64 * 600);
            c.asked(wait, g);
            for (d, i) in [g.unit, g.category, g.age].into_iter().enumerate() {
                asked[d][i].add(wait > SimTime::ZERO);
                extra[d][i] += wait.0;
            }
        }
        let rec = c.finish();
        assert_eq!(rec.named_any, any);
        assert_eq!(rec.named_doctor, doctor);
        assert_eq!(rec.asked, asked);
        assert_eq!(rec.extra_s, extra);
        assert!(rec.named_doctor[3].iter().any(|r| r.part > 0));
    }

    #[test]
    fn the_index_within_a_category_is_each_patients_usual_share() {
        // Random visits of patients with 0 to 8 visits over a few
        // clinicians and categories: the index `finish` adds up (one walk
        // of each patient's pairs, patients of under two visits skipped)
        // equals the definition counted apart, per patient and category:
        // the most visits with one clinician over the category's visits,
        // for each category with two or more — added in patient order.
        let (listed, n_cat) = (300, 4);
        let mut c = by_category(listed, n_cat);
        let mut visits = vec![vec![[0u32; 5]; n_cat]; listed];
        let mut rng = PatientRng::new(11, 3);
        let mut draw = |n: u64| (rng.next_u64() % n) as usize;
        for (i, of_patient) in visits.iter_mut().enumerate() {
            for _ in 0..draw(9) {
                let (staff, cat) = (draw(5), draw(n_cat as u64));
                of_patient[cat][staff] += 1;
                c.visit(i as u32, StaffId(staff as u32), false, in_cat(cat), None);
            }
        }
        let mut expected = vec![(0.0, 0u64); n_cat];
        for of_patient in &visits {
            for (cat, counts) in of_patient.iter().enumerate() {
                let total: u32 = counts.iter().sum();
                if total >= 2 {
                    let usual = *counts.iter().max().unwrap();
                    expected[cat].0 += usual as f64 / total as f64;
                    expected[cat].1 += 1;
                }
            }
        }
        let rec = c.finish();
        assert_eq!(rec.untracked_in_category, 0);
        assert_eq!(rec.upc_in_category, expected);
        assert!(expected.iter().all(|e| e.1 > 10));
    }
}
