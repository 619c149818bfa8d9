//! `vardsim target`: the smallest value of a staffing parameter that meets a
//! target with 95 % confidence, printing each step of the search.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;

use super::{CommonArgs, Format, Interrupted, cancel_flag, checks};
use crate::experiment::sweep::{self, Point, Precision, Replications};
use crate::experiment::target::{self, Goal, Step};
use crate::metrics::{Estimate, MetricUnit};
use crate::report::{Lang, fmt_number, numbers, replications_text, whole};
use crate::scenario::Scenario;

/// The booking key that sets the patient-chosen share, below `units.<unit>`.
const PATIENT_CHOSEN_SHARE: &str = "booking.patient_chosen_share";

pub(super) const TARGET_EXAMPLES: &str = "\
Examples:
  vardsim target --metric assessment_within_3_days --at-least 0.9 \\
      --vary units.vc.staff.doctor.count --min 2 --max 10
  vardsim target scenarios/validation/mmc.toml --metric dropin_wait_over_30_min --at-most 0.05 \\
      --vary units.desk.staff.nurse.count --min 3 --max 10 -r 5
  vardsim target --metric contact_same_day --at-least 0.9 --vary units.vc.staff.nurse_phone.count \\
      --min 2 --max 12 --precision 0.005      replications until each CI is ±0.5 pp
  vardsim target --metric assessment_within_3_days --at-least 0.85 \\
      --vary units.vc.staff.doctor.count --min 2 --max 10 --lang sv   steps and answer in Swedish";

/// Arguments of `vardsim target`.
#[derive(Debug, clap::Args)]
pub struct TargetArgs {
    /// Scenario file (TOML); the built-in default scenario without it.
    pub scenario: Option<PathBuf>,
    /// The metric that must meet the target.
    #[arg(long, value_name = "KEY")]
    pub metric: String,
    /// Target: the metric's whole 95 % CI at or above X (shares as 0–1).
    #[arg(long, value_name = "X", required_unless_present = "at_most", value_parser = super::parse_decimal)]
    pub at_least: Option<f64>,
    /// Target: the metric's whole 95 % CI at or below X (e.g. a waiting time).
    #[arg(long, value_name = "X", conflicts_with = "at_least", value_parser = super::parse_decimal)]
    pub at_most: Option<f64>,
    /// The scenario key to vary (an integer, such as a staff count).
    #[arg(long, value_name = "PATH")]
    pub vary: String,
    /// Smallest value to consider.
    #[arg(long)]
    pub min: i64,
    /// Largest value to consider.
    #[arg(long)]
    pub max: i64,
    /// Add replications at each step until the metric's CI half-width is at most H.
    #[arg(long, value_name = "H", value_parser = super::parse_decimal)]
    pub precision: Option<f64>,
    /// Cap on replications per step under `--precision`.
    #[arg(long, default_value_t = 200)]
    pub max_replications: u32,
    /// Language of the printed steps and answer: en or sv (the metric's
    /// label, decimal comma) [default: en]. `--format json` stays as it is.
    #[arg(long, value_parser = super::parse_lang)]
    pub lang: Option<Lang>,
    /// Replications, seed, overrides, output format and threads.
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Serialize)]
struct TargetFile<'a> {
    metric: &'a str,
    goal: &'static str,
    target: f64,
    vary: &'a str,
    seed: u64,
    steps: Vec<StepRow>,
    answer: Option<i64>,
    /// When even `--max` misses: the metric at twice `--max`.
    #[serde(skip_serializing_if = "Option::is_none")]
    plateau: Option<Plateau>,
    /// When a guarantee rule misses: what patient choice caps it at.
    #[serde(skip_serializing_if = "Option::is_none")]
    cap: Option<Cap>,
    /// When the mean at `--max` is past the target but its CI is not: the
    /// precision that would tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    too_wide: Option<TooWide>,
}

/// What the search learnt of a target it did not reach (see
/// [`unreachable_text`]).
struct Unreached<'a> {
    plateau: Option<&'a Plateau>,
    cap: Option<&'a Cap>,
    too_wide: Option<&'a TooWide>,
    /// `--max` is the largest value the key takes.
    at_limit: bool,
}

/// Too few replications at `--max` to tell (its mean is past the target).
#[derive(Serialize)]
struct TooWide {
    /// A CI half-width that would separate the mean from the target.
    precision: f64,
    /// Replications the step had.
    replications: usize,
}

/// The metric one step past `--max` (twice it): does more of the varied
/// key still help?
#[derive(Serialize)]
struct Plateau {
    value: i64,
    mean: Option<f64>,
    /// Its mean minus the mean at `--max`.
    gain: Option<f64>,
    /// The gain is within the 95 % CI half-width at `--max` (or under half
    /// a point): the metric has levelled off, something else caps it.
    levels_off: bool,
    /// It moved away from the target by more than that: the metric gets
    /// worse as the key rises (utilisation as staff are added), which the
    /// search's assumption does not hold for; not "levels off".
    worsens: bool,
}

/// The ceiling patient choice sets on a guarantee rule, at `--max`.
#[derive(Serialize)]
struct Cap {
    /// The setting that caps it, as `--set` takes it:
    /// `units.<key>.booking.patient_chosen_share`, or with `<unit>` when
    /// the scenario has several units.
    setting: String,
    /// Its value (the largest among the units).
    value: f64,
    /// The scenario has several units (`value` is their largest).
    #[serde(skip)]
    several_units: bool,
    /// Share of the rule's counted episodes that missed it with a
    /// patient-chosen wait (`<rule>_missed_patient_chosen`).
    missed_patient_chosen: Option<f64>,
    /// One minus that: no staffing takes the rule above it.
    ceiling: Option<f64>,
    /// The rule under the legal definition, and its mean at `--max`.
    legal_metric: String,
    legal_mean: Option<f64>,
}

#[derive(Serialize)]
struct StepRow {
    value: i64,
    replications: usize,
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
    meets: bool,
}

pub(super) fn target_command(args: TargetArgs) -> anyhow::Result<()> {
    let common = &args.common;
    common.check()?;
    checks::replications("--max-replications", args.max_replications)?;
    for (option, v) in [("--min", args.min), ("--max", args.max)] {
        anyhow::ensure!(
            (0..=checks::MAX_TARGET_VALUE).contains(&v),
            "{option} {v}: expected 0 to {} (the varied key is a count, such as staff)",
            checks::MAX_TARGET_VALUE
        );
    }
    // The search steps through whole numbers: a decimal key (a rate, a
    // share) would be searched in steps of 1, its answer a coarse guess.
    let schema = crate::scenario::schema::json_schema();
    if let Some(kind) =
        crate::scenario::schema::key_type(&schema, &args.vary).filter(|kind| kind != "integer")
    {
        let hint = if kind == "number" {
            format!(
                "sweep it instead, e.g. `vardsim sweep --grid {}=0.5,1,1.5,2 --metric {}`",
                args.vary, args.metric
            )
        } else {
            "vary a count, such as units.vc.staff.doctor.count".to_string()
        };
        anyhow::bail!(
            "--vary {}: a {} key; target searches whole numbers, such as a staff count\n  hint: {hint}",
            args.vary,
            if kind == "number" {
                "decimal"
            } else {
                kind.as_str()
            },
        );
    }
    anyhow::ensure!(
        args.min <= args.max,
        "--min {} is above --max {}",
        args.min,
        args.max
    );
    let goal = match (args.at_least, args.at_most) {
        (Some(x), _) => Goal::AtLeast(x),
        (None, Some(x)) => Goal::AtMost(x),
        (None, None) => anyhow::bail!("give --at-least X or --at-most X"),
    };
    let rule = match args.precision {
        None => Replications::Fixed(common.replications().max(2)),
        Some(h) => {
            let h = checks::precision(h)?;
            Replications::Precision(Precision {
                metrics: vec![args.metric.clone()],
                half_width: h,
                initial: common.replications().max(2),
                max: args.max_replications.max(2),
            })
        }
    };
    let file = args
        .scenario
        .as_deref()
        .filter(|p| p.as_os_str() != "builtin:default");
    let seed = common.seed();
    // A misspelt metric is refused before the search, from one short week.
    let mut probe_sets = common.sets.clone();
    probe_sets.push(format!("{}={}", args.vary, args.max));
    let probe = super::load_scenario(file, &probe_sets, args.lang.unwrap_or_default())?;
    let units = checks::metrics(&probe, std::slice::from_ref(&args.metric))?;
    let unit_keys: Vec<&str> = probe.units.iter().map(|u| u.key.as_str()).collect();
    let cap_setting = cap_setting(&unit_keys);
    let several_units = unit_keys.len() > 1;
    // A share given as a percentage (85 for 0.85) is never met and makes
    // nonsense of the answer's advice: refused, with the share it means.
    if units.first() == Some(&MetricUnit::Share) {
        let (option, x) = match goal {
            Goal::AtLeast(x) => ("--at-least", x),
            Goal::AtMost(x) => ("--at-most", x),
        };
        anyhow::ensure!(
            (0.0..=1.0).contains(&x),
            "{option} {x}: `{}` is a share, from 0 to 1\n  hint: {option} {} for {x} %",
            args.metric,
            x / 100.0
        );
    }
    let cancel = cancel_flag();
    let table = common.format == Format::Table;
    // The metric's unit (known from the scenario; each evaluation says it
    // again): the goal and every step are written alike.
    let unit = std::cell::Cell::new(units.first().copied().unwrap_or(MetricUnit::Share));
    // Per value tried: the rule's patient-chosen misses and its legal
    // definition (guarantee rules only), and the patient-choice share.
    let missed_key = format!("{}{}", args.metric, crate::metrics::MISSED_PATIENT_CHOSEN);
    let legal_key = format!(
        "{}{}",
        args.metric,
        crate::metrics::EXCLUDING_PATIENT_CHOSEN
    );
    let extras: std::cell::RefCell<std::collections::BTreeMap<i64, (Estimate, Estimate, f64)>> =
        Default::default();
    let mut evaluate = |value: i64| -> anyhow::Result<Estimate> {
        let mut sets = common.sets.clone();
        sets.push(format!("{}={value}", args.vary));
        let scenario = Scenario::load(file, &sets)?;
        let run = || sweep::replicate(&scenario, seed, &rule, cancel, &|| {});
        let reps = crate::experiment::in_pool(common.threads, run)??;
        let Some(reps) = reps else {
            return Err(Interrupted(
                "interrupted: the search stopped before it had an answer".into(),
            )
            .into());
        };
        let point = Point {
            index: 0,
            values: vec![value.to_string()],
        };
        let result = sweep::point_result(point, &scenario, seed, &rule, &reps);
        let m = result.metrics.get(&args.metric).with_context(|| {
            format!(
                "unknown metric `{}`; the scenario produces: {}",
                args.metric,
                result
                    .metrics
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        unit.set(m.unit);
        if let (Some(missed), Some(legal)) = (
            result.metrics.get(&missed_key),
            result.metrics.get(&legal_key),
        ) {
            let share = scenario
                .units
                .iter()
                .map(|u| u.booking.patient_chosen_share)
                .fold(0.0, f64::max);
            extras.borrow_mut().insert(
                value,
                (
                    missed.estimate(&missed_key),
                    legal.estimate(&legal_key),
                    share,
                ),
            );
        }
        Ok(m.estimate(&args.metric))
    };
    let (goal_text, target_value) = match goal {
        Goal::AtLeast(x) => ("at_least", x),
        Goal::AtMost(x) => ("at_most", x),
    };
    let lang = args.lang.unwrap_or_default();
    // A value as the language writes it; `w`: counts whole (`whole`).
    let shown = |x: f64, w: bool| match lang {
        Lang::En => fmt_number(x, unit.get(), w),
        Lang::Sv => lang.value_as(x, unit.get().key(), w),
    };
    if table {
        let sign = if goal_text == "at_least" {
            "≥"
        } else {
            "≤"
        };
        outln!(
            "{} {} {} {} {sign} {} ({}) · {} {seed} · {}",
            lang.pick("smallest", "minsta värde för"),
            vary_shown(&args, lang),
            lang.pick("with", "där"),
            match lang {
                Lang::En => args.metric.clone(),
                Lang::Sv => lang.metric(&args.metric),
            },
            // As the rows write it: a share's goal as a percentage
            // (`≥ 90.0 %` beside rows in %, not `≥ 0.9`), a whole goal
            // whole (`≥ 45,000` visits, not `≥ 45,000.00`).
            shown(target_value, target_value.fract() == 0.0),
            lang.pick("whole 95 % CI", "hela 95 % KI"),
            lang.pick("seed", "slumpfrö"),
            replications_text(&rule, lang)
        )?;
    }
    let mut rows = Vec::new();
    let mut on_step = |s: &Step| {
        if table {
            // The mean and its CI written alike (`135.00 (130.00 – 140.50)`).
            let w = whole(&numbers(&s.estimate));
            let ci = if s.estimate.ci95_low.is_finite() {
                format!(
                    "({} – {})",
                    shown(s.estimate.ci95_low, w),
                    shown(s.estimate.ci95_high, w)
                )
            } else {
                String::new()
            };
            let _ = outln!(
                "  {} = {:<4} {} {ci} {} {} {} → {}",
                vary_shown(&args, lang),
                s.value,
                shown(s.estimate.mean, w),
                lang.pick("over", "över"),
                s.estimate.n,
                lang.pick("replications", "körningar"),
                match (s.meets, lang) {
                    (true, Lang::En) => "meets",
                    (false, Lang::En) => "does not meet",
                    (true, Lang::Sv) => "uppfyller målet",
                    (false, Lang::Sv) => "uppfyller inte målet",
                }
            );
        }
        let num = |x: f64| x.is_finite().then_some(x);
        rows.push(StepRow {
            value: s.value,
            replications: s.estimate.n,
            mean: num(s.estimate.mean),
            ci95_low: num(s.estimate.ci95_low),
            ci95_high: num(s.estimate.ci95_high),
            meets: s.meets,
        });
    };
    let result = target::search(args.min, args.max, goal, &mut evaluate, &mut on_step)?;
    // Unreachable within --max: does the metric still rise past it (twice
    // --max), and does patient choice cap it?
    let mut plateau = None;
    let mut cap = None;
    // --max is the largest value the key takes: raising it is no advice.
    let mut at_limit = false;
    // The mean at --max is past the target but not its whole CI: too few
    // replications, not too little staff (the advice is precision).
    let mut too_wide = None;
    let at_max = result.steps[0].estimate;
    let mean_past = match goal {
        Goal::AtLeast(x) => at_max.mean >= x,
        Goal::AtMost(x) => at_max.mean <= x,
    };
    if result.answer.is_none() && mean_past {
        let distance = (at_max.mean - target_value).abs();
        // A half-width that separates the mean from the target: four
        // fifths of the distance, one significant digit, rounded down.
        let h = 0.8 * distance;
        let exp = h.log10().floor();
        // Divided by an exact power of ten below 1, so that the tip reads
        // 0.3, not 0.30000000000000004 (3 × 0.1).
        let digit = (h * 10f64.powf(-exp)).floor();
        let rounded = if exp < 0.0 {
            digit / 10f64.powf(-exp)
        } else {
            digit * 10f64.powf(exp)
        };
        too_wide = Some(TooWide {
            precision: rounded.max(f64::MIN_POSITIVE),
            replications: at_max.n,
        });
    } else if result.answer.is_none() {
        let at_max = &at_max;
        // Twice --max, or the largest value above it the key takes (a
        // day count of at most 365 cannot be probed at 730).
        let loads = |value: i64| {
            let mut sets = common.sets.clone();
            sets.push(format!("{}={value}", args.vary));
            Scenario::load(file, &sets).is_ok()
        };
        let mut probe = (args.max * 2).min(checks::MAX_TARGET_VALUE);
        while probe > args.max && !loads(probe) {
            probe = args.max + (probe - args.max) / 2;
        }
        at_limit = probe == args.max;
        if probe > args.max {
            let e = evaluate(probe)?;
            let gain = e.mean - at_max.mean;
            let half = (at_max.ci95_high - at_max.ci95_low) / 2.0;
            let slack = if half.is_finite() { half } else { 0.0 };
            let better = match goal {
                Goal::AtLeast(_) => gain,
                Goal::AtMost(_) => -gain,
            };
            let noise = slack.max(if unit.get() == MetricUnit::Share {
                0.005
            } else {
                0.0
            });
            // A loss beyond the noise is no plateau: the metric falls as
            // the key rises, and "another setting caps it" would be wrong.
            let worsens = better.is_finite() && better < -noise;
            plateau = Some(Plateau {
                value: probe,
                mean: e.mean.is_finite().then_some(e.mean),
                gain: gain.is_finite().then_some(gain),
                levels_off: better.is_finite() && !worsens && better <= noise,
                worsens,
            });
        }
        if let Some(&(missed, legal, share)) = extras.borrow().get(&args.max)
            && missed.mean.is_finite()
            && missed.mean > 0.0
        {
            let num = |x: f64| x.is_finite().then_some(x);
            cap = Some(Cap {
                setting: cap_setting.clone(),
                several_units,
                value: share,
                missed_patient_chosen: num(missed.mean),
                ceiling: num(1.0 - missed.mean),
                legal_metric: legal_key.clone(),
                legal_mean: num(legal.mean),
            });
        }
    }
    let mut stdout = std::io::stdout().lock();
    match common.format {
        Format::Json => {
            let file = TargetFile {
                metric: &args.metric,
                goal: goal_text,
                target: target_value,
                vary: &args.vary,
                seed,
                steps: rows,
                answer: result.answer,
                plateau,
                cap,
                too_wide,
            };
            let mut text = serde_json::to_string_pretty(&file)?;
            text.push('\n');
            stdout.write_all(text.as_bytes())
        }
        Format::Table => match result.answer {
            Some(v) => writeln!(
                stdout,
                "{}: {} = {v}{}{}",
                lang.pick("answer", "svar"),
                vary_shown(&args, lang),
                // The Swedish label names the key; the setting as typed.
                match lang {
                    Lang::En => String::new(),
                    Lang::Sv => format!(" (--set {}={v})", args.vary),
                },
                at_min_note(&args, v, lang)
            ),
            None => writeln!(
                stdout,
                "{}",
                unreachable_text(
                    &args,
                    (lang, unit.get(), &shown),
                    Unreached {
                        plateau: plateau.as_ref(),
                        cap: cap.as_ref(),
                        too_wide: too_wide.as_ref(),
                        at_limit,
                    }
                )
            ),
        },
    }
    .context("writing to stdout")
}

/// When the answer is `--min` itself (above 0), the search never saw a
/// value that fails: a smaller one may meet the goal too, so the answer is
/// not known to be the smallest.
fn at_min_note(args: &TargetArgs, answer: i64, lang: Lang) -> String {
    if answer != args.min || args.min == 0 {
        return String::new();
    }
    let vary = vary_shown(args, lang);
    match lang {
        Lang::En => format!(
            "\n  --min {answer} already meets the target, so a smaller value may too: \
             lower --min to find the smallest {vary}"
        ),
        Lang::Sv => format!(
            "\n  --min {answer} uppfyller redan målet, så ett mindre värde kan också göra det: \
             sänk --min för att hitta minsta {vary}"
        ),
    }
}

/// The varied key as the table names it: as typed in English, by the name
/// a sweep's charts give it in Swedish (`Läkare (antal), vc`).
fn vary_shown(args: &TargetArgs, lang: Lang) -> String {
    match lang {
        Lang::En => args.vary.clone(),
        Lang::Sv => lang.key_label(&args.vary),
    }
}

/// The patient-chosen share's key as `--set` takes it: the one unit's own
/// (`units.vc.booking.patient_chosen_share`), or the pattern with `<unit>`
/// when the scenario has several.
fn cap_setting(unit_keys: &[&str]) -> String {
    match unit_keys {
        [key] => format!("units.{key}.{PATIENT_CHOSEN_SHARE}"),
        _ => format!("units.<unit>.{PATIENT_CHOSEN_SHARE}"),
    }
}

/// Why no value up to `--max` meets the target: whether the metric still
/// rises past it, and what caps a guarantee rule. `shown`: a value as
/// `lang` writes it (counts whole or not).
fn unreachable_text(
    args: &TargetArgs,
    (lang, unit, shown): (Lang, MetricUnit, &dyn Fn(f64, bool) -> String),
    miss: Unreached<'_>,
) -> String {
    let Unreached {
        plateau,
        cap,
        too_wide,
        at_limit,
    } = miss;
    let v = |x: Option<f64>| x.map_or("–".to_string(), |x| shown(x, whole(&[x])));
    let (vary, max) = (vary_shown(args, lang), args.max);
    let sv = lang == Lang::Sv;
    if let Some(t) = too_wide {
        let (n, h) = (t.replications.max(2) * 4, t.precision);
        return if sv {
            format!(
                "svar: inget ännu — vid {vary} = {max} når medelvärdet målet, men inte hela 95 % KI: \
                 för få körningar för att avgöra.\n  tips: -r {n}, eller --precision {}",
                lang.decimal(h)
            )
        } else {
            format!(
                "answer: none yet — at {vary} = {max} the mean meets the target but not its whole 95 % CI: \
                 too few replications to tell.\n  hint: -r {n}, or --precision {h}"
            )
        };
    }
    let mut text = if sv {
        format!("svar: inget — inte ens {vary} = {max} uppfyller målet")
    } else {
        format!("answer: none — even {vary} = {max} does not meet the target")
    };
    // The gain at the probe in points for a share; no "-0.0": a gain that
    // rounds to nothing is nothing.
    let points = |p: &Plateau| {
        p.gain
            .map(|g| {
                g * if unit == MetricUnit::Share {
                    100.0
                } else {
                    1.0
                }
            })
            .map_or(f64::NAN, |g| if g.abs() < 0.05 { 0.0 } else { g })
    };
    match plateau {
        Some(p) if p.worsens => {
            let (value, mean, points) = (p.value, v(p.mean), points(p));
            let (min, metric) = (args.min, &args.metric);
            text.push_str(&if sv {
                format!(
                    ".\n  Det blir sämre när {vary} ökar: {vary} = {value} ger {mean} ({}{}). \
                     target söker det minsta värde som uppfyller målet och förutsätter att måttet blir bättre när \
                     {vary} ökar; se det över intervallet: vardsim sweep --grid {vary}={min}..{max} --metric {metric}",
                    lang.number(points, 1),
                    if unit == MetricUnit::Share { " procentenheter" } else { "" }
                )
            } else {
                format!(
                    ".\n  It gets worse as {vary} rises: {vary} = {value} gives {mean} ({points:+.1}{}). \
                     target looks for the smallest value that meets the goal and assumes the metric improves as \
                     {vary} rises; see it over the range: vardsim sweep --grid {vary}={min}..{max} --metric {metric}",
                    if unit == MetricUnit::Share { " points" } else { "" }
                )
            });
        }
        Some(p) if p.levels_off => {
            let (value, mean, points) = (p.value, v(p.mean), points(p));
            text.push_str(&if sv {
                format!(
                    ".\n  Det planar ut: {vary} = {value} ger {mean} ({}{}{}), så ett högre --max hjälper inte; \
                     en annan inställning begränsar det.",
                    if points >= 0.0 { "+" } else { "" },
                    lang.number(points, 1),
                    if unit == MetricUnit::Share { " procentenheter" } else { "" }
                )
            } else {
                format!(
                    ".\n  It levels off: {vary} = {value} gives {mean} ({points:+.1}{}), so raising --max will not help; \
                     another setting caps it.",
                    if unit == MetricUnit::Share { " points" } else { "" }
                )
            });
        }
        Some(p) => text.push_str(&if sv {
            format!("; {vary} = {} ger {}: höj --max", p.value, v(p.mean))
        } else {
            format!("; {vary} = {} gives {}: raise --max", p.value, v(p.mean))
        }),
        None if at_limit => text.push_str(&if sv {
            format!(", det största värde {vary} kan ha; en annan inställning begränsar det")
        } else {
            format!(", the largest value {vary} takes; another setting caps it")
        }),
        None => text.push_str(lang.pick("; raise --max", "; höj --max")),
    }
    if let Some(c) = cap {
        let (missed, ceiling, legal) = (v(c.missed_patient_chosen), v(c.ceiling), v(c.legal_mean));
        let (setting, legal_metric) = (&c.setting, &c.legal_metric);
        // Several units: the largest of their shares.
        let value = match (c.several_units, lang) {
            (false, Lang::En) => format!(" = {}", c.value),
            (false, Lang::Sv) => format!(" = {}", lang.decimal(c.value)),
            (true, Lang::En) => format!(", at most {}", c.value),
            (true, Lang::Sv) => format!(", högst {}", lang.decimal(c.value)),
        };
        text.push_str(&if sv {
            format!(
                "\n  Tak: {missed} av ärendena som regeln räknar missar den med en väntan patienten valt \
                 ({setting}{value}), så ingen bemanning tar den över {ceiling}.\n  \
                 Enligt lagens definition (patientvald väntan undantagen) är den {legal} vid {vary} = {max}: \
                 --metric {legal_metric}"
            )
        } else {
            format!(
                "\n  Cap: {missed} of the episodes it counts miss it with a wait the patient chose \
                 ({setting}{value}), so no staffing takes it above {ceiling}.\n  \
                 Under the legal definition (patient-chosen waits excluded) it is {legal} at {vary} = {max}: \
                 --metric {legal_metric}"
            )
        });
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_names_a_key_that_set_takes() {
        // A user's finding: the cap named `booking.patient_chosen_share`,
        // which `--set` refuses (unknown key `booking`).
        assert_eq!(
            cap_setting(&["vc"]),
            "units.vc.booking.patient_chosen_share"
        );
        assert_eq!(
            cap_setting(&["odensala", "lugnvik"]),
            "units.<unit>.booking.patient_chosen_share"
        );
    }
}
