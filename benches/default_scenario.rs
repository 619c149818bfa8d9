//! One replication of the built-in default scenario (a health centre of
//! 9 000 listed over a year), in events per second.
//!
//! `cargo bench --bench default_scenario`; the README quotes the `thrpt` line.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use vardsim::model::{Records, simulate, simulate_tallied};
use vardsim::scenario::Scenario;

fn default_year(c: &mut Criterion) {
    let scenario = Scenario::load(None, &[]).expect("the built-in default is valid");
    let events = simulate(&scenario, 1, 0).events;
    let mut g = c.benchmark_group("default_scenario");
    g.throughput(Throughput::Elements(events));
    g.sample_size(30);
    g.bench_function("one_year_replication", |b| {
        // As the experiment runner does: each worker reuses its record buffers.
        let mut spare = Records::default();
        b.iter(|| {
            let records = simulate_tallied(black_box(&scenario), 1, 0, std::mem::take(&mut spare));
            let events = records.events;
            spare = records;
            events
        })
    });
    g.finish();
}

criterion_group!(benches, default_year);
criterion_main!(benches);
