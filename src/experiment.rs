//! Running a scenario's replications, in parallel, reproducibly.
//!
//! **Invariant:** results do not depend on the thread count. Replication `r`
//! draws from streams derived from `(seed, crn_key, r, name)` only, results
//! are collected in replication order, and every sum over replications is
//! taken in that order.

pub mod calibrate;
mod compare;
pub mod sweep;
pub mod target;

pub use compare::{ComparedMetric, Comparison, compare};

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::metrics::{MetricUnit, ReplicationMetrics, Summary, compute};
use crate::model::{Records, simulate_tallied, simulate_tallied_once, simulate_tallied_spread};
use crate::scenario::Scenario;

/// How to run.
#[derive(Clone, Copy, Debug)]
pub struct RunConfig {
    /// Master seed.
    pub seed: u64,
    /// Number of replications.
    pub replications: u32,
    /// Worker threads; `None` = one per core.
    pub threads: Option<usize>,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            seed: 1,
            replications: 10,
            threads: None,
        }
    }
}

/// What a run produced.
#[derive(Clone, Debug)]
pub struct RunResults {
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Days measured per replication (horizon − warm-up): what the counts
    /// of the summary are totals of.
    pub measured_days: u32,
    /// Per replication, in order.
    pub replications: Vec<ReplicationMetrics>,
    /// Means and CIs.
    pub summary: Summary,
}

impl RunResults {
    /// Events handled over all replications.
    pub fn events(&self) -> u64 {
        self.replications.iter().map(|r| r.events).sum()
    }
}

/// Days measured per replication: the horizon less the warm-up.
pub fn measured_days(scenario: &Scenario) -> u32 {
    scenario.horizon_days.saturating_sub(scenario.warmup_days)
}

/// Why a run could not start. Fatal.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The worker thread pool could not be built (e.g. `--threads 0`).
    #[error("cannot start {threads} worker threads: {source}")]
    ThreadPool {
        /// Requested threads.
        threads: usize,
        /// Cause.
        source: rayon::ThreadPoolBuildError,
    },
}

/// Runs one replication and computes its metrics.
pub fn replicate(scenario: &Scenario, seed: u64, replication: u32) -> ReplicationMetrics {
    compute(
        scenario,
        &simulate_tallied(scenario, seed, replication, Records::default()),
    )
}

/// Runs every replication of `scenario`; `on_done` is called once per
/// finished replication (from worker threads; for progress bars).
pub fn run(
    scenario: &Scenario,
    config: &RunConfig,
    on_done: &(dyn Fn() + Sync),
) -> Result<RunResults, RunError> {
    let never = AtomicBool::new(false);
    let work = || {
        replicate_range(
            scenario,
            config.seed,
            0..config.replications,
            &never,
            on_done,
        )
    };
    let replications = in_pool(config.threads, work)?.unwrap_or_default();
    Ok(RunResults::new(scenario, config.seed, replications))
}

/// [`run`], stopping early when `cancel` is set (Ctrl-C): `None` then, and
/// the replications that had finished are dropped, since a run's results
/// are all its replications or none.
pub fn run_until(
    scenario: &Scenario,
    config: &RunConfig,
    cancel: &AtomicBool,
    on_done: &(dyn Fn() + Sync),
) -> Result<Option<RunResults>, RunError> {
    let work = || {
        replicate_range(
            scenario,
            config.seed,
            0..config.replications,
            cancel,
            on_done,
        )
    };
    let Some(replications) = in_pool(config.threads, work)? else {
        return Ok(None);
    };
    Ok(Some(RunResults::new(scenario, config.seed, replications)))
}

impl RunResults {
    /// The results of `replications` of `scenario`, with their summary.
    fn new(scenario: &Scenario, seed: u64, replications: Vec<ReplicationMetrics>) -> RunResults {
        RunResults {
            scenario: scenario.name.clone(),
            seed,
            measured_days: measured_days(scenario),
            summary: Summary::from_replications(&replications),
            replications,
        }
    }
}

/// The keys of the overall metrics `scenario` produces, sorted, learnt from
/// one replication of its first week without warm-up (which metrics exist
/// depends on the scenario's structure, not on how long it runs), so that a
/// misspelt metric can be refused before the real work.
pub fn metric_keys(scenario: &Scenario) -> Vec<String> {
    metric_units(scenario).into_keys().collect()
}

/// The overall metrics `scenario` produces with their units, by key (from
/// one short week, as [`metric_keys`]).
pub fn metric_units(scenario: &Scenario) -> std::collections::BTreeMap<String, MetricUnit> {
    let mut week = scenario.clone();
    week.horizon_days = week.horizon_days.min(7);
    week.warmup_days = 0;
    replicate(&week, 1, 0)
        .observations
        .into_iter()
        .filter(|o| o.by.is_none())
        .map(|o| (o.metric, o.unit))
        .collect()
}

/// Runs `work` on `threads` worker threads (the global pool when `None`).
pub(crate) fn in_pool<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> T + Send,
) -> Result<T, RunError> {
    match threads {
        Some(threads) => Ok(rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|source| RunError::ThreadPool { threads, source })?
            .install(work)),
        None => Ok(work()),
    }
}

/// Replications `range` of `scenario`, in parallel, results in replication
/// order; `None` if `cancel` was set before all had run (a replication that
/// has started always finishes). The one place replications are run: `run`,
/// `sweep` and `target` all come through here. A replication offers its
/// linked groups to threads that go idle ([`lanes`]).
pub(crate) fn replicate_range(
    scenario: &Scenario,
    seed: u64,
    range: std::ops::Range<u32>,
    cancel: &AtomicBool,
    on_done: &(dyn Fn() + Sync),
) -> Option<Vec<ReplicationMetrics>> {
    let lanes = lanes();
    let spares = SparePool::for_tasks(range.len());
    range
        .into_par_iter()
        .map(|r| {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let m = spares.replicate(scenario, seed, r, lanes);
            on_done();
            Some(m)
        })
        .collect()
}

/// The record buffers of finished replications, for the next ones to reuse
/// (with their books and arrival layouts): a replication takes a set, or
/// starts empty, and puts it back. rayon's `map_init` would start a fresh
/// set on every split of the range — at least two per thread, one per task
/// under `with_max_len(1)` — and each fresh set builds its books again. The
/// pool holds at most as many sets as replications ran at once; results
/// do not depend on which set a replication gets.
#[derive(Default)]
struct SparePool {
    sets: std::sync::Mutex<Vec<Records>>,
    /// Replications not started yet (0: not counted). The last to start
    /// keeps no books: no replication will take its set.
    left: std::sync::atomic::AtomicUsize,
}

impl SparePool {
    /// A pool for `tasks` replications.
    fn for_tasks(tasks: usize) -> Self {
        SparePool {
            sets: Default::default(),
            left: tasks.into(),
        }
    }

    /// Replication `replication` of `scenario` on a set from the pool.
    fn replicate(
        &self,
        scenario: &Scenario,
        seed: u64,
        replication: u32,
        lanes: usize,
    ) -> ReplicationMetrics {
        // A poisoned lock only means another replication panicked; the
        // sets in it are whole (each is taken out before use).
        let taken = self.sets.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut spare = taken.unwrap_or_default();
        let last = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| l.checked_sub(1))
            == Ok(1);
        let m = replicate_reusing(scenario, seed, replication, lanes, last, &mut spare);
        self.sets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(spare);
        m
    }
}

/// How many lanes a replication may run its linked groups in
/// (`simulate_tallied_spread`): one per thread of the pool. Its own thread
/// runs one; the others are offered to the pool and taken only by a thread
/// with nothing else to do (see `model/merge.rs`), so a run with a
/// replication for every thread keeps each replication on its thread, and
/// one that runs out of replications (`-r 1`, the last of `-r 3 -t 2`, a
/// sweep's last points) lends its idle threads to the groups still
/// running. The output is the same either way.
pub(crate) fn lanes() -> usize {
    rayon::current_num_threads()
}

/// One replication on a worker's spare record buffers, its linked groups
/// up to `lanes` at once; the `last` to start keeps no books for a next.
fn replicate_reusing(
    scenario: &Scenario,
    seed: u64,
    replication: u32,
    lanes: usize,
    last: bool,
    spare: &mut Records,
) -> ReplicationMetrics {
    let buffers = std::mem::take(spare);
    let records = if last {
        simulate_tallied_once(scenario, seed, replication, buffers, lanes)
    } else {
        simulate_tallied_spread(scenario, seed, replication, buffers, lanes)
    };
    let m = compute(scenario, &records);
    *spare = records;
    m
}

/// Replications `range` of every scenario in `scenarios` (paired: the same
/// seed and replication indices), in parallel on the current pool, handing
/// each result to `on_result(scenario index, replication, metrics)` as soon
/// as it is done, so that a caller can show intervals narrowing while the
/// rest run (`vardsim serve`). Replication-major order, so pairs complete
/// early. Returns `false` if `cancel` stopped it before all had run. Each
/// result is exactly what [`run`] computes for that replication.
pub fn replicate_streaming(
    scenarios: &[&Scenario],
    seed: u64,
    range: std::ops::Range<u32>,
    cancel: &AtomicBool,
    on_result: &(dyn Fn(usize, u32, ReplicationMetrics) + Sync),
) -> bool {
    let n = scenarios.len();
    let tasks = range.start as usize * n..range.end as usize * n;
    let lanes = lanes();
    let spares = SparePool::for_tasks(tasks.len());
    tasks
        .into_par_iter()
        // One task per worker at a time, taken in order: the first pairs
        // finish first instead of each worker running its own half.
        .with_max_len(1)
        .map(|t| {
            if cancel.load(Ordering::Relaxed) {
                return false;
            }
            let (r, i) = ((t / n) as u32, t % n);
            let m = spares.replicate(scenarios[i], seed, r, lanes);
            on_result(i, r, m);
            true
        })
        .reduce(|| true, |a, b| a && b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short_default() -> Scenario {
        Scenario::load(None, &["simulation.horizon_days=60".to_string()]).unwrap()
    }

    /// Replication `r` of `sc` (seed 7) from `pool` equals one on fresh
    /// records, by its text (a metric with nothing to measure is NaN).
    fn assert_as_fresh(pool: &SparePool, sc: &Scenario, r: u32) {
        let got = format!("{:?}", pool.replicate(sc, 7, r, 1));
        assert_eq!(got, format!("{:?}", replicate(sc, 7, r)), "replication {r}");
    }

    /// Replications one after the other share one set of records: each puts
    /// its set back and the next takes it (rayon's `map_init` made a fresh
    /// set per split of the range, so a worker rebuilt its books), and the
    /// results are those of fresh records.
    #[test]
    fn replications_hand_their_records_on() {
        let sc = short_default();
        let pool = SparePool::default();
        for r in 0..3 {
            assert_as_fresh(&pool, &sc, r);
            assert_eq!(pool.sets.lock().unwrap().len(), 1, "after replication {r}");
        }
    }

    /// A region's groups keep their appointment books for the next
    /// replication, except in the last replication to start, which no
    /// other follows; the results are those of fresh records either way.
    #[test]
    fn the_last_replication_to_start_keeps_no_books() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/regions/stockholm.toml");
        let sets = ["simulation.horizon_days=40", "simulation.warmup_days=7"].map(String::from);
        let sc = Scenario::load(Some(&path), &sets).unwrap();
        let pool = SparePool::for_tasks(3);
        for r in 0..3 {
            assert_as_fresh(&pool, &sc, r);
            let sets = pool.sets.lock().unwrap();
            let books = sets[0]
                .group_books
                .iter()
                .filter(|b| !b.books.is_empty())
                .count();
            if r < 2 {
                assert!(books > 100, "replication {r} kept {books} groups' books");
            } else {
                assert_eq!(books, 0, "the last kept books");
            }
        }
    }

    /// On two threads the pool holds at most two sets (one per replication
    /// running at once).
    #[test]
    fn the_pool_holds_as_many_sets_as_ran_at_once() {
        let sc = short_default();
        let pool = SparePool::default();
        in_pool(Some(2), || {
            (0..6u32).into_par_iter().for_each(|r| {
                pool.replicate(&sc, 7, r, 1);
            })
        })
        .unwrap();
        let held = pool.sets.lock().unwrap().len();
        assert!((1..=2).contains(&held), "{held} sets held");
    }
}
