//! One replication of the built-in default scenario (a health centre of
//! 9 000 listed over a year), in events per second; beside it, in the same
//! group (so the same run and machine), the same year with issue 13's staff
//! supply and continuity taken out, for the issue's speed must-show
//! (docs/performance.md, "Issue 13: speed").
//!
//! `cargo bench --bench default_scenario`; the README quotes the `thrpt` line
//! of `one_year_replication`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use vardsim::model::{Records, simulate, simulate_tallied};
use vardsim::scenario::Scenario;

/// The heap on transparent huge pages, as in the `vardsim` binary
/// (`vardsim::memory`).
#[global_allocator]
static ALLOCATOR: vardsim::memory::HugePages = vardsim::memory::HugePages;

/// The default without what issue 13 added to it: the `[supply]` table
/// (summer leave, public holidays, absence), named clinicians, unfilled
/// posts, hired staff and stand-ins. Edited in the checked scenario, so it
/// follows the default as it changes.
fn without_issue_13(default: &Scenario) -> Scenario {
    let mut s = default.clone();
    s.supply = None;
    for unit in &mut s.units {
        unit.continuity = None;
        for g in &mut unit.staff {
            // An unfilled post is not there at all (not filled).
            g.count = g.employed();
            g.vacant = 0;
            g.hired.clear();
            g.cover = false;
            g.summer_cover = 1.0;
        }
    }
    for c in &mut s.categories {
        c.continuity_wait_days = 0;
    }
    s
}

fn default_year(c: &mut Criterion) {
    let scenario = Scenario::load(None, &[]).expect("the built-in default is valid");
    let stripped = without_issue_13(&scenario);
    let full = simulate(&scenario, 1, 0);
    let plain = simulate(&stripped, 1, 0);
    // What the comparison rests on: the full default has staff supply and
    // continuity, the stripped one neither.
    let f = &full.flows;
    assert!(f.supply.on && f.booking.continuity.on && f.booking.ledger.displaced > 0);
    let p = &plain.flows;
    assert!(!p.supply.on && !p.booking.continuity.on && p.booking.ledger.displaced == 0);
    assert_eq!(p.supply.hired_days, 0.0);

    let mut g = c.benchmark_group("default_scenario");
    g.sample_size(30);
    for (name, sc, events) in [
        ("one_year_replication", &scenario, full.events),
        ("one_year_without_issue_13", &stripped, plain.events),
    ] {
        g.throughput(Throughput::Elements(events));
        g.bench_function(name, |b| {
            // As the experiment runner does: each worker reuses its record buffers.
            let mut spare = Records::default();
            b.iter(|| {
                let records = simulate_tallied(black_box(sc), 1, 0, std::mem::take(&mut spare));
                let events = records.events;
                spare = records;
                events
            })
        });
    }
    g.finish();
}

criterion_group!(benches, default_year);
criterion_main!(benches);
