//! A replication's memory is bounded by the state of the system, not by its
//! history (issue 17): the default scenario's peak of live heap over ten
//! years is within a small margin of its peak over one.
//!
//! A test binary of its own: the counting allocator sees every allocation
//! of the process, and its one test runs the cases one after another.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use vardsim::model::{Records, simulate_tallied};
use vardsim::scenario::Scenario;

#[path = "common/stockholm.rs"]
mod stockholm;

/// The system allocator, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(live, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak of live heap bytes while one replication of `sc` runs (one
/// thread), above what was live before.
fn peak_bytes(sc: &Scenario) -> usize {
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let records = simulate_tallied(sc, 1, 0, Records::default());
    let peak = PEAK.load(Relaxed);
    drop(records);
    peak - before
}

/// The default scenario over `days` days.
fn default_over(days: u32) -> Scenario {
    Scenario::load(None, &[format!("simulation.horizon_days={days}")])
        .expect("the default scenario loads")
}

/// The first eight Stockholm units, with the regional line (two of
/// them) and the digital provider run apart (four), over `days` days.
fn region_over(days: u32) -> Scenario {
    let text = stockholm::stockholm_prefix(8, "");
    Scenario::from_toml(
        "stockholm-8.toml",
        &text,
        &[format!("simulation.horizon_days={days}")],
    )
    .expect("the Stockholm prefix loads")
}

/// What may still grow with the horizon, bytes a day: the daily samples of
/// the third next available slot (an output series, by unit and
/// profession), the episode tallies' day tables, the day factors and
/// holiday flags and the roster's bits — ≈ 90 B a day in the default
/// scenario (3.92 MB at one year, 4.21 MB at ten; ≈ 170 B a day, 3.94 and
/// 4.49 MB, while telephone and desk duty kept their periods of the whole
/// run, before the thirty-sixth pass).
/// Before the thirty-second pass (docs/performance-history.md) a decade's
/// peak was ≈ 25 MB above a year's: arrival pieces and hour weights for the
/// whole run, an event bucket per quarter hour of it, the telephone waits by
/// hour of the run (and before the thirtieth, the whole run's appointment
/// books besides).
const GROWTH_PER_DAY: usize = 256;

/// What a region may grow by, bytes a day for each of its units: as the
/// default. The eight units' peak is 5.49 MB at one year and 7.87 MB at
/// ten (91 B a unit-day, mostly the daily samples) since they carry the
/// default's planned visits (6 December 2026; 3.36 and 5.56 MB, 84 B a
/// unit-day, on the lighter region before). Before the thirty-sixth
/// pass it was 3.90 and 32.8 MB (1 000 B a unit-day): the provider's answers
/// held until its units had run (32 B each, now in a temporary file:
/// `model/split.rs`), each stand-in's request number by patient id and
/// each awaited answer's patient (4 B each), and the telephone nurses'
/// periods of the whole run (the regional line's 254).
const REGION_GROWTH_PER_UNIT_DAY: usize = GROWTH_PER_DAY;

#[test]
fn ten_years_peak_within_a_margin_of_one() {
    // One test: the counting allocator sees every thread's allocations.
    let year = peak_bytes(&default_over(365));
    let decade = peak_bytes(&default_over(3650));
    let margin = (3650 - 365) * GROWTH_PER_DAY;
    eprintln!("the default: one year {year} B, ten years {decade} B");
    assert!(
        decade <= year + margin,
        "the default's peak live heap: one year {year} B, ten years {decade} B, more than {margin} B above"
    );
    // A region whose e-service provider runs apart, first: its answers wait
    // for the served units' runs outside the heap.
    let year = peak_bytes(&region_over(365));
    let decade = peak_bytes(&region_over(3650));
    let margin = (3650 - 365) * 8 * REGION_GROWTH_PER_UNIT_DAY;
    eprintln!("eight Stockholm units: one year {year} B, ten years {decade} B");
    assert!(
        decade <= year + margin,
        "eight Stockholm units' peak live heap: one year {year} B, ten years {decade} B, more than {margin} B above"
    );
}
