//! Engine speed on the M/M/c validation scenario, in events per second.
//!
//! `cargo bench --bench engine_mmc`. Criterion's `thrpt` line is the figure
//! quoted in the README (elements = events handled by the engine).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use vardsim::engine::{Engine, SimTime};
use vardsim::model::{Records, simulate, simulate_tallied};
use vardsim::scenario::Scenario;

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

criterion_group!(benches, mmc);
criterion_main!(benches);
