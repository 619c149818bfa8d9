//! A replication's memory is bounded by the state of the system, not by its
//! history (issue 17): the default scenario's peak of live heap over ten
//! years is within a small margin of its peak over one.
//!
//! A test binary of its own: the counting allocator sees every allocation
//! of the process, and its one test runs alone.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use vardsim::model::{Records, simulate_tallied};
use vardsim::scenario::Scenario;

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

/// The peak of live heap bytes while one replication of the default
/// scenario runs `days` days (one thread), above what was live before.
fn peak_bytes(days: u32) -> usize {
    let sc = Scenario::load(None, &[format!("simulation.horizon_days={days}")])
        .expect("the default scenario loads");
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let records = simulate_tallied(&sc, 1, 0, Records::default());
    let peak = PEAK.load(Relaxed);
    drop(records);
    peak - before
}

/// What may still grow with the horizon, bytes a day: the daily samples of
/// the third next available slot (an output series, by unit and
/// profession), the episode tallies' day tables, the call-back book's
/// periods, the day factors and holiday flags — ≈ 170 B a day in the
/// default scenario (3.94 MB at one year, 4.49 MB at ten, 2026-12-04).
/// Before the thirty-second pass (docs/performance-history.md) a decade's
/// peak was ≈ 25 MB above a year's: arrival pieces and hour weights for the
/// whole run, an event bucket per quarter hour of it, the telephone waits by
/// hour of the run (and before the thirtieth, the whole run's appointment
/// books besides).
const GROWTH_PER_DAY: usize = 256;

#[test]
fn ten_years_peak_within_a_margin_of_one() {
    let year = peak_bytes(365);
    let decade = peak_bytes(3650);
    let margin = (3650 - 365) * GROWTH_PER_DAY;
    assert!(
        decade <= year + margin,
        "peak live heap: one year {year} B, ten years {decade} B, more than {margin} B above"
    );
}
