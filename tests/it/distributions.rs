//! Every distribution's sampler against its theoretical mean and sd.
//!
//! n = 200 000 draws from a fixed stream, so the test is deterministic; the
//! tolerances are 4 standard errors, which a correct sampler exceeds with
//! probability about 6e-5 per check (for whichever seed was fixed).

use vardsim::engine::{Stream, StreamKey};
use vardsim::vocab::dist::Distribution;

const N: usize = 200_000;

fn stream() -> Stream {
    StreamKey {
        seed: 42,
        scenario: "test",
        replication: 0,
    }
    .stream("dist")
}

/// Draws N values and checks them against the expected mean and sd, which
/// are given independently of `Distribution::mean`/`sd` and also compared
/// with them.
#[track_caller]
fn check(d: &Distribution, mean: f64, sd: f64) {
    let mut s = stream();
    let xs: Vec<f64> = (0..N).map(|_| d.sample(&mut s)).collect();
    assert!(xs.iter().all(|x| *x >= 0.0), "{d:?}: negative draw");

    assert!(
        (d.mean() - mean).abs() <= 1e-9 * mean.max(1.0),
        "{d:?}: mean() {}",
        d.mean()
    );
    assert!(
        (d.sd() - sd).abs() <= 1e-9 * sd.max(1.0),
        "{d:?}: sd() {}",
        d.sd()
    );

    let n = N as f64;
    let m = xs.iter().sum::<f64>() / n;
    let m2 = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n;
    let m4 = xs.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n;
    let s_hat = m2.sqrt();

    let se_mean = sd / n.sqrt();
    assert!(
        (m - mean).abs() <= 4.0 * se_mean,
        "{d:?}: sample mean {m}, expected {mean} ± {}",
        4.0 * se_mean
    );
    // Delta method: Var(s²) ≈ (μ₄ − σ⁴)/n and s ≈ √s², so
    // SE(s) ≈ √((μ₄ − σ⁴)/n) / (2σ), with μ₄ the sample fourth central
    // moment; it covers heavy tails (lognormal, gamma) that a normal-theory
    // σ/√(2n) would understate.
    let se_sd = ((m4 - m2 * m2).max(0.0) / n).sqrt() / (2.0 * s_hat).max(f64::MIN_POSITIVE);
    assert!(
        (s_hat - sd).abs() <= 4.0 * se_sd,
        "{d:?}: sample sd {s_hat}, expected {sd} ± {}",
        4.0 * se_sd
    );
}

#[test]
fn constant() {
    check(&Distribution::constant(5.0).unwrap(), 5.0, 0.0);
}

#[test]
fn exponential() {
    check(&Distribution::exponential(60.0).unwrap(), 60.0, 60.0);
}

#[test]
fn uniform() {
    check(
        &Distribution::uniform(1.0, 3.0).unwrap(),
        2.0,
        2.0 / 12f64.sqrt(),
    );
}

#[test]
fn triangular() {
    // min 1, mode 2, max 5: mean 8/3, variance (1 + 4 + 25 − 2 − 5 − 10)/18.
    check(
        &Distribution::triangular(1.0, 2.0, 5.0).unwrap(),
        8.0 / 3.0,
        (13.0f64 / 18.0).sqrt(),
    );
    // Mode at a bound.
    check(
        &Distribution::triangular(0.0, 0.0, 6.0).unwrap(),
        2.0,
        (36.0f64 / 18.0).sqrt(),
    );
}

#[test]
fn normal_far_from_zero() {
    // Truncation at 5 sd below the mean removes 3e-7 of the mass: the
    // moments are the untruncated ones to within 1e-5.
    let d = Distribution::normal(10.0, 2.0).unwrap();
    assert!((d.mean() - 10.0).abs() < 1e-5 && (d.sd() - 2.0).abs() < 1e-5);
    check(&d, d.mean(), d.sd());
}

#[test]
fn normal_close_to_zero_is_truncated() {
    // N(1, 1) truncated to [0, ∞): α = −1, λ = φ(1)/Φ(1),
    // mean 1 + λ, variance 1 − λ − λ².
    let phi1: f64 = 0.241_970_724_519_143_37;
    let cdf1 = 0.841_344_746_068_542_9;
    let lambda = phi1 / cdf1;
    let mean = 1.0 + lambda;
    let sd = (1.0 - lambda - lambda * lambda).sqrt();
    check(&Distribution::normal(1.0, 1.0).unwrap(), mean, sd);
}

#[test]
fn lognormal_has_the_given_mean_and_sd_of_the_value() {
    check(&Distribution::lognormal(22.5, 10.0).unwrap(), 22.5, 10.0);
    check(&Distribution::lognormal(6.6, 3.8).unwrap(), 6.6, 3.8);
}

#[test]
fn gamma() {
    check(&Distribution::gamma(5.0, 2.0).unwrap(), 5.0, 2.0);
    // Shape below 1 (0.25) takes another branch of the sampler.
    check(&Distribution::gamma(2.0, 4.0).unwrap(), 2.0, 4.0);
}

#[test]
fn empirical_frequencies_match_weights() {
    let values = [5.0, 10.0, 20.0, 30.0];
    let weights = [1.0, 2.0, 1.0, 0.0];
    let d = Distribution::empirical(&values, &weights).unwrap();
    // Mean 11.25; E[x²] = (25 + 200 + 400)/4 = 156.25.
    check(&d, 11.25, (156.25f64 - 11.25 * 11.25).sqrt());

    let mut s = stream();
    let mut counts = [0usize; 4];
    for _ in 0..N {
        let x = d.sample(&mut s);
        let i = values
            .iter()
            .position(|v| *v == x)
            .expect("one of the values");
        counts[i] += 1;
    }
    let n = N as f64;
    for (i, w) in weights.iter().enumerate() {
        let p = w / 4.0;
        let f = counts[i] as f64 / n;
        let se = (p * (1.0 - p) / n).sqrt();
        assert!(
            (f - p).abs() <= 4.0 * se,
            "value {}: frequency {f}, expected {p} ± {}",
            values[i],
            4.0 * se
        );
    }
    assert_eq!(counts[3], 0, "a zero weight is never drawn");
}
