//! The page's controls, generated from a scenario's merged key tree and the
//! scenario schema (`vardsim schema`): each lever is a key path the page
//! changes with `PATH=VALUE` (as `--set`), its current value, its bounds and
//! its doc text as help. Which keys are levers is the list below (the
//! questions a planning group asks); any other key goes through the page's
//! "advanced" field.

use serde::Serialize;
use serde_json::Value;
use toml::Table;

use crate::report::Lang;
use crate::scenario::builtin;

/// One control.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Lever {
    /// The key path, as `--set` takes it.
    pub path: String,
    /// The section the control sits in (a health centre's name, the
    /// guarantee, a mobile team), in Swedish and English.
    pub section: [String; 2],
    /// Its label, in Swedish and English.
    pub label: [String; 2],
    /// The key's doc text from the schema.
    pub help: String,
    /// `int`, `number`, `bool`, `clock` or `choice`.
    pub kind: &'static str,
    /// The scenario's value (TOML as JSON).
    pub value: Value,
    /// Bounds from the schema.
    pub min: Option<f64>,
    /// Bounds from the schema.
    pub max: Option<f64>,
    /// The values of a `choice`.
    pub options: Vec<String>,
}

/// The definition `name` of the schema.
fn def<'a>(schema: &'a Value, name: &str) -> &'a Value {
    &schema["$defs"][name]
}

/// A property of a schema definition, following one `$ref` for enums.
struct Field<'a> {
    node: &'a Value,
    target: &'a Value,
}

fn field<'a>(schema: &'a Value, table: &str, key: &str) -> Field<'a> {
    let node = &def(schema, table)["properties"][key];
    let target = node["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/$defs/"))
        .map_or(node, |d| def(schema, d));
    Field { node, target }
}

impl Field<'_> {
    fn help(&self) -> String {
        self.node["description"]
            .as_str()
            .unwrap_or_default()
            .replace('\n', " ")
    }
    fn options(&self) -> Vec<String> {
        self.target["oneOf"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| o["const"].as_str().map(str::to_string))
            .chain(
                self.target["enum"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|o| o.as_str().map(str::to_string)),
            )
            .collect()
    }
    fn kind(&self) -> &'static str {
        if !self.options().is_empty() {
            return "choice";
        }
        match self.target["type"].as_str() {
            Some("integer") => "int",
            Some("number") => "number",
            Some("boolean") => "bool",
            _ => "clock",
        }
    }
}

/// The value at a dotted path of `tree` (plain keys only).
fn get<'a>(tree: &'a Table, path: &[&str]) -> Option<&'a toml::Value> {
    let (last, tables) = path.split_last()?;
    let mut t = tree;
    for k in tables {
        t = t.get(*k)?.as_table()?;
    }
    t.get(*last)
}

fn json(v: &toml::Value) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// A TOML key segment, quoted unless bare.
fn seg(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        format!("\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

struct Builder<'a> {
    schema: &'a Value,
    out: Vec<Lever>,
}

impl Builder<'_> {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        path: String,
        section: [String; 2],
        label: [String; 2],
        (table, key): (&str, &str),
        value: Value,
    ) {
        let f = field(self.schema, table, key);
        let bound = |k: &str| f.node[k].as_f64().or_else(|| f.target[k].as_f64());
        let value = if value.is_null() {
            f.node["default"].clone()
        } else {
            value
        };
        self.out.push(Lever {
            path,
            section,
            label,
            help: f.help(),
            kind: f.kind(),
            value,
            min: bound("minimum"),
            max: bound("maximum"),
            options: f.options(),
        });
    }
}

/// A block's days as the page's language writes them (`mån–fre`,
/// `Mon–Fri`; runs of days joined by a dash, runs apart by commas), not as
/// the scenario file spells them (`mon-fri`); the file's text if unreadable.
fn days_text(lang: Lang, spec: &str) -> String {
    let Some(mask) = crate::scenario::written::parse_days(spec) else {
        return spec.to_string();
    };
    let on = |d: usize| mask & (1 << d) != 0;
    let mut runs = Vec::new();
    let mut d = 0;
    while d < 7 {
        if !on(d) {
            d += 1;
            continue;
        }
        let first = d;
        while d + 1 < 7 && on(d + 1) {
            d += 1;
        }
        runs.push(if first == d {
            lang.weekday(d).to_string()
        } else {
            format!("{}–{}", lang.weekday(first), lang.weekday(d))
        });
        d += 1;
    }
    runs.join(", ")
}

fn both(en: &str, sv: &str) -> [String; 2] {
    [sv.to_string(), en.to_string()]
}

/// The levers of the scenario whose merged tree is `tree`.
pub fn levers(tree: &Table, schema: &Value) -> Vec<Lever> {
    let mut b = Builder {
        schema,
        out: Vec::new(),
    };
    let empty = Table::new();
    let units = tree
        .get("units")
        .and_then(|u| u.as_table())
        .unwrap_or(&empty);
    for (ukey, unit) in units {
        let Some(unit) = unit.as_table() else {
            continue;
        };
        let name = unit.get("name").and_then(|n| n.as_str()).unwrap_or(ukey);
        let section = [name.to_string(), name.to_string()];
        let at = |rest: &str| format!("units.{}.{rest}", seg(ukey));
        let staff = unit
            .get("staff")
            .and_then(|s| s.as_table())
            .unwrap_or(&empty);
        let profession = |gkey: &str, group: &toml::Value| -> String {
            group
                .get("profession")
                .and_then(|p| p.as_str())
                .unwrap_or(gkey)
                .to_string()
        };
        // In the report's order of professions (doctors first), then by key.
        let mut groups: Vec<(&String, &toml::Value)> = staff.iter().collect();
        groups.sort_by_key(|(k, g)| (Lang::profession_rank(&profession(k, g)), k.to_string()));
        for (gkey, group) in groups {
            let prof = profession(gkey, group);
            let prof = prof.as_str();
            let label = |lang: Lang| {
                let p = lang.profession(prof);
                if prof == gkey.as_str() {
                    format!("{p} ({})", lang.pick("head count", "antal"))
                } else {
                    format!("{p}: {gkey} ({})", lang.pick("head count", "antal"))
                }
            };
            b.add(
                at(&format!("staff.{}.count", seg(gkey))),
                section.clone(),
                [label(Lang::Sv), label(Lang::En)],
                ("StaffGroupFile", "count"),
                group.get("count").map_or(Value::Null, json),
            );
        }
        if let Some(hours) = get(unit, &["dropin", "hours"]).and_then(|h| h.as_array()) {
            for (i, block) in hours.iter().enumerate() {
                let days = block.get("days").and_then(|d| d.as_str()).unwrap_or("");
                let (days_en, days_sv) = (days_text(Lang::En, days), days_text(Lang::Sv, days));
                for (key, en, sv) in [
                    ("start", "Drop-in opens", "Drop-in öppnar"),
                    ("end", "Drop-in closes", "Drop-in stänger"),
                ] {
                    b.add(
                        at(&format!("dropin.hours[{i}].{key}")),
                        section.clone(),
                        both(&format!("{en} ({days_en})"), &format!("{sv} ({days_sv})")),
                        ("HoursFile", key),
                        block.get(key).map_or(Value::Null, json),
                    );
                }
            }
        }
        if get(unit, &["demand", "web_booking"]).is_some() {
            b.add(
                at("demand.web_booking.share"),
                section.clone(),
                both(
                    "Web booking: share of contacts",
                    "Webbtidbok: andel av kontakterna",
                ),
                ("ArrivalFile", "share"),
                get(unit, &["demand", "web_booking", "share"]).map_or(Value::Null, json),
            );
        }
        if get(unit, &["booking"]).is_some() {
            b.add(
                at("booking.patient_chosen_share"),
                section.clone(),
                both(
                    "Patient-chosen later time: share",
                    "Patientvald väntan: andel",
                ),
                ("BookingFile", "patient_chosen_share"),
                get(unit, &["booking", "patient_chosen_share"]).map_or(Value::Null, json),
            );
            b.add(
                at("booking.profession_neutral"),
                section.clone(),
                both("Profession-neutral booking", "Professionsneutral bokning"),
                ("BookingFile", "profession_neutral"),
                get(unit, &["booking", "profession_neutral"]).map_or(Value::Null, json),
            );
        }
    }
    // The guarantee definition: the 2019 "3" rule's counting.
    let rule = "assessment_within_3_days";
    let builtin_rule = builtin::rules().remove(rule);
    let section = both(
        "Care guarantee: the \"3\" rule",
        "Vårdgarantin: regeln \"3\"",
    );
    let written = |key: &str| get(tree, &["guarantee", rule, key]).map(json);
    if let Some(r) = builtin_rule {
        let fallback = serde_json::to_value(r.deadline_days).unwrap_or(Value::Null);
        b.add(
            format!("guarantee.{rule}.deadline_days"),
            section.clone(),
            both(
                "Deadline (days after first contact)",
                "Gräns (dagar efter första kontakt)",
            ),
            ("RuleFile", "deadline_days"),
            written("deadline_days").unwrap_or(fallback),
        );
        let fallback = serde_json::to_value(r.count_days).unwrap_or(Value::Null);
        b.add(
            format!("guarantee.{rule}.count_days"),
            section.clone(),
            both("Days counted", "Dagar som räknas"),
            ("RuleFile", "count_days"),
            written("count_days").unwrap_or(fallback),
        );
        b.add(
            format!("guarantee.{rule}.exclude_patient_chosen"),
            section.clone(),
            both(
                "Leave out patient-chosen waits",
                "Räkna bort patientvald väntan",
            ),
            ("RuleFile", "exclude_patient_chosen"),
            written("exclude_patient_chosen")
                .unwrap_or(Value::Bool(r.exclude_patient_chosen.unwrap_or(false))),
        );
    }
    let teams = tree
        .get("mobile_teams")
        .and_then(|t| t.as_table())
        .unwrap_or(&empty);
    for (tkey, team) in teams {
        let name = team.get("name").and_then(|n| n.as_str()).unwrap_or(tkey);
        b.add(
            format!("mobile_teams.{}.crews", seg(tkey)),
            [
                format!("Mobilt team: {name}"),
                format!("Mobile team: {name}"),
            ],
            both("Crews (vehicles)", "Besättningar (bilar)"),
            ("MobileTeamFile", "crews"),
            team.get("crews").map_or(Value::Null, json),
        );
    }
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::schema::json_schema;
    use crate::scenario::source::Source;

    fn default_levers() -> Vec<Lever> {
        let source = Source::load(None, builtin::DEFAULT_SCENARIO, &[]).unwrap();
        levers(source.tree(), &json_schema())
    }

    #[test]
    fn the_default_has_its_doctors_with_the_schema_bounds_and_doc() {
        let all = default_levers();
        assert_eq!(all[0].path, "units.vc.staff.doctor.count", "doctors first");
        let doctors = all
            .iter()
            .find(|l| l.path == "units.vc.staff.doctor.count")
            .unwrap();
        assert_eq!(doctors.value, Value::from(6));
        assert_eq!(doctors.kind, "int");
        assert_eq!((doctors.min, doctors.max), (Some(0.0), Some(1000.0)));
        assert!(doctors.help.starts_with("Head count"), "{}", doctors.help);
        assert_eq!(doctors.label[0], "Läkare (antal)");
    }

    #[test]
    fn drop_in_hours_share_and_the_rule_are_levers() {
        let all = default_levers();
        let find = |p: &str| all.iter().find(|l| l.path == p).unwrap();
        assert_eq!(find("units.vc.dropin.hours[0].end").value, "11:00");
        assert_eq!(find("units.vc.dropin.hours[0].end").kind, "clock");
        assert_eq!(
            find("units.vc.booking.patient_chosen_share").value,
            Value::from(0.10)
        );
        let count = find("guarantee.assessment_within_3_days.count_days");
        assert_eq!(count.kind, "choice");
        assert_eq!(count.value, "calendar");
        assert_eq!(count.options, ["calendar", "working"]);
    }

    #[test]
    fn swedish_labels_use_swedish_days_and_the_glossarys_terms() {
        let all = default_levers();
        let find = |p: &str| all.iter().find(|l| l.path == p).unwrap();
        let opens = find("units.vc.dropin.hours[0].start");
        assert_eq!(opens.label[0], "Drop-in öppnar (mån–fre)");
        assert_eq!(opens.label[1], "Drop-in opens (Mon–Fri)");
        assert_eq!(
            find("units.vc.demand.web_booking.share").label[0],
            "Webbtidbok: andel av kontakterna"
        );
        assert_eq!(days_text(Lang::Sv, "mon,wed-thu,sat"), "mån, ons–tor, lör");
        assert_eq!(days_text(Lang::Sv, "all"), "mån–sön");
        assert_eq!(days_text(Lang::En, "bogus"), "bogus");
    }

    #[test]
    fn every_lever_path_is_accepted_by_the_loader_at_its_own_value() {
        for l in default_levers() {
            let v = match &l.value {
                Value::String(s) => format!("\"{s}\""),
                v => v.to_string(),
            };
            let set = format!("{}={v}", l.path);
            crate::scenario::Scenario::load(None, std::slice::from_ref(&set))
                .unwrap_or_else(|e| panic!("{set}: {e}"));
        }
    }
}
