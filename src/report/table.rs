//! The summary table printed to the terminal, in English (metric keys,
//! as in summary.json) or Swedish (labels, decimal comma, thousands
//! separators); guarantee rules first either way.

use super::Lang;
use crate::experiment::RunResults;
use crate::metrics::{By, Estimate, MetricUnit};

/// A value for people: shares as percentages, counts without decimals.
pub fn fmt_value(x: f64, unit: MetricUnit) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    match unit {
        MetricUnit::Share => format!("{:.1} %", x * 100.0),
        MetricUnit::Minutes | MetricUnit::Days | MetricUnit::Hours => format!("{x:.2}"),
        MetricUnit::Count if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        MetricUnit::Count => format!("{x:.2}"),
        MetricUnit::Sek => format!("{x:.0}"),
    }
}

fn fmt_ci(e: &Estimate, unit: MetricUnit) -> String {
    if e.ci95_low.is_finite() {
        format!(
            "{} – {}",
            fmt_value(e.ci95_low, unit),
            fmt_value(e.ci95_high, unit)
        )
    } else {
        "–".into()
    }
}

/// The overall metrics' keys with the guarantee rules (the metrics with a
/// weekly breakdown) first, then the rest in key order.
fn rules_first(results: &RunResults) -> Vec<&str> {
    let rule = |k: &str| {
        results
            .summary
            .breakdown
            .iter()
            .any(|b| b.metric == k && b.by == By::Week)
    };
    let mut keys: Vec<&str> = results.summary.metrics.keys().map(String::as_str).collect();
    keys.sort_by_key(|k| !rule(k));
    keys
}

/// The summary table in `lang`: [`summary_table`] in English; in Swedish
/// each metric by its label, values with a decimal comma and thousands
/// separators (`87,4 %`, `1 479 000`), Swedish units.
pub fn summary_table_in(results: &RunResults, lang: Lang) -> String {
    if lang == Lang::En {
        return summary_table(results);
    }
    let mut rows = vec![
        ["Mått", "Medelvärde", "95 % KI", "Enhet"]
            .map(String::from)
            .to_vec(),
    ];
    for k in rules_first(results) {
        let m = &results.summary.metrics[k];
        let unit = m.unit.key();
        let e = &m.estimate;
        let ci = if e.ci95_low.is_finite() {
            format!(
                "{} – {}",
                lang.value(e.ci95_low, unit),
                lang.value(e.ci95_high, unit)
            )
        } else {
            "–".into()
        };
        rows.push(vec![
            lang.metric(k),
            lang.value(e.mean, unit),
            ci,
            lang.unit(unit).to_string(),
        ]);
    }
    format!(
        "scenario {} · {} körningar · slumpfrö {}\n\n{}",
        results.scenario,
        results.replications.len(),
        results.seed,
        aligned(&rows)
    )
}

/// A plain-text table of every overall metric (guarantee rules first): key,
/// mean, 95 % CI, unit.
pub fn summary_table(results: &RunResults) -> String {
    let rows: Vec<[String; 4]> = rules_first(results)
        .into_iter()
        .map(|k| (k, &results.summary.metrics[k]))
        .map(|(k, m)| {
            [
                k.to_string(),
                fmt_value(m.estimate.mean, m.unit),
                fmt_ci(&m.estimate, m.unit),
                m.unit.key().to_string(),
            ]
        })
        .collect();
    let header = ["metric", "mean", "95 % CI", "unit"];
    let mut width = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: [&str; 4]| {
        format!(
            "{:<w0$}  {:>w1$}  {:>w2$}  {}\n",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            w0 = width[0],
            w1 = width[1],
            w2 = width[2]
        )
    };
    let mut out = format!(
        "scenario {} · {} replications · seed {}\n\n",
        results.scenario,
        results.replications.len(),
        results.seed
    );
    out.push_str(&line(header));
    out.push_str(&format!(
        "{}\n",
        "-".repeat(width.iter().sum::<usize>() + 6 + width[3])
    ));
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3]]));
    }
    out
}

/// Rows as aligned columns: the first left-aligned, the rest right-aligned,
/// a rule under the first row (the header).
pub fn aligned(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (n, r) in rows.iter().enumerate() {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            let pad = width[i] - cell.chars().count();
            if i == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if n == 0 {
            out.push_str(&"-".repeat(width.iter().sum::<usize>() + 2 * cols.saturating_sub(1)));
            out.push('\n');
        }
    }
    out
}
