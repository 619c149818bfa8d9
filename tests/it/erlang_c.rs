//! The drop-in against queueing theory: Erlang C (M/M/c), the M/M/1 waiting
//! time tail, and Erlang B (M/M/c/c via balking at a queue of zero).

use super::*;

/// Erlang C: probability that an arrival waits, for offered load `a` = λ/μ
/// on `c` servers.
pub(crate) fn erlang_c(c: u32, a: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0; // Σ_{k<c} a^k / k!
    for k in 1..c {
        term *= a / k as f64;
        sum += term;
    }
    let last = term * a / c as f64; // a^c / c!
    let rho = a / c as f64;
    let top = last / (1.0 - rho);
    top / (sum + top)
}

fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    b
}

#[test]
fn closed_forms_match_the_issue() {
    // The figures quoted in issue 2 and in mmc.toml.
    assert!((erlang_c(3, 2.4) - 0.6472).abs() < 5e-5);
    assert!((erlang_c(3, 2.4) / 0.6 * 60.0 - 64.72).abs() < 5e-3);
    assert!((erlang_c(4, 2.4) - 0.2870).abs() < 5e-5);
    assert!((erlang_c(4, 2.4) / 1.6 * 60.0 - 10.76).abs() < 5e-3);
}

fn check_mmc(staff: u32) {
    let set = format!("units.desk.staff.nurse.count={staff}");
    let scenario = load("scenarios/validation/mmc.toml", &[&set]);
    let r = run(&scenario, 10, 1);
    let (lambda, mu) = (2.4, 1.0);
    let p_wait = erlang_c(staff, lambda / mu);
    let mean_wait_min = p_wait / (staff as f64 * mu - lambda) * 60.0;
    let wait = metric(&r, "dropin_wait_minutes_mean");
    let prob = metric(&r, "dropin_wait_probability");
    assert_in_ci("mean wait", &wait, mean_wait_min);
    assert_in_ci("P(wait > 0)", &prob, p_wait);
    assert!(
        wait.half_width() / wait.mean < 0.05,
        "CI too wide: {wait:?}"
    );
    assert!(
        prob.half_width() / prob.mean < 0.05,
        "CI too wide: {prob:?}"
    );
    // P(W > t) = C · exp(−(cμ − λ) t), t = 30 min.
    let tail = metric(&r, "dropin_wait_over_30_min");
    assert_in_ci(
        "P(wait > 30 min)",
        &tail,
        p_wait * (-(staff as f64 * mu - lambda) * 0.5).exp(),
    );
    assert_in_ci(
        "utilisation",
        &metric(&r, "utilization_nurse"),
        lambda / (staff as f64 * mu),
    );
}

#[test]
fn mm3_matches_erlang_c() {
    check_mmc(3);
}

#[test]
fn mm4_matches_erlang_c() {
    check_mmc(4);
}

#[test]
fn mm1_waiting_time_tail() {
    // λ = 0.5/h, μ = 1/h: P(Wq > t) = ρ e^{−(μ−λ)t} at t = 30 and 90 minutes.
    let scenario = load(
        "scenarios/validation/mmc.toml",
        &[
            "units.desk.staff.nurse.count=1",
            "units.desk.demand.walk_in.per_hour=0.5",
            "metrics.dropin_wait_thresholds_minutes=[30, 90]",
        ],
    );
    let r = run(&scenario, 10, 3);
    let rho: f64 = 0.5;
    for (t_min, key) in [
        (30.0f64, "dropin_wait_over_30_min"),
        (90.0, "dropin_wait_over_90_min"),
    ] {
        let exact = rho * (-(1.0f64 - 0.5) * t_min / 60.0).exp();
        let e = metric(&r, key);
        assert_in_ci(key, &e, exact);
        assert!(e.half_width() < 0.02, "{key}: CI too wide {e:?}");
    }
}

#[test]
fn balking_at_zero_queue_is_erlang_b() {
    // Nobody may wait: the desk is an M/M/3/3 loss system.
    let scenario = load(
        "scenarios/validation/mmc.toml",
        &[
            "units.desk.dropin.balk_at_queue_length=0",
            "simulation.horizon_days=730",
        ],
    );
    let r = run(&scenario, 10, 5);
    let arrived = per_replication(&r, "patients_arrived");
    let balked = per_replication(&r, "patients_balked");
    let share = mean_ci95(arrived.iter().zip(&balked).map(|(a, b)| b / a));
    assert_in_ci("blocking probability", &share, erlang_b(3, 2.4));
    assert_eq!(metric(&r, "dropin_wait_probability").mean, 0.0);
}

use vardsim::metrics::mean_ci95;
