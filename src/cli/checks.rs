//! Bounds on what a command line may ask for, checked before any work or
//! allocation (documented in docs/cli.md), and checks of metric keys.

use crate::experiment;
use crate::metrics::MetricUnit;
use crate::scenario::Scenario;
use crate::scenario::source::closest;

/// Most replications per scenario or point (`-r`, `--max-replications`).
pub const MAX_REPLICATIONS: u32 = 100_000;
/// Most worker threads (`--threads`).
pub const MAX_THREADS: usize = 1024;
/// Most points of a sweep grid.
pub const MAX_GRID_POINTS: usize = 100_000;
/// `target --min` and `--max` lie in `0..=MAX_TARGET_VALUE` (the varied key
/// is a count such as staff).
pub const MAX_TARGET_VALUE: i64 = 10_000;
/// Replications (over all points) from which a sweep says it is large.
pub const LARGE_JOB_REPLICATIONS: u64 = 10_000;
/// Replications × simulated days from which a run says it is large (about
/// 2 700 replication-years: minutes of work).
pub const LARGE_JOB_REPLICATION_DAYS: u64 = 1_000_000;

/// Checks `-r` (and the like) against [`MAX_REPLICATIONS`].
pub fn replications(option: &str, n: u32) -> anyhow::Result<()> {
    anyhow::ensure!(
        n <= MAX_REPLICATIONS,
        "{option} {n}: at most {MAX_REPLICATIONS} replications are allowed\n  hint: `sweep` and `target` take --precision to stop as soon as the CI is narrow enough"
    );
    Ok(())
}

/// Checks `--precision`: a positive half-width of the 95 % CI, in the
/// metric's unit.
pub fn precision(h: f64) -> anyhow::Result<f64> {
    anyhow::ensure!(
        h > 0.0,
        "--precision {h}: expected a positive half-width of the 95 % CI\n  hint: in the metric's unit, e.g. --precision 0.01 for ±1 point on a share, 0.5 for ±0.5 days"
    );
    Ok(h)
}

/// Checks `--threads`: 1 to [`MAX_THREADS`].
pub fn threads(threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(t) = threads {
        anyhow::ensure!(
            (1..=MAX_THREADS).contains(&t),
            "--threads {t}: expected 1 to {MAX_THREADS}\n  hint: leave it out for one thread per core"
        );
    }
    Ok(())
}

/// Refuses metric keys the scenario does not produce, listing the known
/// ones and the closest match; the units of those asked, in order.
pub fn metrics(scenario: &Scenario, asked: &[String]) -> anyhow::Result<Vec<MetricUnit>> {
    if asked.is_empty() {
        return Ok(Vec::new());
    }
    let units = experiment::metric_units(scenario);
    let known: Vec<String> = units.keys().cloned().collect();
    let unknown: Vec<String> = asked
        .iter()
        .filter(|k| !known.contains(k))
        .map(|k| match closest(k, &known) {
            Some(c) => format!("unknown metric `{k}` (did you mean `{c}`?)"),
            None => format!("unknown metric `{k}`"),
        })
        .collect();
    anyhow::ensure!(
        unknown.is_empty(),
        "{}\n  the scenario produces: {}\n  hint: --metric takes one of these keys, as in summary.json",
        unknown.join("\n"),
        known.join(", ")
    );
    Ok(asked.iter().map(|k| units[k]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_a_misspelt_metric_but_not_a_stranger() {
        let known = vec![
            "assessment_within_3_days".to_string(),
            "contact_same_day".to_string(),
        ];
        assert_eq!(
            closest("assesment_within_3_day", &known),
            Some("assessment_within_3_days")
        );
        assert_eq!(closest("zzz", &known), None);
    }

    #[test]
    fn bounds_refuse_zero_and_huge() {
        assert!(threads(Some(0)).is_err());
        assert!(threads(Some(1_000_000)).is_err());
        assert!(threads(Some(4)).is_ok());
        assert!(replications("-r", 1_000_000_000).is_err());
        assert!(replications("-r", 20).is_ok());
    }
}
