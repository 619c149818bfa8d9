//! Names of what a run's outputs hold, as people read them: scenarios,
//! health centres, professions, mobile teams, guarantee rules and
//! breakdown groups, from the language's tables ([`Lang`]), else from the
//! scenario's own labels and names in `assumptions.json`, else the key.
//! The charts, the reports and the workbook name things through it.

use super::input::{Assumptions, AssumptionsFile, ComparisonDoc};
use super::lang::Lang;
use super::spreadsheet::group_label;

/// The guarantee rules shown when `assumptions.json` is missing.
const KNOWN_RULES: [&str; 3] = [
    "contact_same_day",
    "assessment_within_3_days",
    "doctor_visit_within_7_days",
];

/// Labels that come from the lang table, else from the scenario's own
/// labels in `assumptions.json`, else the key.
pub(crate) struct Namer<'a> {
    /// The language.
    pub lang: Lang,
    /// The folder's `assumptions.json`, when there is one.
    pub assumptions: Option<&'a AssumptionsFile>,
}

impl Namer<'_> {
    /// A scenario's label (`label_sv`/`label_en`) from `assumptions.json`,
    /// else its name.
    pub(crate) fn scenario(&self, name: &str) -> String {
        self.assumptions
            .and_then(|a| a.scenarios.iter().find(|s| s.scenario == name))
            .map_or_else(|| name.to_string(), |s| s.label(self.lang).to_string())
    }

    /// A scenario's label with its name, for the facts that reproduce a
    /// run (`Nuläge (typisk vårdcentral) · default`); the name alone when
    /// it has no label.
    pub(crate) fn labelled(&self, name: &str) -> String {
        match self.scenario(name) {
            label if label == name => label,
            label => format!("{label} · {name}"),
        }
    }

    /// The scenarios of a comparison by their labels, as a title or
    /// footer says them: the base against its variant, or against how many.
    pub(crate) fn compared(&self, c: &ComparisonDoc) -> String {
        let vs = self.lang.pick("vs", "mot");
        match c.variants.as_slice() {
            [one] => format!("{} {vs} {}", self.scenario(&c.base), self.scenario(one)),
            many => format!(
                "{} {vs} {} {}",
                self.scenario(&c.base),
                many.len(),
                self.lang.pick("variants", "alternativ")
            ),
        }
    }

    /// True when scenario `name` simulates the same care as the first
    /// (the base) and differs only in the guarantee's definition or its
    /// name: found by comparing the scenarios' care fingerprints.
    pub(crate) fn definition_only(&self, name: &str) -> bool {
        let Some(a) = self.assumptions else {
            return false;
        };
        let Some(base) = a.scenarios.first() else {
            return false;
        };
        let care = |s: &Assumptions| s.care_fingerprint.clone();
        base.scenario != name
            && a.scenarios
                .iter()
                .find(|s| s.scenario == name)
                .is_some_and(|s| care(s).is_some() && care(s) == care(base))
    }

    /// A health centre's name from `assumptions.json`, else its key.
    pub(crate) fn unit(&self, key: &str) -> String {
        self.assumptions
            .and_then(|a| {
                a.scenarios
                    .iter()
                    .flat_map(|sc| &sc.units)
                    .find(|u| u.key == key)
            })
            .map_or_else(|| key.to_string(), |u| u.name.clone())
    }

    pub(crate) fn profession(&self, key: &str) -> String {
        let known = self.lang.profession(key);
        if known != key {
            return known;
        }
        self.assumptions
            .and_then(|a| a.scenarios.iter().find_map(|s| s.professions.get(key)))
            .map_or(known, |p| {
                self.lang.pick(&p.label_en, &p.label_sv).to_string()
            })
    }

    pub(crate) fn rule(&self, key: &str) -> String {
        let known = self.lang.metric(key);
        if known != key {
            return known;
        }
        self.assumptions
            .and_then(|a| {
                a.scenarios
                    .iter()
                    .find_map(|s| s.rules.iter().find(|r| r.key == key))
            })
            .map_or(known, |r| {
                self.lang.pick(&r.label_en, &r.label_sv).to_string()
            })
    }

    /// A mobile team's name from `assumptions.json`, else its key.
    pub(crate) fn team(&self, key: &str) -> String {
        self.assumptions
            .and_then(|a| {
                a.scenarios
                    .iter()
                    .find_map(|s| s.mobile_teams.iter().find(|t| t.key == key))
            })
            .map_or_else(|| key.to_string(), |t| t.name.clone())
    }

    /// Metric label; utilisation by the scenario's profession labels.
    pub(crate) fn metric(&self, key: &str) -> String {
        if let Some(p) = key.strip_prefix("utilization_") {
            return format!(
                "{}, {}",
                self.lang.pick("Utilisation", "Resursutnyttjande"),
                self.profession(p).to_lowercase()
            );
        }
        self.rule(key)
    }

    /// A breakdown group of dimension `by` as people read it, in the
    /// workbook as in the charts: a health centre, profession or mobile
    /// team by its name or label ([`Self::unit`], [`Self::profession`],
    /// [`Self::team`]), a channel or staff activity by the language's
    /// label, an hour of the week as the heatmaps' rows and columns say it
    /// (`mån 08`, `Mon 08`), and any other group as a spreadsheet keeps it
    /// text ([`group_label`]: `4–7 dagar`, `v. 01`, `01 januari`, `18–64`);
    /// where patients were sent to the emergency department from by the
    /// language's label (`Triagering`, `Mobilt team`); a category as its
    /// key (categories have no labels).
    pub(crate) fn group(&self, by: &str, group: &str) -> String {
        match by {
            "unit" => self.unit(group),
            "profession" => self.profession(group),
            "team" => self.team(group),
            "channel" => self.lang.channel(group),
            "activity" => self.lang.activity(group),
            "source" => self.lang.source(group),
            "weekday_hour" => match crate::metrics::weekday_hour(group) {
                Some((day, hour)) => format!("{} {hour:02}", self.lang.weekday(day)),
                None => group.to_string(),
            },
            _ => group_label(self.lang, by, group),
        }
    }

    /// Rule keys to show: the scenario's rules, else the known ones.
    pub(crate) fn rules(&self) -> Vec<String> {
        match self.assumptions.and_then(|a| a.scenarios.first()) {
            Some(s) if !s.rules.is_empty() => {
                // "0", "3", then the old "7": by deadline.
                let mut rules: Vec<_> = s.rules.iter().collect();
                rules.sort_by_key(|r| r.deadline_days);
                rules.iter().map(|r| r.key.clone()).collect()
            }
            _ => KNOWN_RULES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_named_as_the_charts_name_them() {
        let sv = Namer {
            lang: Lang::Sv,
            assumptions: None,
        };
        assert_eq!(
            sv.group("profession", "district_nurse"),
            "Distriktssköterska"
        );
        assert_eq!(sv.group("channel", "walk_in"), "Drop-in");
        assert_eq!(sv.group("weekday_hour", "fri-08"), "fre 08");
        assert_eq!(sv.group("days", "4-7"), "4–7 dagar");
        // Without assumptions a health centre is its key.
        assert_eq!(sv.group("unit", "vc"), "vc");
        let en = Namer {
            lang: Lang::En,
            assumptions: None,
        };
        assert_eq!(en.group("weekday_hour", "sun-23"), "Sun 23");
        assert_eq!(en.group("activity", "telephone"), "Telephone");
        assert_eq!(en.group("category", "infection"), "infection");
        // An audit's finding: the Swedish workbook's sheet "Per källa"
        // named the sources `triage` and `mobile_team`, English keys.
        assert_eq!(sv.group("source", "triage"), "Triagering");
        assert_eq!(sv.group("source", "mobile_team"), "Mobilt team");
        assert_eq!(en.group("source", "mobile_team"), "Mobile team");
    }
}
