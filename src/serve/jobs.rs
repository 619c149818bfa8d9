//! Jobs: one paired comparison (the chosen scenario unchanged and changed,
//! same seed and replications) running while the page watches.
//!
//! **Fairness.** Each browser tab (a client id the page makes) has one job
//! slot: a new job cancels its previous one. At most `max_jobs` jobs run at
//! once (a FIFO semaphore; the rest wait, shown as queued), each on its own
//! rayon pool of `threads` workers, so the operating system shares the
//! cores between running jobs instead of one job's queue of replications
//! keeping the workers busy. The simulation never runs on the async
//! executor (a blocking thread per job).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::{Semaphore, watch};

use super::view::{self, Pair, View};
use crate::experiment::{self, RunResults};
use crate::metrics::{ReplicationMetrics, Summary};
use crate::scenario::Scenario;

/// Jobs kept (finished ones too, for their downloads) before the oldest
/// finished one is dropped.
const KEPT_JOBS: usize = 32;
/// Jobs waiting for a free slot before new ones are refused.
pub const MAX_WAITING: usize = 32;
/// Least time between two partial updates (the last one is always sent).
const UPDATE_EVERY: Duration = Duration::from_millis(150);

/// What a job was asked to do.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The tab that asked.
    pub client: String,
    /// The scenario's name in the list.
    pub scenario: String,
    /// Its file, as the command line names it.
    pub file: String,
    /// The page's changes, `PATH=VALUE`.
    pub sets: Vec<String>,
    /// Master seed.
    pub seed: u64,
    /// Replications of each scenario.
    pub replications: u32,
}

/// A job's state as the page sees it (sent on every change).
#[derive(Clone, Debug, Serialize, Default)]
pub struct Status {
    /// The job's id.
    pub job: u64,
    /// `queued`, `running`, `done`, `cancelled` or `failed`.
    pub state: &'static str,
    /// Replications finished (both scenarios counted).
    pub done: u32,
    /// Replications in all.
    pub total: u32,
    /// Pairs in the figures shown.
    pub pairs: u32,
    /// Milliseconds since the job started running.
    pub elapsed_ms: u64,
    /// Milliseconds from start to the first figures.
    pub first_ms: Option<u64>,
    /// The figures, `sv` and `en`.
    pub views: Option<BTreeMap<&'static str, View>>,
    /// Why it failed.
    pub error: Option<String>,
}

/// One job.
pub struct Job {
    /// Its id.
    pub id: u64,
    /// What it runs.
    pub spec: Spec,
    /// The unchanged scenario.
    pub base: Scenario,
    /// The changed one.
    pub variant: Scenario,
    /// The changed scenario as TOML.
    pub toml: String,
    cancel: AtomicBool,
    status: watch::Sender<Arc<Status>>,
    /// The finished runs (base, variant).
    pub results: Mutex<Option<(RunResults, RunResults)>>,
    /// Downloadable files per language, once written.
    pub files: Mutex<HashMap<&'static str, Vec<(String, PathBuf)>>>,
}

impl Job {
    /// Watches the job's status.
    pub fn watch(&self) -> watch::Receiver<Arc<Status>> {
        self.status.subscribe()
    }

    /// The latest status.
    pub fn status(&self) -> Arc<Status> {
        self.status.borrow().clone()
    }

    /// Asks the job to stop after the replications in progress.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    fn update(&self, f: impl FnOnce(&mut Status)) {
        self.status.send_modify(|s| {
            let mut next = (**s).clone();
            f(&mut next);
            *s = Arc::new(next);
        });
    }

    /// The name the changed scenario goes by (as `vardsim run --set` names
    /// its folder: from the changed scenario's own name, which a change of
    /// `name` sets), distinct from the unchanged one's.
    pub fn variant_name(&self) -> String {
        let name = crate::report::runs::variant_name(&self.variant.name, &self.spec.sets);
        if name == self.base.name {
            format!("{name}#2")
        } else {
            name
        }
    }
}

/// Every job of the server.
pub struct Jobs {
    inner: Mutex<Inner>,
    permits: Arc<Semaphore>,
    waiting: AtomicU64,
    threads: usize,
    next: AtomicU64,
    /// Where downloads are written (removed when the server stops).
    pub files_root: PathBuf,
}

#[derive(Default)]
struct Inner {
    jobs: BTreeMap<u64, Arc<Job>>,
    by_client: HashMap<String, u64>,
}

/// Why a job was not started.
#[derive(Debug)]
pub enum Refused {
    /// Too many jobs waiting.
    Busy,
}

impl Jobs {
    /// At most `max_jobs` running at once, each on `threads` workers.
    pub fn new(max_jobs: usize, threads: usize, files_root: PathBuf) -> Jobs {
        Jobs {
            inner: Mutex::new(Inner::default()),
            permits: Arc::new(Semaphore::new(max_jobs.max(1))),
            waiting: AtomicU64::new(0),
            threads: threads.max(1),
            next: AtomicU64::new(1),
            files_root,
        }
    }

    /// The job `id`, if kept.
    pub fn get(&self, id: u64) -> Option<Arc<Job>> {
        self.lock().jobs.get(&id).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panicking job thread must not take the server down with it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a job (on the tokio runtime), cancelling the client's
    /// previous one.
    pub fn start(
        self: &Arc<Self>,
        spec: Spec,
        base: Scenario,
        variant: Scenario,
        toml: String,
    ) -> Result<Arc<Job>, Refused> {
        if self.waiting.load(Ordering::SeqCst) >= MAX_WAITING as u64 {
            return Err(Refused::Busy);
        }
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        let total = 2 * spec.replications;
        let job = Arc::new(Job {
            id,
            base,
            variant,
            toml,
            cancel: AtomicBool::new(false),
            status: watch::Sender::new(Arc::new(Status {
                job: id,
                state: "queued",
                total,
                ..Status::default()
            })),
            results: Mutex::new(None),
            files: Mutex::new(HashMap::new()),
            spec,
        });
        {
            let mut inner = self.lock();
            if let Some(old) = inner.by_client.insert(job.spec.client.clone(), id)
                && let Some(old) = inner.jobs.get(&old)
            {
                old.cancel();
            }
            inner.jobs.insert(id, job.clone());
            while inner.jobs.len() > KEPT_JOBS {
                let Some(oldest) = inner.jobs.keys().next().copied() else {
                    break;
                };
                if let Some(j) = inner.jobs.remove(&oldest) {
                    j.cancel();
                    let _ = std::fs::remove_dir_all(self.files_root.join(j.id.to_string()));
                }
            }
        }
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let (jobs, j) = (self.clone(), job.clone());
        tokio::spawn(async move {
            let permit = jobs.permits.clone().acquire_owned().await;
            jobs.waiting.fetch_sub(1, Ordering::SeqCst);
            if permit.is_err() || j.cancel.load(Ordering::SeqCst) {
                j.update(|s| s.state = "cancelled");
                return;
            }
            let threads = jobs.threads;
            let run = j.clone();
            let outcome = tokio::task::spawn_blocking(move || run_job(&run, threads)).await;
            if let Err(e) = outcome {
                j.update(|s| {
                    s.state = "failed";
                    s.error = Some(format!("the job stopped: {e}"));
                });
            }
            drop(permit);
        });
        Ok(job)
    }
}

/// Finished replications of both scenarios, by index.
struct Partial {
    slots: [Vec<Option<ReplicationMetrics>>; 2],
    done: u32,
    last_update: Option<Instant>,
}

impl Partial {
    /// Runs made of the replications finished in both scenarios, in
    /// replication order (pairs only: a difference needs both).
    fn pairs(&self, names: [&str; 2], seed: u64, measured_days: [u32; 2]) -> [RunResults; 2] {
        let pairs: Vec<usize> = (0..self.slots[0].len())
            .filter(|&r| self.slots[0][r].is_some() && self.slots[1][r].is_some())
            .collect();
        [0, 1].map(|i| {
            let reps: Vec<ReplicationMetrics> = pairs
                .iter()
                .filter_map(|&r| self.slots[i][r].clone())
                .collect();
            RunResults {
                scenario: names[i].to_string(),
                seed,
                measured_days: measured_days[i],
                summary: Summary::from_replications(&reps),
                replications: reps,
            }
        })
    }
}

impl Job {
    /// Days measured per replication in the base and the variant.
    fn measured_days(&self) -> [u32; 2] {
        [&self.base, &self.variant].map(crate::experiment::measured_days)
    }
}

/// Runs a job to its end, updating its status as replications finish.
fn run_job(job: &Job, threads: usize) {
    let start = Instant::now();
    let reps = job.spec.replications;
    let variant_name = job.variant_name();
    let names = [job.base.name.as_str(), variant_name.as_str()];
    job.update(|s| s.state = "running");
    let partial = Mutex::new(Partial {
        slots: [vec![None; reps as usize], vec![None; reps as usize]],
        done: 0,
        last_update: None,
    });
    let publish = |runs: &[RunResults; 2], state: Option<&'static str>, done: u32| {
        if runs[0].replications.len() < 2 && state.is_none() {
            return;
        }
        let pair = Pair {
            base: (&job.base, &runs[0]),
            variant: (&job.variant, &runs[1]),
        };
        let views = view::views(&pair);
        let elapsed = start.elapsed().as_millis() as u64;
        job.update(|s| {
            s.done = s.done.max(done);
            s.pairs = runs[0].replications.len() as u32;
            s.elapsed_ms = elapsed;
            s.first_ms.get_or_insert(elapsed);
            match views {
                Ok(v) => s.views = Some(v),
                Err(e) => s.error = Some(e.to_string()),
            }
            if let Some(state) = state {
                s.state = state;
            }
        });
    };
    let on_result = |i: usize, r: u32, m: ReplicationMetrics| {
        let runs = {
            let mut p = partial.lock().unwrap_or_else(|e| e.into_inner());
            p.slots[i][r as usize] = Some(m);
            p.done += 1;
            let due = p.last_update.is_none_or(|t| t.elapsed() >= UPDATE_EVERY);
            let paired = p.slots[1 - i][r as usize].is_some();
            if !(due && paired) || p.done == 2 * reps {
                let done = p.done;
                job.update(|s| {
                    s.done = s.done.max(done);
                    s.elapsed_ms = start.elapsed().as_millis() as u64;
                });
                return;
            }
            p.last_update = Some(Instant::now());
            (p.pairs(names, job.spec.seed, job.measured_days()), p.done)
        };
        publish(&runs.0, None, runs.1);
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
    let finished = match pool {
        Ok(pool) => pool.install(|| {
            experiment::replicate_streaming(
                &[&job.base, &job.variant],
                job.spec.seed,
                0..reps,
                &job.cancel,
                &on_result,
            )
        }),
        Err(e) => {
            job.update(|s| {
                s.state = "failed";
                s.error = Some(format!("cannot start {threads} worker threads: {e}"));
            });
            return;
        }
    };
    if !finished {
        job.update(|s| s.state = "cancelled");
        return;
    }
    let p = partial.into_inner().unwrap_or_else(|e| e.into_inner());
    let runs = p.pairs(names, job.spec.seed, job.measured_days());
    // The downloads need the runs as soon as the page hears "done".
    *job.results.lock().unwrap_or_else(|e| e.into_inner()) =
        Some((runs[0].clone(), runs[1].clone()));
    publish(&runs, Some("done"), 2 * reps);
}
