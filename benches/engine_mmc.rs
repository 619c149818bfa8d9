//! Engine speed on the M/M/c validation scenario, in events per second.
//!
//! `cargo bench --bench engine_mmc`. Criterion's `thrpt` line is the figure
//! quoted in the README (elements = events handled by the engine). The group
//! `mmc_customers` compares, in customers per second, the `run` command's
//! path (scenario read, replication, metrics) with a bare M/M/3 loop on the
//! same engine (issue 17's target: end to end ≥ 0.5× the bare loop). The
//! bare loop runs on the engine's whole future-event list (`Engine`: heap and
//! later quarters' buckets), so a faster engine speeds both sides up and
//! lowers the ratio; only the model's own work raises it. The same loop on
//! `std`'s `BinaryHeap` (`bare_mmc_loop_std_heap`) is the bare binary-heap
//! loop a planner would write by hand: the reference the engine's list must
//! match on a queue of a few events.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use vardsim::engine::{Engine, SimTime};
use vardsim::model::{Records, simulate, simulate_tallied};
use vardsim::scenario::Scenario;

/// The heap on transparent huge pages, as in the `vardsim` binary
/// (`vardsim::memory`).
#[global_allocator]
static ALLOCATOR: vardsim::memory::HugePages = vardsim::memory::HugePages;

fn mmc(c: &mut Criterion) {
    let text = include_str!("../scenarios/validation/mmc.toml");
    // One simulated year per iteration.
    let sets = ["simulation.horizon_days=365".to_string()];
    let scenario = Scenario::from_toml("mmc.toml", text, &sets).expect("mmc.toml is valid");
    let events = simulate(&scenario, 1, 0).events;
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(events));
    g.sample_size(20);
    g.bench_function("mmc_year_simulate", |b| {
        // As the experiment runner does: each worker reuses its record buffers.
        let mut spare = Records::default();
        b.iter(|| {
            let records = simulate_tallied(black_box(&scenario), 1, 0, std::mem::take(&mut spare));
            let events = records.events;
            spare = records;
            events
        })
    });
    // The bare future-event list with the same number of events: the ceiling.
    g.bench_function("bare_heap_loop", |b| {
        b.iter(|| {
            let mut e: Engine<u32> = Engine::new();
            for i in 0..3u32 {
                e.schedule(SimTime(i as u64), i);
            }
            let mut n = 0u64;
            let mut x = 0x9e37_79b9_7f4a_7c15u64;
            e.run_until(SimTime::NEVER, |eng, ev| {
                n += 1;
                if n < events {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    eng.schedule_in(x % 3_600, ev);
                }
            });
            n
        })
    });
    g.finish();
}

/// The future-event list a bare M/M/3 loop runs on: the engine's own, or
/// `std`'s binary heap (what a hand-written simulation would use).
trait BareList {
    fn new() -> Self;
    fn now(&self) -> u64;
    fn schedule(&mut self, at: u64, event: u32);
    fn run_until(&mut self, horizon: u64, handle: impl FnMut(&mut Self, u32));
}

impl BareList for Engine<u32> {
    fn new() -> Self {
        Engine::new()
    }
    fn now(&self) -> u64 {
        Engine::now(self).0
    }
    fn schedule(&mut self, at: u64, event: u32) {
        Engine::schedule(self, SimTime(at), event);
    }
    fn run_until(&mut self, horizon: u64, handle: impl FnMut(&mut Self, u32)) {
        Engine::run_until(self, SimTime(horizon), handle);
    }
}

/// `std::collections::BinaryHeap` of (time, insertion, event), earliest
/// first, ties first come first out: the bare binary-heap loop the issue
/// names, as a planner would write it without a simulation library.
struct StdHeap {
    heap: BinaryHeap<Reverse<(u64, u64, u32)>>,
    now: u64,
    seq: u64,
}

impl BareList for StdHeap {
    fn new() -> Self {
        StdHeap {
            heap: BinaryHeap::new(),
            now: 0,
            seq: 0,
        }
    }
    fn now(&self) -> u64 {
        self.now
    }
    fn schedule(&mut self, at: u64, event: u32) {
        self.heap.push(Reverse((at, self.seq, event)));
        self.seq += 1;
    }
    fn run_until(&mut self, horizon: u64, mut handle: impl FnMut(&mut Self, u32)) {
        while let Some(&Reverse((time, _, _))) = self.heap.peek() {
            if time > horizon {
                break;
            }
            let Some(Reverse((_, _, event))) = self.heap.pop() else {
                break;
            };
            self.now = time;
            handle(self, event);
        }
    }
}

/// A bare M/M/3 queue (λ = 2.4/h, mean service 60 min) on the event list
/// `L` for `horizon` seconds: the customers served and their summed wait.
fn bare_mmc<L: BareList>(horizon: u64) -> (u64, u64) {
    const ARRIVAL: u32 = u32::MAX;
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut exp = |mean_s: f64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let u = ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        (-u.ln() * mean_s) as u64
    };
    let mut e = L::new();
    e.schedule(exp(1_500.0), ARRIVAL);
    let (mut idle, mut queue) = (3u32, std::collections::VecDeque::new());
    let (mut served, mut waited) = (0u64, 0u64);
    e.run_until(horizon, |eng, ev| {
        let now = eng.now();
        if ev == ARRIVAL {
            eng.schedule(now + exp(1_500.0), ARRIVAL);
            queue.push_back(now);
        } else {
            idle += 1;
        }
        while idle > 0 {
            let Some(t) = queue.pop_front() else { break };
            idle -= 1;
            served += 1;
            waited += now - t;
            eng.schedule(now + exp(3_600.0), 0);
        }
    });
    (served, waited)
}

/// Customers per second: the `run` path end to end against the bare loop.
fn mmc_customers(c: &mut Criterion) {
    let text = include_str!("../scenarios/validation/mmc.toml");
    let sets = ["simulation.horizon_days=365".to_string()];
    let scenario = Scenario::from_toml("mmc.toml", text, &sets).expect("mmc.toml is valid");
    let customers = simulate(&scenario, 1, 0).episodes.len() as u64;
    // The two bare loops are the same queue, event for event (ties first
    // come first out on both lists): the same customers and waits.
    let year = 365 * SimTime::DAY;
    assert_eq!(
        bare_mmc::<Engine<u32>>(year),
        bare_mmc::<StdHeap>(year),
        "the bare loops on the engine and on std's heap differ"
    );
    let mut g = c.benchmark_group("mmc_customers");
    g.throughput(Throughput::Elements(customers));
    g.sample_size(20);
    g.bench_function("run_path_end_to_end", |b| {
        let mut spare = Records::default();
        b.iter(|| {
            let sc = Scenario::from_toml("mmc.toml", black_box(text), &sets).expect("valid");
            let records = simulate_tallied(&sc, 1, 0, std::mem::take(&mut spare));
            let metrics = vardsim::metrics::compute(&sc, &records);
            spare = records;
            metrics
        })
    });
    g.bench_function("bare_mmc_loop", |b| {
        b.iter(|| bare_mmc::<Engine<u32>>(black_box(year)))
    });
    g.bench_function("bare_mmc_loop_std_heap", |b| {
        b.iter(|| bare_mmc::<StdHeap>(black_box(year)))
    });
    g.finish();
}

criterion_group!(benches, mmc, mmc_customers);
criterion_main!(benches);
