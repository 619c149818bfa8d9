//! TEMPORARY stub.
#![allow(missing_docs)]
use super::Problem;
use crate::model::dist::Distribution;
use serde::Deserialize;
#[derive(Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DistSpec {
    pub dist: String,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub value: Option<f64>,
}
impl DistSpec {
    pub fn validate(&self, key: &str) -> Result<Distribution, Vec<Problem>> {
        match self.dist.as_str() {
            "constant" => Ok(Distribution::Constant {
                value: self.value.unwrap_or(0.0),
            }),
            "exponential" => Ok(Distribution::Exponential {
                mean: self.mean.unwrap_or(1.0),
            }),
            "lognormal" => Ok(Distribution::LogNormal {
                mean: self.mean.unwrap_or(1.0),
                sd: self.sd.unwrap_or(1.0),
            }),
            _ => Err(vec![Problem::new(key, "bad dist")]),
        }
    }
}
