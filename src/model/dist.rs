//! TEMPORARY stub (replaced by the distributions work).
#![allow(missing_docs)]
use crate::engine::RandomSource;
#[derive(Clone, Debug, PartialEq)]
pub enum Distribution {
    Constant { value: f64 },
    Exponential { mean: f64 },
    LogNormal { mean: f64, sd: f64 },
}
impl Distribution {
    pub fn sample<R: RandomSource>(&self, rng: &mut R) -> f64 {
        match *self {
            Distribution::Constant { value } => value,
            Distribution::Exponential { mean } => mean * rng.exp1(),
            Distribution::LogNormal { mean, sd } => {
                let s2 = (1.0 + sd * sd / (mean * mean)).ln();
                let mu = mean.ln() - s2 / 2.0;
                let z: f64 = rand_distr::Distribution::sample(&rand_distr::StandardNormal, rng);
                (mu + s2.sqrt() * z).exp()
            }
        }
    }
}
