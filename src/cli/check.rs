//! `vardsim check`: the scenario as it will run (after `extends` and
//! `--set`, as TOML) and a plausibility table per health centre, with
//! warnings for figures that are probably a mistake. The table is written
//! as TOML comments, so the output stays a valid scenario file.

use std::path::PathBuf;

use crate::experiment::{self, RunConfig};
use crate::report::Lang;
use crate::scenario::Scenario;
use crate::scenario::spec::{Rate, Unit};
use crate::vocab::ids::ProfessionId;

pub(super) const CHECK_EXAMPLES: &str = "\
Examples:
  vardsim check                                 the built-in default, merged, with plausibility figures
  vardsim check scenarios/methods/mobile-team.toml --set units.vc.staff.doctor.count=2
  vardsim check scenarios/regions/jamtland-harjedalen.toml --lang sv
  vardsim check my.toml > merged.toml           the merged scenario (the table is TOML comments)

Contacts per listed patient and staff per 1 000 listed come from the
scenario; utilisation from one replication (seed 1). Figures outside the
usual ranges of Swedish primary care are flagged as warnings.";

/// Arguments of `vardsim check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Scenario file (TOML). Without it, the built-in default scenario.
    pub scenario: Option<PathBuf>,
    /// Override a scenario key, e.g. `units.vc.staff.doctor.count=5` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Language of the table: en or sv.
    #[arg(long, value_parser = super::parse_lang)]
    pub lang: Option<Lang>,
}

/// Usual ranges in Swedish primary care, for the warnings: contacts per
/// listed patient and year (all channels; about 3–4 nationally), staff per
/// 1 000 listed (about 2–6), doctors per 1 000 listed (about 0.5–1.2).
const CONTACTS_PER_LISTED: (f64, f64) = (1.0, 8.0);
const STAFF_PER_1000: (f64, f64) = (1.0, 12.0);
const DOCTORS_PER_1000: (f64, f64) = (0.2, 2.5);
/// Utilisation above this leaves no room for the queues to empty.
const UTILISATION_HIGH: f64 = 0.95;
/// Utilisation below this means paid staff with little to do.
const UTILISATION_LOW: f64 = 0.2;

pub(super) fn check_command(args: CheckArgs) -> anyhow::Result<()> {
    let lang = args.lang.unwrap_or_default();
    let file = args
        .scenario
        .as_deref()
        .filter(|p| p.as_os_str() != "builtin:default");
    // Validate first: a scenario with problems gets the located errors, not TOML.
    let scenario = super::load_scenario(file, &args.sets, lang)?;
    let source = crate::scenario::source::Source::load(
        file,
        crate::scenario::builtin::DEFAULT_SCENARIO,
        &args.sets,
    )?;
    let mut out = toml::to_string(source.tree())?;
    let results = experiment::run(
        &scenario,
        &RunConfig {
            seed: 1,
            replications: 1,
            threads: None,
        },
        &|| {},
    )?;
    let observations = &results.replications[0].observations;
    let utilisation = |unit: &str| -> Vec<(String, f64)> {
        observations
            .iter()
            .filter(|o| {
                o.metric.starts_with("utilization_")
                    && o.by.map(|b| b.key()) == Some("unit")
                    && o.group == unit
                    && o.value.is_finite()
            })
            .map(|o| (o.metric["utilization_".len()..].to_string(), o.value))
            .collect()
    };
    let (rows, warnings) = plausibility(&scenario, lang, &utilisation);
    out.push_str(&format!(
        "\n# {}\n",
        lang.pick(
            "Plausibility (contacts and staff from the scenario; utilisation from one replication, seed 1)",
            "Rimlighet (kontakter och bemanning från scenariot; resursutnyttjande från en körning, slumpfrö 1)"
        )
    ));
    // The numbers right-aligned, the utilisation (text) after them left.
    for line in crate::report::aligned_numbers(&rows, 1..5).lines() {
        out.push_str(&format!("# {line}\n"));
    }
    for line in linked_groups(&scenario, lang) {
        out.push_str(&format!("# {line}\n"));
    }
    // The loader's warnings were printed when the scenario was read; the
    // note counts them so that "no warnings" is never said beside them.
    if warnings.is_empty() && scenario.warnings.is_empty() {
        out.push_str(&format!(
            "# {}\n",
            lang.pick("no warnings", "inga varningar")
        ));
    } else if warnings.is_empty() {
        out.push_str(&format!(
            "# {}\n",
            lang.pick(
                "no plausibility warnings (the scenario's own warnings are above)",
                "inga rimlighetsvarningar (scenariots egna varningar står ovan)"
            )
        ));
    }
    for w in &warnings {
        out.push_str(&format!("# {}: {w}\n", lang.pick("warning", "varning")));
        note!("{}: {w}", lang.pick("warning", "varning"));
    }
    out!("{out}")?;
    Ok(())
}

/// Expected new contacts per 365-day year of a unit, from its demand
/// (profiles at their means).
pub fn contacts_per_year(unit: &Unit) -> f64 {
    unit.arrivals
        .iter()
        .map(|a| match &a.rate {
            Rate::PerYear(t) => *t,
            Rate::PerHour(r) => {
                r * a.weekday.iter().sum::<f64>() / 7.0
                    * a.hour.iter().sum::<f64>()
                    * (a.month.iter().sum::<f64>() / 12.0)
                    * 365.0
            }
            Rate::Weekly(times) => times.len() as f64 * 365.0 / 7.0,
        })
        .sum()
}

/// "unit" or "units" (in the language of `lang`) after the count `n`.
fn units_noun(n: usize, lang: Lang) -> &'static str {
    match (lang, n) {
        (Lang::En, 1) => "unit",
        (Lang::En, _) => "units",
        (Lang::Sv, 1) => "enhet",
        (Lang::Sv, _) => "enheter",
    }
}

/// Units named in a linked group's line before "… and N more".
const GROUP_UNITS_SHOWN: usize = 6;

/// A region's linked groups as they run (`model::linked::split_groups`):
/// each group of several units (or with a mobile team), what links it, and
/// the e-service providers that run apart; nothing for a lone unit. A
/// unit whose telephone is answered elsewhere has few staff of its own
/// per 1 000 listed, and this says why.
fn linked_groups(sc: &Scenario, lang: Lang) -> Vec<String> {
    let (groups, apart) = crate::model::linked::split_groups(sc);
    let key = |u: usize| sc.units[u].key.as_str();
    let mut lines = Vec::new();
    let mut alone = 0;
    for g in &groups {
        let units: Vec<usize> = g.units.iter().map(|u| u.index()).collect();
        if units.len() == 1 && g.teams.is_empty() {
            alone += usize::from(!apart[units[0]]);
            continue;
        }
        let mut why: Vec<String> = Vec::new();
        let mut add = |text: String| {
            if !why.contains(&text) {
                why.push(text);
            }
        };
        if units.len() > 1 && sc.units.iter().any(|u| u.continuity.is_some()) {
            add(lang
                .pick(
                    "continuity of care (every unit)",
                    "vårdkontinuitet (alla enheter)",
                )
                .to_string());
        }
        for &u in &units {
            let unit = &sc.units[u];
            if let Some(h) = unit.phone_host.filter(|&h| h != u) {
                add(format!(
                    "{} {}",
                    lang.pick("telephone answered by", "telefon besvaras av"),
                    key(h)
                ));
            }
            if let Some(h) = unit.eservice_host.filter(|&h| h != u && !apart[h]) {
                add(format!(
                    "{} {}",
                    lang.pick("e-service answered by", "e-tjänst besvaras av"),
                    key(h)
                ));
            }
            if let Some(h) = unit.dropin.as_ref().and_then(|d| d.remote_doctor) {
                add(format!(
                    "{} {}",
                    lang.pick("remote doctor pool at", "distansläkare vid"),
                    key(h)
                ));
            }
        }
        for &t in &g.teams {
            let team = &sc.mobile_teams[t];
            add(format!(
                "{} {} ({} {})",
                lang.pick("mobile team", "mobilt team"),
                team.key,
                lang.pick("based at", "utgår från"),
                key(team.base.index())
            ));
        }
        // Units ascend by key (the scenario's order).
        let names: Vec<&str> = units
            .iter()
            .take(GROUP_UNITS_SHOWN)
            .map(|&u| key(u))
            .collect();
        let more = units.len().saturating_sub(GROUP_UNITS_SHOWN);
        let more = if more > 0 {
            format!(
                " {} {more} {}",
                lang.pick("and", "och"),
                lang.pick("more", "till")
            )
        } else {
            String::new()
        };
        lines.push(format!(
            "- {} {}: {}{more} — {}",
            units.len(),
            units_noun(units.len(), lang),
            names.join(", "),
            why.join("; ")
        ));
    }
    for (u, _) in apart.iter().enumerate().filter(|(_, a)| **a) {
        let served = sc
            .units
            .iter()
            .filter(|x| x.eservice_host == Some(u))
            .count();
        // The possessive: "1 unit's", "2 units'"; "1 enhets", "2 enheters".
        let whose = match lang {
            Lang::En if served == 1 => "unit's".to_string(),
            Lang::En => "units'".to_string(),
            Lang::Sv => format!("{}s", units_noun(served, lang)),
        };
        lines.push(match lang {
            Lang::En => format!(
                "- {} answers {served} {whose} e-service requests and runs apart (its answers are read into each unit's run)",
                key(u)
            ),
            Lang::Sv => format!(
                "- {} besvarar {served} {whose} e-tjänstärenden och körs för sig (svaren läses in i varje enhets körning)",
                key(u)
            ),
        });
    }
    if lines.is_empty() {
        return lines;
    }
    let mut out = vec![lang
        .pick(
            "Linked groups (units that share a telephone line, an e-service inbox, a remote doctor pool or a mobile team run as one):",
            "Länkade grupper (enheter som delar telefonlinje, e-tjänstinkorg, distansläkare eller mobilt team körs som en):",
        )
        .to_string()];
    out.extend(lines);
    if alone > 0 {
        let noun = units_noun(alone, lang);
        out.push(match lang {
            Lang::En if alone == 1 => "- 1 unit runs alone".to_string(),
            Lang::En => format!("- {alone} {noun} run alone"),
            Lang::Sv => format!("- {alone} {noun} körs var för sig"),
        });
    }
    out
}

type Utilisation<'a> = dyn Fn(&str) -> Vec<(String, f64)> + 'a;

/// The table rows (header first) and the warnings.
fn plausibility(sc: &Scenario, lang: Lang, util: &Utilisation) -> (Vec<Vec<String>>, Vec<String>) {
    let mut rows = vec![
        [
            lang.pick("health centre", "vårdcentral"),
            lang.pick("listed", "listade"),
            lang.pick("contacts/listed/year", "kontakter/listad/år"),
            lang.pick("staff/1 000 listed", "personal/1 000 listade"),
            lang.pick("doctors/1 000", "läkare/1 000"),
            lang.pick("utilisation", "resursutnyttjande"),
        ]
        .map(String::from)
        .to_vec(),
    ];
    let mut warnings = Vec::new();
    for (i, u) in sc.units.iter().enumerate() {
        // Staff at work: filled posts (`count` less `vacant`), not posts,
        // so that a unit short of doctors is not counted as fully staffed.
        // A mobile team's crews are staff of its base unit (docs/scenario.md)
        // besides the unit's own groups: a doctor in the car is a doctor of
        // the unit's listed patients too.
        let is_doctor = |p: ProfessionId| sc.professions[p.index()].key == "doctor";
        let crews = sc
            .mobile_teams
            .iter()
            .filter(|t| t.base.index() == i)
            .flat_map(|t| t.crew.iter().map(move |&(p, n)| (p, n * t.crews)));
        let (staff, doctors) = u
            .staff
            .iter()
            .map(|g| (g.profession, g.employed()))
            .chain(crews)
            .fold((0u32, 0u32), |(all, doctors), (p, n)| {
                (all + n, doctors + if is_doctor(p) { n } else { 0 })
            });
        let contacts = contacts_per_year(u);
        let per_1000 = |n: u32| (u.listed > 0).then(|| f64::from(n) * 1000.0 / f64::from(u.listed));
        let per_listed = (u.listed > 0).then(|| contacts / f64::from(u.listed));
        let shown = |x: Option<f64>, d: usize| x.map_or("–".to_string(), |x| lang.number(x, d));
        let mut used = util(&u.key);
        used.sort_by_key(|(p, _)| Lang::profession_rank(p));
        let used_text: Vec<String> = used
            .iter()
            .map(|(p, x)| {
                format!(
                    "{} {}",
                    lang.profession(p).to_lowercase(),
                    lang.percent(*x, 0)
                )
            })
            .collect();
        // By key in English and by name in Swedish, as `run --by unit`
        // names them (an audit's finding: `vc` under "vårdcentral").
        rows.push(vec![
            lang.pick(&u.key, &u.name).to_string(),
            lang.number(f64::from(u.listed), 0),
            shown(per_listed, 1),
            shown(per_1000(staff), 1),
            shown(per_1000(doctors), 2),
            used_text.join(", "),
        ]);
        let mut warn = |text: String| warnings.push(format!("units.{}: {text}", u.key));
        // (value, usual range, decimals of value and range, English and
        // Swedish: what it is, and where to look).
        let figures = [
            (
                per_listed,
                CONTACTS_PER_LISTED,
                (1, 0),
                [
                    "contacts per listed patient and year",
                    "kontakter per listad patient och år",
                ],
                [
                    " (check demand rates and `listed`)",
                    " (kontrollera efterfrågan och `listed`)",
                ],
            ),
            (
                per_1000(staff),
                STAFF_PER_1000,
                (1, 0),
                ["staff per 1 000 listed", "medarbetare per 1 000 listade"],
                [
                    " (check staff counts and `listed`)",
                    " (kontrollera bemanningen och `listed`)",
                ],
            ),
            (
                per_1000(doctors).filter(|_| u.listed > 0 && staff > 0),
                DOCTORS_PER_1000,
                (2, 1),
                ["doctors per 1 000 listed", "läkare per 1 000 listade"],
                ["", ""],
            ),
        ];
        for (value, (low, high), (dx, dr), what, hint) in figures {
            let Some(x) = value.filter(|x| !(low..=high).contains(x)) else {
                continue;
            };
            let sv = usize::from(lang == Lang::Sv);
            let usual = ["outside the usual", "utanför det vanliga"][sv];
            warn(format!(
                "{} {}, {usual} {}–{}{}",
                lang.number(x, dx),
                what[sv],
                lang.number(low, dr),
                lang.number(high, dr),
                hint[sv]
            ));
        }
        for (p, x) in &used {
            let label = lang.profession(p).to_lowercase();
            if *x > UTILISATION_HIGH {
                warn(match lang {
                    Lang::En => format!(
                        "{label} busy {} of paid time: queues will keep growing (add staff or time)",
                        lang.percent(*x, 0)
                    ),
                    Lang::Sv => format!(
                        "{label} upptagna {} av betald tid: köerna växer (mer personal eller tid)",
                        lang.percent(*x, 0)
                    ),
                });
            } else if *x < UTILISATION_LOW {
                warn(match lang {
                    Lang::En => format!(
                        "{label} with patients only {} of paid time (staff without shifts or slots?)",
                        lang.percent(*x, 0)
                    ),
                    Lang::Sv => format!(
                        "{label} med patienter bara {} av betald tid (personal utan pass eller tider?)",
                        lang.percent(*x, 0)
                    ),
                });
            }
        }
    }
    (rows, warnings)
}
