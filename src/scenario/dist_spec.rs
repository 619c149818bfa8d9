//! Distributions as written in scenario files: an inline table naming the
//! distribution in `dist`, with its parameters beside it.
//!
//! ```toml
//! service_minutes.doctor = { dist = "lognormal", mean = 22.5, sd = 10 }
//! patience_minutes = { dist = "exponential", mean = 30 }
//! ```
//!
//! [`DistSpec`] is the raw serde form: every parameter of every distribution
//! is an optional field (unknown keys are rejected by serde), and
//! [`DistSpec::validate`] checks which ones the named distribution needs or
//! forbids and their values, reporting all problems at once, then builds the
//! [`Distribution`]. A flat struct rather than an internally tagged enum, so
//! that a misspelt name or a parameter of the wrong distribution gets a
//! problem with a hint instead of stopping the whole load at serde's first
//! error.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Problem;
use super::bounded::DistParam;
use crate::vocab::dist::{Distribution, Invalid};

/// A distribution as written in a scenario file, e.g.
/// `{ dist = "gamma", mean = 5, sd = 2 }`. Integers are read as numbers.
#[derive(Deserialize, Serialize, Clone, Debug, PartialEq)]
#[serde(
    deny_unknown_fields,
    expecting = "a distribution as an inline table, e.g. { dist = \"exponential\", mean = 30 }"
)]
pub struct DistSpec {
    /// The distribution's name: `constant`, `exponential`, `uniform`,
    /// `triangular`, `normal`, `lognormal`, `gamma` or `empirical`.
    pub dist: String,
    /// `constant`: the value.
    #[serde(
        default,
        deserialize_with = "param",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<f64>,
    /// `exponential`, `normal`, `lognormal`, `gamma`: the mean.
    #[serde(
        default,
        deserialize_with = "param",
        skip_serializing_if = "Option::is_none"
    )]
    pub mean: Option<f64>,
    /// `normal`, `lognormal`, `gamma`: the standard deviation.
    #[serde(
        default,
        deserialize_with = "param",
        skip_serializing_if = "Option::is_none"
    )]
    pub sd: Option<f64>,
    /// `uniform`, `triangular`: the lower bound.
    #[serde(
        default,
        deserialize_with = "param",
        skip_serializing_if = "Option::is_none"
    )]
    pub min: Option<f64>,
    /// `triangular`: the most likely value.
    #[serde(
        default,
        deserialize_with = "param",
        skip_serializing_if = "Option::is_none"
    )]
    pub mode: Option<f64>,
    /// `uniform`, `triangular`: the upper bound.
    #[serde(
        default,
        deserialize_with = "param",
        skip_serializing_if = "Option::is_none"
    )]
    pub max: Option<f64>,
    /// `empirical`: the possible values.
    #[serde(
        default,
        deserialize_with = "params",
        skip_serializing_if = "Option::is_none"
    )]
    pub values: Option<Vec<f64>>,
    /// `empirical`: one weight per value (relative frequencies).
    #[serde(
        default,
        deserialize_with = "params",
        skip_serializing_if = "Option::is_none"
    )]
    pub weights: Option<Vec<f64>>,
}

/// A parameter, read through its bounded type ([`DistParam`]).
fn param<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Option::<DistParam>::deserialize(d)?.map(DistParam::get))
}

/// A list of parameters, each read through its bounded type.
fn params<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
    Ok(Option::<Vec<DistParam>>::deserialize(d)?
        .map(|v| v.into_iter().map(DistParam::get).collect()))
}

/// What each name takes, and how to write it.
struct Kind {
    name: &'static str,
    params: &'static [&'static str],
    example: &'static str,
    /// How the parameters are read, for the docs' table.
    notes: &'static str,
}

const KINDS: [Kind; 8] = [
    Kind {
        name: "constant",
        params: &["value"],
        example: r#"{ dist = "constant", value = 5 }"#,
        notes: "",
    },
    Kind {
        name: "exponential",
        params: &["mean"],
        example: r#"{ dist = "exponential", mean = 60 }"#,
        notes: "ziggurat sampler (`rand_distr::Exp1`)",
    },
    Kind {
        name: "uniform",
        params: &["min", "max"],
        example: r#"{ dist = "uniform", min = 1, max = 3 }"#,
        notes: "",
    },
    Kind {
        name: "triangular",
        params: &["min", "mode", "max"],
        example: r#"{ dist = "triangular", min = 1, mode = 2, max = 5 }"#,
        notes: "",
    },
    Kind {
        name: "normal",
        params: &["mean", "sd"],
        example: r#"{ dist = "normal", mean = 6.6, sd = 3.8 }"#,
        notes: "truncated at 0 (negative draws are redrawn)",
    },
    Kind {
        name: "lognormal",
        params: &["mean", "sd"],
        example: r#"{ dist = "lognormal", mean = 22.5, sd = 10 }"#,
        notes: "mean and sd **of the duration**, not of its logarithm",
    },
    Kind {
        name: "gamma",
        params: &["mean", "sd"],
        example: r#"{ dist = "gamma", mean = 5, sd = 2 }"#,
        notes: "shape = (mean/sd)², scale = sd²/mean",
    },
    Kind {
        name: "empirical",
        params: &["values", "weights"],
        example: r#"{ dist = "empirical", values = [5, 10, 20], weights = [1, 2, 1] }"#,
        notes: "one of the values, with probability ∝ weight",
    },
];

/// The schema follows the written form: one alternative per name in
/// `KINDS`, each with exactly the parameters that name takes.
impl JsonSchema for DistSpec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Distribution".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let alternatives: Vec<serde_json::Value> = KINDS
            .iter()
            .map(|kind| {
                let mut properties = serde_json::Map::new();
                properties.insert("dist".into(), serde_json::json!({ "const": kind.name }));
                for &p in kind.params {
                    let number = serde_json::json!({
                        "type": "number",
                        "minimum": DistParam::MIN,
                        "maximum": DistParam::MAX,
                    });
                    let schema = if matches!(p, "values" | "weights") {
                        serde_json::json!({ "type": "array", "items": number })
                    } else {
                        number
                    };
                    properties.insert(p.into(), schema);
                }
                let mut required = vec!["dist"];
                required.extend(kind.params);
                serde_json::json!({
                    "type": "object",
                    "properties": properties,
                    "required": required,
                    "additionalProperties": false,
                    "description": format!("e.g. {}", kind.example),
                })
            })
            .collect();
        schemars::json_schema!({
            "description": "A distribution as an inline table naming it in `dist`, with its parameters beside it, e.g. { dist = \"lognormal\", mean = 22.5, sd = 10 }.",
            "oneOf": alternatives,
        })
    }
}

/// The Markdown table of distribution names, their parameters and how
/// they are read (`docs/scenario.md`, between `generated:distributions`
/// markers; a test keeps it fresh).
pub fn distributions_table() -> String {
    let mut table = String::from("| `dist` | parameters | notes | example |\n|---|---|---|---|\n");
    for kind in &KINDS {
        let params: Vec<String> = kind.params.iter().map(|p| format!("`{p}`")).collect();
        table.push_str(&format!(
            "| `{}` | {} | {} | `{}` |\n",
            kind.name,
            params.join(", "),
            kind.notes,
            kind.example
        ));
    }
    table
}

impl DistSpec {
    fn named(dist: &str) -> Self {
        DistSpec {
            dist: dist.to_string(),
            value: None,
            mean: None,
            sd: None,
            min: None,
            mode: None,
            max: None,
            values: None,
            weights: None,
        }
    }

    /// `{ dist = "constant", value = v }`, e.g. for a default.
    pub fn constant(value: f64) -> DistSpec {
        DistSpec {
            value: Some(value),
            ..Self::named("constant")
        }
    }

    /// `{ dist = "exponential", mean = mean }`, e.g. for a default.
    pub fn exponential(mean: f64) -> DistSpec {
        DistSpec {
            mean: Some(mean),
            ..Self::named("exponential")
        }
    }

    /// `{ dist = "lognormal", mean = mean, sd = sd }`, e.g. for a default.
    pub fn lognormal(mean: f64, sd: f64) -> DistSpec {
        DistSpec {
            mean: Some(mean),
            sd: Some(sd),
            ..Self::named("lognormal")
        }
    }

    /// `{ dist = "uniform", min = min, max = max }`, e.g. for a default.
    pub fn uniform(min: f64, max: f64) -> DistSpec {
        DistSpec {
            min: Some(min),
            max: Some(max),
            ..Self::named("uniform")
        }
    }

    /// The parameters that were written, in a fixed order.
    fn written(&self) -> impl Iterator<Item = &'static str> + '_ {
        let numbers = [
            ("value", self.value),
            ("mean", self.mean),
            ("sd", self.sd),
            ("min", self.min),
            ("mode", self.mode),
            ("max", self.max),
        ];
        let lists = [("values", &self.values), ("weights", &self.weights)];
        numbers
            .into_iter()
            .filter_map(|(p, v)| v.map(|_| p))
            .chain(lists.into_iter().filter_map(|(p, v)| v.as_ref().map(|_| p)))
    }

    /// Checks the spec written at `key` (the dotted path, e.g.
    /// `units.vc.dropin.patience_minutes`) and builds the distribution.
    /// Problems name the offending sub-key (`….patience_minutes.sd`), say
    /// what was expected and found, and hint at how to write it.
    pub fn validate(&self, key: &str) -> Result<Distribution, Vec<Problem>> {
        let at = |param: &str| format!("{key}.{param}");
        let Some(kind) = KINDS.iter().find(|k| k.name == self.dist) else {
            let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
            let hint = match suggest(&self.dist) {
                Some(name) => format!("did you mean `{name}`? Valid names: {}", names.join(", ")),
                None => format!("valid names: {}", names.join(", ")),
            };
            return Err(vec![
                Problem::new(
                    at("dist"),
                    format!("expected a distribution name, found `{}`", self.dist),
                )
                .hint(hint),
            ]);
        };
        let takes = kind
            .params
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut problems = Vec::new();
        for p in self.written().filter(|p| !kind.params.contains(p)) {
            problems.push(
                Problem::new(
                    at(p),
                    format!("the {} distribution takes no `{p}`", kind.name),
                )
                .hint(format!("it takes {takes}, e.g. {}", kind.example)),
            );
        }
        let written: Vec<&str> = self.written().collect();
        for p in kind.params.iter().filter(|p| !written.contains(p)) {
            problems.push(
                Problem::new(
                    at(p),
                    format!("missing: the {} distribution needs `{p}`", kind.name),
                )
                .hint(format!("it takes {takes}, e.g. {}", kind.example)),
            );
        }
        let built = match kind.name {
            "constant" => self.value.map(Distribution::try_constant),
            "exponential" => self.mean.map(Distribution::try_exponential),
            "uniform" => self
                .min
                .zip(self.max)
                .map(|(a, b)| Distribution::try_uniform(a, b)),
            "triangular" => self
                .min
                .zip(self.mode)
                .zip(self.max)
                .map(|((a, c), b)| Distribution::try_triangular(a, c, b)),
            "normal" => self
                .mean
                .zip(self.sd)
                .map(|(m, s)| Distribution::try_normal(m, s)),
            "lognormal" => self
                .mean
                .zip(self.sd)
                .map(|(m, s)| Distribution::try_lognormal(m, s)),
            "gamma" => self
                .mean
                .zip(self.sd)
                .map(|(m, s)| Distribution::try_gamma(m, s)),
            "empirical" => self
                .values
                .as_ref()
                .zip(self.weights.as_ref())
                .map(|(v, w)| Distribution::try_empirical(v, w)),
            _ => None,
        };
        match built {
            Some(Ok(d)) if problems.is_empty() => Ok(d),
            Some(Ok(_)) => Err(problems),
            Some(Err(invalid)) => {
                problems.extend(invalid.into_iter().map(|i| self.problem(key, kind, i)));
                Err(problems)
            }
            None if problems.is_empty() => Err(vec![Problem::new(
                key,
                format!("cannot build the {} distribution", kind.name),
            )]),
            None => Err(problems),
        }
    }

    /// The problem for a parameter the distribution rejected.
    fn problem(&self, key: &str, kind: &Kind, invalid: Invalid) -> Problem {
        let hint = match (kind.name, invalid.param.as_str()) {
            ("normal" | "lognormal" | "gamma", "sd") if self.sd == Some(0.0) => format!(
                "for a fixed value write {{ dist = \"constant\", value = {} }}",
                self.mean.unwrap_or(0.0)
            ),
            ("lognormal", _) => format!(
                "mean and sd are of the value itself, not of its logarithm, e.g. {}",
                kind.example
            ),
            ("normal", "mean") => format!(
                "the normal distribution is truncated at 0, so its mean must be ≥ 0, e.g. {}",
                kind.example
            ),
            ("empirical", p) if p.starts_with("weights") => format!(
                "weights are relative frequencies (≥ 0, not all 0), one per value, e.g. {}",
                kind.example
            ),
            _ => format!("e.g. {}", kind.example),
        };
        Problem::new(format!("{key}.{}", invalid.param), invalid.message).hint(hint)
    }
}

/// The valid name closest to `found`, if any is close.
fn suggest(found: &str) -> Option<&'static str> {
    let f: String = found
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    const ALIASES: [(&str, &str); 7] = [
        ("exp", "exponential"),
        ("fixed", "constant"),
        ("deterministic", "constant"),
        ("discrete", "empirical"),
        ("lognorm", "lognormal"),
        ("gaussian", "normal"),
        ("triangle", "triangular"),
    ];
    if let Some((_, name)) = ALIASES.iter().find(|(a, _)| *a == f) {
        return Some(name);
    }
    KINDS
        .iter()
        .map(|k| k.name)
        .filter(|name| f.len() >= 3 && name.starts_with(f.as_str()))
        .chain(
            KINDS
                .iter()
                .map(|k| k.name)
                .filter(|name| edit_distance(&f, name) <= 2),
        )
        .next()
}

/// Levenshtein distance between two short strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Wrapper {
        d: DistSpec,
    }

    fn parse(text: &str) -> Result<DistSpec, String> {
        toml::from_str::<Wrapper>(&format!("d = {text}"))
            .map(|w| w.d)
            .map_err(|e| e.to_string())
    }

    fn build(text: &str) -> Result<Distribution, Vec<Problem>> {
        parse(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .validate("units.vc.dropin.patience_minutes")
    }

    fn problems(text: &str) -> Vec<Problem> {
        build(text).expect_err(text)
    }

    const KEY: &str = "units.vc.dropin.patience_minutes";

    #[test]
    fn every_name_parses_and_builds() {
        let cases = [
            (
                r#"{ dist = "constant", value = 5 }"#,
                Distribution::constant(5.0),
            ),
            (
                r#"{ dist = "exponential", mean = 60 }"#,
                Distribution::exponential(60.0),
            ),
            (
                r#"{ dist = "uniform", min = 1, max = 3 }"#,
                Distribution::uniform(1.0, 3.0),
            ),
            (
                r#"{ dist = "triangular", min = 1, mode = 2, max = 5 }"#,
                Distribution::triangular(1.0, 2.0, 5.0),
            ),
            (
                r#"{ dist = "normal", mean = 6.6, sd = 3.8 }"#,
                Distribution::normal(6.6, 3.8),
            ),
            (
                r#"{ dist = "lognormal", mean = 22.5, sd = 10 }"#,
                Distribution::lognormal(22.5, 10.0),
            ),
            (
                r#"{ dist = "gamma", mean = 5, sd = 2 }"#,
                Distribution::gamma(5.0, 2.0),
            ),
            (
                r#"{ dist = "empirical", values = [5, 10, 20], weights = [1, 2, 1] }"#,
                Distribution::empirical(&[5.0, 10.0, 20.0], &[1.0, 2.0, 1.0]),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(build(text).ok(), expected.ok(), "{text}");
        }
        // Every KINDS example is valid.
        for kind in &KINDS {
            assert!(build(kind.example).is_ok(), "{}", kind.example);
        }
    }

    #[test]
    fn helpers_match_the_written_form() {
        assert_eq!(
            parse(r#"{ dist = "constant", value = 5 }"#),
            Ok(DistSpec::constant(5.0))
        );
        assert_eq!(
            parse(r#"{ dist = "exponential", mean = 60 }"#),
            Ok(DistSpec::exponential(60.0))
        );
        assert_eq!(
            parse(r#"{ dist = "lognormal", mean = 6.6, sd = 3.8 }"#),
            Ok(DistSpec::lognormal(6.6, 3.8))
        );
    }

    #[test]
    fn unknown_keys_are_rejected_by_serde() {
        let e = parse(r#"{ dist = "exponential", mean = 1, sdd = 2 }"#).unwrap_err();
        assert!(e.contains("unknown field `sdd`"), "{e}");
        let e = parse("30").unwrap_err();
        assert!(e.contains("a distribution as an inline table"), "{e}");
        let e = parse("{ mean = 30 }").unwrap_err();
        assert!(e.contains("missing field `dist`"), "{e}");
        let e = parse(r#"{ dist = "exponential", mean = "long" }"#).unwrap_err();
        assert!(e.contains("invalid type"), "{e}");
    }

    #[test]
    fn unknown_name_lists_the_valid_ones_and_suggests() {
        let p = problems(r#"{ dist = "expo", mean = 30 }"#);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].key, format!("{KEY}.dist"));
        assert_eq!(p[0].message, "expected a distribution name, found `expo`");
        let hint = p[0].hint.as_deref().unwrap_or_default();
        assert!(hint.starts_with("did you mean `exponential`?"), "{hint}");
        assert!(
            hint.contains(
                "constant, exponential, uniform, triangular, normal, lognormal, gamma, empirical"
            ),
            "{hint}"
        );
        for (found, expected) in [
            ("LogNormal", Some("lognormal")),
            ("log_normal", Some("lognormal")),
            ("gama", Some("gamma")),
            ("tri", Some("triangular")),
            ("exp", Some("exponential")),
            ("fixed", Some("constant")),
            ("weibull", None),
        ] {
            assert_eq!(suggest(found), expected, "{found}");
        }
        let p = problems(r#"{ dist = "weibull", mean = 30 }"#);
        assert!(
            p[0].hint
                .as_deref()
                .unwrap_or_default()
                .starts_with("valid names:")
        );
    }

    #[test]
    fn parameters_of_another_distribution_and_missing_ones() {
        let p = problems(r#"{ dist = "exponential", mean = 1, sd = 2 }"#);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].key, format!("{KEY}.sd"));
        assert_eq!(p[0].message, "the exponential distribution takes no `sd`");
        assert!(p[0].hint.as_deref().unwrap_or_default().contains("`mean`"));

        let p = problems(r#"{ dist = "lognormal", mean = 20 }"#);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].key, format!("{KEY}.sd"));
        assert_eq!(
            p[0].message,
            "missing: the lognormal distribution needs `sd`"
        );

        // Wrong and missing parameters are reported together; values are
        // checked once all parameters are there.
        let p = problems(r#"{ dist = "triangular", min = 1, max = -5, value = 2 }"#);
        let keys: Vec<&str> = p.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, [format!("{KEY}.value"), format!("{KEY}.mode"),]);
        let p = problems(r#"{ dist = "uniform", min = 1, max = -5, value = 2 }"#);
        let keys: Vec<&str> = p.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, [format!("{KEY}.value"), format!("{KEY}.max")]);
    }

    #[test]
    fn bad_values_name_the_sub_key_with_expected_and_found() {
        let p = problems(r#"{ dist = "lognormal", mean = 20, sd = -1 }"#);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].key, format!("{KEY}.sd"));
        assert_eq!(p[0].message, "expected a finite number > 0, found -1");
        assert!(
            p[0].hint
                .as_deref()
                .unwrap_or_default()
                .contains("not of its logarithm")
        );

        let p = problems(r#"{ dist = "gamma", mean = 20, sd = 0 }"#);
        assert_eq!(
            p[0].hint.as_deref(),
            Some(r#"for a fixed value write { dist = "constant", value = 20 }"#)
        );

        let p = problems(r#"{ dist = "triangular", min = 1, mode = 9, max = 5 }"#);
        assert_eq!(p[0].key, format!("{KEY}.mode"));
        assert_eq!(
            p[0].message,
            "expected a value between `min` (1) and `max` (5), found 9"
        );

        // Not finite, or too large: refused while reading, by the
        // parameter's bounded type.
        for text in [
            r#"{ dist = "exponential", mean = nan }"#,
            r#"{ dist = "constant", value = inf }"#,
            r#"{ dist = "uniform", min = 1, max = 1e300 }"#,
            r#"{ dist = "empirical", values = [5, 1e7], weights = [1, 1] }"#,
        ] {
            let e = parse(text).unwrap_err();
            assert!(
                e.contains("expected a distribution parameter from -1000000 to 1000000"),
                "{e}"
            );
        }

        let p = problems(r#"{ dist = "empirical", values = [5, 10], weights = [1, -2] }"#);
        assert_eq!(p[0].key, format!("{KEY}.weights[1]"));
        let p = problems(r#"{ dist = "empirical", values = [5, 10], weights = [0, 0] }"#);
        assert_eq!(p[0].key, format!("{KEY}.weights"));
        assert_eq!(p[0].message, "expected a positive sum, found all zero");
        let p = problems(r#"{ dist = "empirical", values = [5, 10], weights = [1] }"#);
        assert_eq!(p[0].message, "expected one weight per value (2), found 1");
        let p = problems(r#"{ dist = "empirical", values = [], weights = [] }"#);
        assert_eq!(p[0].key, format!("{KEY}.values"));
    }

    #[test]
    fn problems_display_with_key_and_hint() {
        let p = problems(r#"{ dist = "normal", mean = -1, sd = 2 }"#);
        assert_eq!(
            p[0].to_string(),
            format!(
                "key `{KEY}.mean`: expected a finite number ≥ 0, found -1\n    hint: the normal \
                 distribution is truncated at 0, so its mean must be ≥ 0, e.g. {}",
                KINDS[4].example
            )
        );
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("gama", "gamma"), 1);
        assert_eq!(edit_distance("normla", "normal"), 2);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
