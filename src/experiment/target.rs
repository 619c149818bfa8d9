//! Staffing-target search: the smallest value of a parameter (a staff count,
//! say) at which a metric meets a target with 95 % confidence — "how many
//! nurses do we need for 90 % within 3 days?".
//!
//! The search assumes the metric improves monotonically with the parameter
//! (more staff, better access) and bisects integers, so it needs about
//! log2(max − min) + 2 evaluations. Every evaluation uses the same seed, so
//! neighbouring values are compared on the same random numbers.

use crate::metrics::Estimate;

/// The target a metric must meet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Goal {
    /// The whole 95 % CI at or above this (e.g. a compliance share).
    AtLeast(f64),
    /// The whole 95 % CI at or below this (e.g. a waiting time).
    AtMost(f64),
}

impl Goal {
    /// Whether `e` meets the goal with 95 % confidence (an undefined CI never does).
    pub fn met_by(self, e: &Estimate) -> bool {
        match self {
            Goal::AtLeast(x) => e.ci95_low >= x,
            Goal::AtMost(x) => e.ci95_high <= x,
        }
    }
}

/// One evaluation of the search.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Parameter value tried.
    pub value: i64,
    /// The metric there.
    pub estimate: Estimate,
    /// Whether it meets the goal.
    pub meets: bool,
}

/// The search's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetResult {
    /// Every evaluation, in the order made.
    pub steps: Vec<Step>,
    /// The smallest value in `[min, max]` that meets the goal, or `None`
    /// if even `max` does not.
    pub answer: Option<i64>,
}

/// Finds the smallest integer in `[min, max]` whose estimate meets `goal`.
/// `evaluate` runs the scenario at a value; `on_step` sees each step as it
/// is made (for printing). Errors from `evaluate` end the search.
pub fn search<E>(
    min: i64,
    max: i64,
    goal: Goal,
    evaluate: &mut dyn FnMut(i64) -> Result<Estimate, E>,
    on_step: &mut dyn FnMut(&Step),
) -> Result<TargetResult, E> {
    let mut steps = Vec::new();
    let mut step = |value: i64, steps: &mut Vec<Step>| -> Result<bool, E> {
        let estimate = evaluate(value)?;
        let s = Step {
            value,
            meets: goal.met_by(&estimate),
            estimate,
        };
        on_step(&s);
        let meets = s.meets;
        steps.push(s);
        Ok(meets)
    };
    if !step(max, &mut steps)? {
        return Ok(TargetResult {
            steps,
            answer: None,
        });
    }
    if min >= max || step(min, &mut steps)? {
        return Ok(TargetResult {
            steps,
            answer: Some(min.min(max)),
        });
    }
    // Invariant: `fails` does not meet the goal, `meets` does.
    let (mut fails, mut meets) = (min, max);
    while meets - fails > 1 {
        let mid = fails + (meets - fails) / 2;
        if step(mid, &mut steps)? {
            meets = mid;
        } else {
            fails = mid;
        }
    }
    Ok(TargetResult {
        steps,
        answer: Some(meets),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(x: f64) -> Estimate {
        Estimate {
            mean: x,
            ci95_low: x - 0.01,
            ci95_high: x + 0.01,
            n: 10,
        }
    }

    fn find(min: i64, max: i64, goal: Goal, f: impl Fn(i64) -> f64) -> TargetResult {
        search::<()>(min, max, goal, &mut |v| Ok(exact(f(v))), &mut |_| {}).unwrap()
    }

    #[test]
    fn finds_the_smallest_value_meeting_the_goal() {
        // Compliance rises with staff: 0.5, 0.6, …; ≥ 0.9 with CI first at 9.
        let share = |c: i64| 0.1 * c as f64 + 0.015;
        for (min, max) in [(1, 20), (5, 9), (8, 9), (1, 100)] {
            let r = find(min, max, Goal::AtLeast(0.9), share);
            assert_eq!(r.answer, Some(9), "range {min}..{max}");
            assert!(r.steps.len() <= 2 + (max - min) as usize);
        }
        // Every step's verdict is the goal applied to its estimate.
        let r = find(1, 100, Goal::AtLeast(0.9), share);
        assert!(r.steps.len() <= 9, "{} steps", r.steps.len());
        assert!(
            r.steps
                .iter()
                .all(|s| s.meets == (s.estimate.ci95_low >= 0.9))
        );
    }

    #[test]
    fn at_most_and_unreachable_and_already_met() {
        let wait = |c: i64| 100.0 / c as f64; // minutes
        assert_eq!(find(1, 50, Goal::AtMost(10.0), wait).answer, Some(11));
        let r = find(1, 5, Goal::AtMost(10.0), wait);
        assert_eq!((r.answer, r.steps.len()), (None, 1));
        assert_eq!(find(20, 30, Goal::AtMost(10.0), wait).answer, Some(20));
    }

    #[test]
    fn an_undefined_ci_never_meets() {
        let e = Estimate {
            mean: 1.0,
            ci95_low: f64::NAN,
            ci95_high: f64::NAN,
            n: 1,
        };
        assert!(!Goal::AtLeast(0.5).met_by(&e));
        assert!(!Goal::AtMost(2.0).met_by(&e));
    }
}
