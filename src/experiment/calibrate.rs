//! Fitting the few free parameters that a region's own figures pin down:
//! each unit's contact rate and its month-by-month profile (in closed form,
//! from the counted contacts), its telephone capacity (from the published
//! "0") and its patient-choice share (from the published "3").
//!
//! The simulated fits bisect every unit's parameter *at once*: one
//! evaluation runs the whole scenario with each unit's current trial value,
//! and each unit's bracket is narrowed by its own figure. Units share
//! little (a remote doctor, a mobile team), so the brackets shrink together
//! and a region costs about as many runs as one unit. Every evaluation uses
//! the same seed (common random numbers), so the figure moves with the
//! parameter, not with the noise, and bisection stays orderly.

/// One parameter to fit for one unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Knob {
    /// The scenario key it sets (`units.vc.phone.callback_slot_minutes`).
    pub path: String,
    /// Smallest value tried.
    pub lo: f64,
    /// Largest value tried.
    pub hi: f64,
    /// Whether the figure rises with the value (more capacity, better "0").
    pub rising: bool,
    /// The observed figure to reach.
    pub observed: f64,
    /// Decimals kept when the value is written.
    pub decimals: i32,
}

/// Whether the observed figure lies within what the knob's range reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Reached inside the range.
    Inside,
    /// Even the range's best end gives less than observed.
    Below,
    /// Even the range's worst end gives more than observed.
    Above,
}

/// A knob's fitted value.
#[derive(Clone, Debug, PartialEq)]
pub struct KnobFit {
    /// The value (rounded to the knob's decimals).
    pub value: f64,
    /// Whether the figure was reached inside the range.
    pub reach: Reach,
    /// The figure at the two ends of the final bracket.
    pub bracket: [(f64, f64); 2],
}

/// One run of the scenario: a value per knob in, the model's figure per
/// knob out.
pub type Evaluate<'a, E> = dyn FnMut(&[f64]) -> Result<Vec<f64>, E> + 'a;

/// Fits every knob by simultaneous bisection: evaluates both ends of every
/// range (two runs), fixes knobs whose figure lies outside what their range
/// reaches at the nearer end, then halves every other bracket `iterations`
/// times (one run each) and keeps the end of the last bracket whose figure
/// is nearer the observed one.
/// `evaluate` gets one value per knob and returns the model's figure per
/// knob, in the same order.
pub fn fit_all<E>(
    knobs: &[Knob],
    iterations: u32,
    evaluate: &mut Evaluate<'_, E>,
) -> Result<Vec<KnobFit>, E> {
    if knobs.is_empty() {
        return Ok(Vec::new());
    }
    let lows: Vec<f64> = knobs.iter().map(|k| k.lo).collect();
    let highs: Vec<f64> = knobs.iter().map(|k| k.hi).collect();
    let f_lo = evaluate(&lows)?;
    let f_hi = evaluate(&highs)?;
    // Brackets as (value, figure) at the end where the figure is below the
    // observed one and at the end where it is above.
    let mut below: Vec<(f64, f64)> = Vec::with_capacity(knobs.len());
    let mut above: Vec<(f64, f64)> = Vec::with_capacity(knobs.len());
    let mut reach = Vec::with_capacity(knobs.len());
    for (i, k) in knobs.iter().enumerate() {
        let (worst, best) = if k.rising {
            ((k.lo, f_lo[i]), (k.hi, f_hi[i]))
        } else {
            ((k.hi, f_hi[i]), (k.lo, f_lo[i]))
        };
        reach.push(if best.1 < k.observed {
            Reach::Below
        } else if worst.1 > k.observed {
            Reach::Above
        } else {
            Reach::Inside
        });
        below.push(worst);
        above.push(best);
    }
    for _ in 0..iterations {
        // Trial values are rounded as they will be written, so the value
        // chosen is one that was run.
        let trial: Vec<f64> = (0..knobs.len())
            .map(|i| match reach[i] {
                Reach::Inside => round_to((below[i].0 + above[i].0) / 2.0, knobs[i].decimals),
                Reach::Below => above[i].0,
                Reach::Above => below[i].0,
            })
            .collect();
        let figures = evaluate(&trial)?;
        for i in 0..knobs.len() {
            if reach[i] != Reach::Inside {
                continue;
            }
            if figures[i] < knobs[i].observed {
                below[i] = (trial[i], figures[i]);
            } else {
                above[i] = (trial[i], figures[i]);
            }
        }
    }
    Ok(knobs
        .iter()
        .enumerate()
        .map(|(i, k)| {
            // The end of the last bracket whose figure is nearer the
            // observed one: a figure can move in steps (a block holds a
            // whole number of call-back times), so a value between the ends
            // need not give a figure between theirs.
            let value = match reach[i] {
                Reach::Below => above[i].0,
                Reach::Above => below[i].0,
                Reach::Inside if k.observed - below[i].1 <= above[i].1 - k.observed => below[i].0,
                Reach::Inside => above[i].0,
            };
            KnobFit {
                value,
                reach: reach[i],
                bracket: [below[i], above[i]],
            }
        })
        .collect())
}

/// `x` rounded to `decimals` places.
pub fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// A unit's demand fitted from its counted contacts.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandFit {
    /// Contacts per listed patient and year (365 days).
    pub per_listed_year: f64,
    /// Multipliers January … December: each month's contacts per day over
    /// the mean of the given months; 1 for a month without figures.
    pub month_profile: [f64; 12],
    /// Months with a count.
    pub months: usize,
    /// Contacts counted.
    pub contacts: f64,
}

/// Days in each month of a year that is not a leap year (the model's
/// per-year rates are spread over 365 days).
const MONTH_DAYS: [f64; 12] = [
    31.0, 28.0, 31.0, 30.0, 31.0, 30.0, 31.0, 31.0, 30.0, 31.0, 30.0, 31.0,
];

/// Fits a unit's demand from `(month 1–12, contacts)` counts; `None` without
/// any count or listed patient. The model spreads a yearly rate over the
/// year by its profiles, so the rate is the counted months' contacts per
/// day times 365 and the profile only shapes the months.
pub fn fit_demand(listed: u32, counts: &[(u8, f64)]) -> Option<DemandFit> {
    if counts.is_empty() || listed == 0 {
        return None;
    }
    let days: f64 = counts
        .iter()
        .map(|&(m, _)| MONTH_DAYS[m as usize - 1])
        .sum();
    let contacts: f64 = counts.iter().map(|&(_, c)| c).sum();
    let per_day = contacts / days;
    if per_day <= 0.0 {
        return None;
    }
    let mut month_profile = [1.0; 12];
    for &(m, c) in counts {
        let i = m as usize - 1;
        month_profile[i] = round_to(c / MONTH_DAYS[i] / per_day, 3);
    }
    Some(DemandFit {
        per_listed_year: round_to(per_day * 365.0 / f64::from(listed), 3),
        month_profile,
        months: counts.len(),
        contacts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn knob(rising: bool, observed: f64) -> Knob {
        Knob {
            path: "x".into(),
            lo: 0.0,
            hi: 1.0,
            rising,
            observed,
            decimals: 4,
        }
    }

    #[test]
    fn every_knob_converges_in_the_same_runs() {
        // Three independent "units": f(x) = x², f(x) = 1 − x, and a step-free
        // line; each reaches its own observed figure.
        let knobs = [knob(true, 0.25), knob(false, 0.7), knob(true, 0.9)];
        let fs = [|x: f64| x * x, |x: f64| 1.0 - x, |x: f64| 0.5 + 0.45 * x];
        let mut runs = 0;
        let fits = fit_all::<()>(&knobs, 12, &mut |xs| {
            runs += 1;
            Ok(xs.iter().zip(fs).map(|(&x, f)| f(x)).collect())
        })
        .unwrap();
        assert_eq!(
            runs, 14,
            "two ends and twelve halvings, for all knobs together"
        );
        let want = [0.5, 0.3, 0.4 / 0.45];
        for (fit, w) in fits.iter().zip(want) {
            assert_eq!(fit.reach, Reach::Inside);
            assert!((fit.value - w).abs() < 1e-3, "{} vs {w}", fit.value);
        }
    }

    #[test]
    fn out_of_reach_stops_at_the_nearer_end_and_says_so() {
        let knobs = [knob(true, 0.99), knob(true, 0.01), knob(false, 0.99)];
        let fits = fit_all::<()>(&knobs, 5, &mut |xs| {
            Ok(xs.iter().map(|&x| 0.2 + 0.6 * x).collect())
        })
        .unwrap();
        assert_eq!(
            fits.iter().map(|f| (f.reach, f.value)).collect::<Vec<_>>(),
            [
                (Reach::Below, 1.0),
                (Reach::Above, 0.0),
                (Reach::Below, 0.0)
            ]
        );
    }

    #[test]
    fn demand_from_monthly_counts() {
        // 2 000 listed; January 310 contacts (10 a day), February 560 (20).
        let fit = fit_demand(2000, &[(1, 310.0), (2, 560.0)]).unwrap();
        let per_day = 870.0 / 59.0;
        assert_eq!(fit.per_listed_year, round_to(per_day * 365.0 / 2000.0, 3));
        assert_eq!(fit.month_profile[0], round_to(10.0 / per_day, 3));
        assert_eq!(fit.month_profile[1], round_to(20.0 / per_day, 3));
        assert_eq!(fit.month_profile[2], 1.0);
        assert!(fit_demand(2000, &[]).is_none());
        assert!(fit_demand(2000, &[(3, 0.0)]).is_none());
    }
}
