//! From [`ScenarioFile`] (what was written) to [`Scenario`] (what runs).
//!
//! Every check pushes a [`Problem`] naming the key's dotted path and goes on,
//! so that one run of the loader reports everything that is wrong. Only
//! checks that need more than one key or a reference live here (units,
//! professions, categories, time order, overlapping blocks, the expected
//! arrivals of a replication); a single key's range or form is its type's
//! ([`super::bounded`], [`super::written`]), checked while reading. The one
//! exception: the required lists `categories.<c>.assess` and
//! `mobile_teams.<t>.shifts` are checked for emptiness here, because a
//! required key refused while reading drops its whole table and so hides
//! the table's other problems.

use std::collections::BTreeMap;

use super::Problem;
use super::bounded::{Profile, Weight};
use super::builtin;
use super::dist_spec::DistSpec;
use super::file::{
    AppliesTo, DEFAULT_APPLIES_TO, DEFAULT_COST_PER_FTE_YEAR_SEK, DEFAULT_COUNT_DAYS,
    DEFAULT_DROPIN_PREFER, DEFAULT_EXCLUDE_PATIENT_CHOSEN, DEFAULT_ONLY_NEEDING_ASSESSMENT,
    DEFAULT_RULE_ENABLED, DEFAULT_SLOT_MINUTES, DEFAULT_SLOT_TYPE, HoursFile, KindChoice,
    MAX_ARRIVALS_PER_REPLICATION, MAX_SLOTS_PER_REPLICATION, PhoneMode, ScenarioFile, WhenFull,
};
use super::spec::*;
use super::written::{Clock, Days, ProfessionKeys};
use crate::engine::Calendar;
use crate::vocab::dist::Distribution;
use crate::vocab::ids::{CategoryId, MAX_PROFESSIONS, ProfessionId, ProfessionSet, UnitId};
use crate::vocab::kinds::{Activity, Channel, ContactKindSet, Urgency};
use crate::vocab::slot::ReleaseRules;
use crate::vocab::week::WeeklyBlock;

/// Checks `file` and builds the [`Scenario`], or returns every problem found.
pub fn validate(file: ScenarioFile) -> Result<Scenario, Vec<Problem>> {
    let mut v = Validator::default();
    let mut scenario = v.scenario(file);
    if v.problems.is_empty() {
        scenario.warnings = v.warnings;
        Ok(scenario)
    } else {
        Err(v.problems)
    }
}

/// How far `after_triage` weights may sum from 1 before a warning: weights
/// written with three decimals that add up to 1 (0.85 + 0.10 + 0.05 is
/// 1.000…02 in floating point).
const WEIGHTS_SUM_SLACK: f64 = 5e-4;

#[derive(Default)]
struct Validator {
    problems: Vec<Problem>,
    /// What can be meant but probably is not (kept in the scenario).
    warnings: Vec<Problem>,
    /// Professions defined beyond [`MAX_PROFESSIONS`] (refused once, at
    /// `professions`): not reported again as unknown where they are used.
    beyond_limit: Vec<String>,
}

impl Validator {
    fn push(&mut self, key: impl Into<String>, message: impl Into<String>, hint: Option<&str>) {
        let mut p = Problem::new(key, message);
        if let Some(h) = hint {
            p = p.hint(h);
        }
        self.problems.push(p);
    }

    /// A name or label that people read in reports, written empty or only
    /// spaces: an error, or `--by unit` gets a blank row and the Swedish
    /// report "Vårdcentral: ". `default` is what leaving the key out gives.
    fn non_empty(&mut self, key: String, name: Option<&String>, default: &str) {
        if let Some(name) = name.filter(|n| n.trim().is_empty()) {
            self.push(
                key,
                format!("expected a non-empty name, found {name:?}"),
                Some(&format!(
                    "write the name reports show, or leave the key out for {default}"
                )),
            );
        }
    }

    /// A warning, in English and Swedish (`[en, sv]`): unlike an error it
    /// goes on into a run's output, which may be Swedish.
    fn warn(&mut self, key: impl Into<String>, message: [String; 2], hint: Option<[&str; 2]>) {
        let [en, sv] = message;
        let mut p = Problem::new(key, en).swedish(sv, hint.map(|h| h[1]));
        if let Some([h, _]) = hint {
            p = p.hint(h);
        }
        self.warnings.push(p);
    }

    /// `after_triage` weights at `key` that do not sum to 1. They work as
    /// relative weights, but a sum other than 1 is most often a variant's
    /// table merged key by key over its base's: `{ book = 1.0 }` over the
    /// default's `{ book = 0.85, dropin = 0.10, emergency = 0.05 }` keeps the
    /// other two, so 13 % of the patients still go elsewhere.
    fn after_triage_not_whole(
        &mut self,
        key: &str,
        weights: &BTreeMap<TriageOutcome, Weight>,
        total: f64,
    ) {
        let parts = |decimal: char| {
            weights
                .iter()
                .filter(|(_, w)| w.get() > 0.0)
                .map(|(o, w)| {
                    let share = format!("{:.1}", 100.0 * w.get() / total);
                    format!("{} {} %", o.key(), share.replace('.', &decimal.to_string()))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sum = |decimal: char| format!("{total:.3}").replace('.', &decimal.to_string());
        self.warn(
            key,
            [
                format!(
                    "the weights sum to {}, not 1: they are used as relative weights ({})",
                    sum('.'),
                    parts('.')
                ),
                format!(
                    "vikterna summerar till {}, inte 1: de används som relativa vikter ({})",
                    sum(','),
                    parts(',')
                ),
            ],
            Some([
                "a variant's table merges key by key with its base's, so the base's other outcomes stay: write them as 0 to leave them out (`after_triage = { book = 1.0, dropin = 0, emergency = 0 }`), or write weights that sum to 1",
                "en variants tabell slås ihop nyckel för nyckel med basens, så basens övriga utfall finns kvar: skriv dem som 0 för att ta bort dem (`after_triage = { book = 1.0, dropin = 0, emergency = 0 }`), eller skriv vikter som summerar till 1",
            ]),
        );
    }

    /// `visits` blocks of one group that overlap: each block is cut into its
    /// own slots, so the overlap would double them (a counsellor making 1 350
    /// visits a year instead of 800). Each pair is a problem. Other
    /// activities' blocks merge into one duty period, as documented.
    fn overlaps(
        &mut self,
        gat: &str,
        g: &super::file::StaffGroupFile,
        blocks: &[Option<WeeklyBlock>],
    ) {
        for (j, (b, s)) in blocks.iter().zip(&g.shifts).enumerate() {
            let Some(b) = b else { continue };
            for (i, (a, r)) in blocks[..j].iter().zip(&g.shifts).enumerate() {
                let Some(a) = a else { continue };
                if r.activity == Activity::Visits
                    && s.activity == Activity::Visits
                    && a.days & b.days != 0
                    && a.start_s < b.end_s
                    && b.start_s < a.end_s
                {
                    self.push(
                        format!("{gat}.shifts[{j}]"),
                        format!(
                            "overlaps shifts[{i}] ({} {}–{}): both are \"visits\" blocks of the same group on {} {}–{}",
                            r.days, r.start, r.end, s.days, s.start, s.end
                        ),
                        Some("each visits block is cut into its own slots, so the overlap doubles them; end one block where the next starts, or use another staff group"),
                    );
                }
            }
        }
    }

    /// The expected arrivals of one replication, bounded before the model
    /// allocates (a generous upper estimate: profiles at their peaks).
    fn work(&mut self, horizon_days: u32, units: &[Unit], teams: &[MobileTeam]) {
        let days = horizon_days as f64;
        let mut total = 0.0;
        let mut largest = (0.0, String::new());
        let mut add = |count: f64, key: String| {
            total += count;
            if count > largest.0 {
                largest = (count, key);
            }
        };
        for u in units {
            for a in &u.arrivals {
                let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
                let count = match &a.rate {
                    Rate::PerHour(r) => {
                        r * a.weekday.iter().sum::<f64>()
                            * a.hour.iter().sum::<f64>()
                            * max(&a.month)
                            * days
                            / 7.0
                    }
                    Rate::PerYear(t) => t * days / 365.0,
                    Rate::Weekly(times) => times.len() as f64 * (days / 7.0 + 1.0),
                };
                add(count, format!("units.{}.demand.{}", u.key, a.channel.key()));
            }
            for p in &u.planned {
                add(
                    p.per_year * days / 365.0,
                    format!("units.{}.planned.{}", u.key, p.key),
                );
            }
        }
        for t in teams {
            add(
                t.home_care_requests_per_day * days + t.planned_visits_per_week * days / 7.0,
                format!("mobile_teams.{}", t.key),
            );
        }
        if total.is_nan() || total > MAX_ARRIVALS_PER_REPLICATION {
            self.push(
                largest.1,
                format!(
                    "the scenario expects about {:.0} arrivals per replication (this stream {:.0}), more than the {:.0} one replication may hold",
                    total, largest.0, MAX_ARRIVALS_PER_REPLICATION
                ),
                Some("lower the rates or listed, shorten simulation.horizon_days, or split the region into several scenarios"),
            );
        }
        // The appointment books: every staff member's visits blocks cut into
        // slots over the horizon, built before the first event.
        let weeks = days / 7.0 + 1.0;
        let mut slots = 0.0;
        let mut largest = (0.0, String::new());
        for u in units {
            for g in &u.staff {
                let per_week: f64 = g
                    .visit_slots
                    .iter()
                    .map(|(b, slot_s, _)| {
                        let per_day = b.end_s.saturating_sub(b.start_s) / (*slot_s).max(1);
                        f64::from(b.days.count_ones()) * f64::from(per_day)
                    })
                    .sum();
                let count = f64::from(g.count) * per_week * weeks;
                slots += count;
                if count > largest.0 {
                    largest = (count, format!("units.{}.staff.{}.count", u.key, g.key));
                }
            }
        }
        if slots > MAX_SLOTS_PER_REPLICATION {
            self.push(
                largest.1,
                format!(
                    "the appointment books would hold about {slots:.0} slots per replication (this group {:.0}), more than the {MAX_SLOTS_PER_REPLICATION:.0} one replication may hold",
                    largest.0
                ),
                Some("lower the head counts or lengthen slot_minutes, shorten simulation.horizon_days, or split the region into several scenarios"),
            );
        }
    }

    fn scenario(&mut self, f: ScenarioFile) -> Scenario {
        for (key, label) in [("label_en", &f.label_en), ("label_sv", &f.label_sv)] {
            self.non_empty(key.into(), label.as_ref(), "the scenario's name");
        }
        let sim = &f.simulation;
        let (horizon_days, warmup_days) = (sim.horizon_days.get(), sim.warmup_days.get());
        if warmup_days >= horizon_days {
            self.push(
                "simulation.warmup_days",
                format!(
                    "expected fewer days than horizon_days ({horizon_days}), found {warmup_days}"
                ),
                Some("metrics count only the days after the warm-up"),
            );
        }
        let weekday = sim.start_weekday.0;
        let calendar = Calendar::with_lead(
            weekday,
            sim.start_month.get() as usize - 1,
            warmup_days as u64,
        );

        let professions = self.professions(&f);
        let categories = self.categories(&f, &professions);
        if categories.iter().map(|c| c.share).sum::<f64>() <= 0.0 {
            self.push(
                "categories",
                "expected at least one category with a positive share",
                Some("add e.g. [categories.acute] share = 1.0, assess = [\"nurse\"], service_minutes.nurse = { dist = \"exponential\", mean = 20 }"),
            );
        }
        let age_groups = self.age_groups(&f, &categories);
        let cumulative = |weights: &mut dyn Iterator<Item = f64>| -> Vec<f64> {
            weights
                .scan(0.0, |acc, w| {
                    *acc += w;
                    Some(*acc)
                })
                .collect()
        };
        let age_cumulative = Channel::ALL.map(|ch| {
            cumulative(
                &mut age_groups
                    .iter()
                    .map(|a| a.share * a.channel_weight[ch as usize]),
            )
        });
        let category_cumulative = age_groups
            .iter()
            .map(|a| {
                cumulative(
                    &mut categories
                        .iter()
                        .zip(&a.category_weight)
                        .map(|(c, w)| c.share * w),
                )
            })
            .collect();
        let mut units: Vec<Unit> = f
            .units
            .iter()
            .map(|(key, u)| self.unit(key, u, &professions, &f.units))
            .collect();
        for (unit, (key, u)) in units.iter_mut().zip(&f.units) {
            unit.planned = self.planned(key, u, &professions, &categories);
        }
        let distance_bands = self.distance_bands(&f, &mut units);
        let rules = self.rules(&f, &professions);
        let mobile_teams = self.mobile_teams(&f, &professions, &categories);
        let supply = f
            .supply
            .as_ref()
            .map(|s| self.supply(s, &calendar, u64::from(horizon_days)));
        if self.problems.is_empty() {
            self.work(horizon_days, &units, &mobile_teams);
            self.unbookable(&units, &categories, &professions);
            self.unanswered(&units);
            self.unnamed(&units, &professions);
        }
        Scenario {
            name: f.name.get().to_string(),
            description: f.description.clone(),
            description_sv: f.description_sv.clone(),
            label_en: f.label_en.clone(),
            label_sv: f.label_sv.clone(),
            horizon_days,
            warmup_days,
            calendar,
            crn_key: sim.crn_key.clone(),
            professions,
            units,
            categories,
            age_groups,
            age_cumulative,
            distance_bands,
            category_cumulative,
            rules,
            dropin_wait_thresholds_minutes: f
                .metrics
                .dropin_wait_thresholds_minutes
                .0
                .iter()
                .map(|t| t.get())
                .collect(),
            mobile_teams,
            costs: self.costs(&f.costs),
            supply,
            warnings: Vec::new(),
        }
    }

    /// Warns where a unit's patients would find no time because nobody at
    /// the unit who may see them has visit times: a category with demand
    /// and no staff of its `treat` professions booking visits, or planned
    /// visits for a profession the unit has no visit times for. Such
    /// patients end as `overflow` — legal, but rarely meant (a region's
    /// staff file that leaves out a profession the default's demand needs).
    /// And the reverse: a group with visit times no patient may book.
    fn unbookable(&mut self, units: &[Unit], categories: &[Category], professions: &[Profession]) {
        for u in units {
            let books = |p: ProfessionId| {
                u.staff.iter().any(|g| {
                    g.profession == p
                        && g.employed() + g.hired_max() > 0
                        && !g.visit_slots.is_empty()
                })
            };
            let names = |set: ProfessionSet| {
                professions
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| set.contains(ProfessionId(i as u8)))
                    .map(|(_, p)| p.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            // A unit with no visit times at all books nobody (a drop-in or
            // desk model such as validation/mmc.toml): nothing to warn of.
            let has_book = u.staff.iter().any(|g| !g.visit_slots.is_empty());
            if has_book && !u.arrivals.is_empty() {
                for c in categories.iter().filter(|c| c.share > 0.0) {
                    let treat: Vec<ProfessionId> = (0..professions.len())
                        .map(|i| ProfessionId(i as u8))
                        .filter(|&p| c.treat.contains(p))
                        .collect();
                    if !treat.iter().any(|&p| books(p)) {
                        self.warn(
                            format!("units.{}", u.key),
                            [
                                format!(
                                    "no staff who may treat `{}` ({}) has visit times here: its patients who need a visit find no time (overflow)",
                                    c.key,
                                    names(c.treat)
                                ),
                                format!(
                                    "ingen personal som får behandla `{}` ({}) har besökstider här: dess patienter som behöver ett besök får ingen tid (overflow)",
                                    c.key,
                                    names(c.treat)
                                ),
                            ],
                            Some([
                                "add a staff group of one of those professions with `visits` blocks, or widen the category's `treat`",
                                "lägg till en personalgrupp med något av de yrkena och `visits`-block, eller vidga kategorins `treat`",
                            ]),
                        );
                    }
                }
            }
            // The other way round: a group whose visit times nobody may
            // book, paid and never seen by a patient. Its profession treats
            // no category with demand and has no planned visits here (an
            // imported `sjuksköterska` is `nurse`, while the default's
            // categories book `district_nurse`).
            let treated = |p: ProfessionId| {
                categories
                    .iter()
                    .any(|c| c.share > 0.0 && c.treat.contains(p))
                    || u.planned.iter().any(|v| v.profession == p)
            };
            if !u.arrivals.is_empty() {
                for g in &u.staff {
                    if g.visit_slots.is_empty()
                        || g.employed() + g.hired_max() == 0
                        || treated(g.profession)
                    {
                        continue;
                    }
                    let profession = &professions[g.profession.index()].key;
                    self.warn(
                        format!("units.{}.staff.{}", u.key, g.key),
                        [
                            format!(
                                "no category with demand lets a `{profession}` treat, and no planned visits are for one: this group's visit times are never booked (paid, never used)"
                            ),
                            format!(
                                "ingen kategori med efterfrågan låter yrket `{profession}` behandla, och inga planerade besök gäller yrket: gruppens besökstider bokas aldrig (betald tid som inte används)"
                            ),
                        ],
                        Some([
                            "give the group a profession the categories' `treat` lists (the default's categories book `district_nurse`, not `nurse`), or add the profession to the `treat` of the categories it should see",
                            "ge gruppen ett yrke som kategoriernas `treat` nämner (standardens kategorier bokar `district_nurse`, inte `nurse`), eller lägg till yrket i `treat` för de kategorier gruppen ska ta emot",
                        ]),
                    );
                }
            }
            for p in &u.planned {
                if !books(p.profession) {
                    let profession = &professions[p.profession.index()].key;
                    self.warn(
                        format!("units.{}.planned.{}", u.key, p.key),
                        [
                            format!(
                                "no {profession} at this unit has visit times: these planned visits are never booked (overflow)"
                            ),
                            format!(
                                "ingen med yrket `{profession}` vid enheten har besökstider: de planerade besöken bokas aldrig (overflow)"
                            ),
                        ],
                        Some([
                            "add the profession's staff group with `visits` blocks, or remove the planned visits",
                            "lägg till yrkets personalgrupp med `visits`-block, eller ta bort de planerade besöken",
                        ]),
                    );
                }
            }
        }
    }

    /// Warns where a unit's continuity names nobody: a named doctor or
    /// contact share above 0 with no employed member of that profession
    /// with visit times (every post `vacant`, only `hired` staff, or no
    /// visits blocks): hired staff and vacant posts are nobody's named
    /// clinician, so the share was set and no patient has one.
    fn unnamed(&mut self, units: &[Unit], professions: &[Profession]) {
        let doctor = professions
            .iter()
            .position(|p| p.key == "doctor")
            .map(|i| ProfessionId(i as u8));
        for u in units {
            let Some(c) = u.continuity else { continue };
            let named_by = |p: ProfessionId| {
                u.staff
                    .iter()
                    .any(|g| g.profession == p && g.employed() > 0 && !g.visit_slots.is_empty())
            };
            for (key, share, profession) in [
                ("named_doctor_share", c.named_doctor_share, doctor),
                (
                    "named_contact_share",
                    c.named_contact_share,
                    Some(c.named_contact),
                ),
            ] {
                if share <= 0.0 || profession.is_some_and(named_by) {
                    continue;
                }
                let name = profession.map_or("doctor", |p| professions[p.index()].key.as_str());
                self.warn(
                    format!("units.{}.continuity.{key}", u.key),
                    [
                        format!(
                            "no employed `{name}` at this unit has visit times (hired staff and vacant posts are nobody's named clinician): no patient gets one, and the share {share} is not used"
                        ),
                        format!(
                            "ingen anställd med yrket `{name}` vid enheten har besökstider (inhyrd personal och vakanta tjänster är ingens fasta vårdkontakt): ingen patient får någon, och andelen {share} används inte"
                        ),
                    ],
                    Some([
                        "fill a post (lower `vacant`) of a group with `visits` blocks, or set the share to 0",
                        "tillsätt en tjänst (sänk `vacant`) i en grupp med `visits`-block, eller sätt andelen till 0",
                    ]),
                );
            }
        }
    }

    /// Warns where a unit's telephone line, e-service inbox or drop-in has
    /// nobody on that duty where it is answered (the unit itself, or the
    /// unit named to answer it): every call, request or walk-in then waits
    /// and misses "0". A region's staff file that lists a unit's doctors
    /// but not its telephone nurses does this, and "0" read 0 %
    /// unexplained.
    fn unanswered(&mut self, units: &[Unit]) {
        /// One way in, its duty, and the words for it.
        struct WayIn {
            open: bool,
            host: Option<usize>,
            activity: Activity,
            key: &'static str,
            /// The channel, then what it is, in English and Swedish.
            name: [&'static str; 2],
            what: [&'static str; 2],
            /// What happens to a contact nobody takes.
            waits: [&'static str; 2],
            template: &'static str,
        }
        let on_duty = |host: &Unit, activity: Activity| {
            host.staff.iter().any(|g| {
                g.employed() + g.hired_max() > 0 && g.shifts.iter().any(|(_, a)| *a == activity)
            })
        };
        for u in units {
            let ways = [
                WayIn {
                    open: u.phone.is_some(),
                    host: u.phone_host,
                    activity: Activity::Telephone,
                    key: "phone",
                    name: ["telephone", "telefon"],
                    what: ["line", "linjen"],
                    waits: ["waits unanswered", "blir obesvarad"],
                    template: "nurse_phone",
                },
                WayIn {
                    open: u.eservice_answer_minutes.is_some(),
                    host: u.eservice_host,
                    activity: Activity::EService,
                    key: "eservice",
                    name: ["e-service", "e-tjänst"],
                    what: ["inbox", "inkorgen"],
                    waits: ["waits unanswered", "blir obesvarad"],
                    template: "nurse_dropin",
                },
                // A drop-in is answered at its own unit only.
                WayIn {
                    open: u.dropin.is_some(),
                    host: None,
                    activity: Activity::DropIn,
                    key: "dropin",
                    name: ["drop-in", "drop-in"],
                    what: ["hours", "tiderna"],
                    waits: ["waits unseen", "blir inte sedd"],
                    template: "nurse_dropin",
                },
            ];
            for w in ways {
                let host = w.host.map_or(u, |h| &units[h]);
                if !w.open || on_duty(host, w.activity) {
                    continue;
                }
                let (duty, key, template) = (w.activity.key(), w.key, w.template);
                let ([en, sv], [what_en, what_sv], [waits_en, waits_sv]) =
                    (w.name, w.what, w.waits);
                let (at_en, at_sv) = if host.key == u.key {
                    ("at the unit".to_string(), "vid enheten".to_string())
                } else {
                    (
                        format!("at `{}`, which answers it,", host.key),
                        format!("vid `{}`, som svarar för den,", host.key),
                    )
                };
                let hint_en = format!(
                    "add a staff group with `activity = \"{duty}\"` shifts (in a region's staff file, a row with the template `{template}`), or remove the {en} {what_en}"
                );
                let hint_sv = format!(
                    "lägg till en personalgrupp med pass där `activity = \"{duty}\"` (i regionens personalfil en rad med mallen `{template}`), eller ta bort {sv}{what_sv}"
                );
                self.warn(
                    format!("units.{}.{key}", u.key),
                    [
                        format!(
                            "nobody {at_en} has `{duty}` duty: every {en} contact {waits_en} and misses \"0\""
                        ),
                        format!(
                            "ingen {at_sv} har passet `{duty}`: varje kontakt via {sv} {waits_sv} och missar \"0\""
                        ),
                    ],
                    Some([&hint_en, &hint_sv]),
                );
            }
        }
    }

    /// The emergency department's costs; a share admitted needs its cost.
    fn costs(&mut self, c: &super::file::CostsFile) -> Costs {
        let admission = c.emergency_admission_sek.map(|s| s.get());
        if c.emergency_admitted_share.is_some() && admission.is_none() {
            self.push(
                "costs.emergency_admission_sek",
                "missing: a share admitted needs the cost of an admission",
                Some("e.g. emergency_admission_sek = 40000, or leave out emergency_admitted_share"),
            );
        }
        Costs {
            emergency_visit_sek: c.emergency_visit_sek.get(),
            emergency_admitted_share: c.emergency_admitted_share.map_or(0.0, |s| s.get()),
            emergency_admission_sek: admission.unwrap_or(0.0),
            admissions: c.emergency_admitted_share.is_some(),
        }
    }

    /// `[supply]` checked; warns when the calendar's weekdays are not the
    /// year's (the holidays keep their dates, so may fall on other weekdays).
    fn supply(
        &mut self,
        s: &super::file::SupplyFile,
        calendar: &Calendar,
        horizon_days: u64,
    ) -> super::supply::Supply {
        let year = s.year.get() as i32;
        // The weekday 1 January has in the scenario's calendar (day of year 0
        // of the first measured year).
        let first = calendar.lead();
        let jan1 = (first + 365 - calendar.day_of_year(first)) % 365;
        let jan1 = if jan1 < first { jan1 + 365 } else { jan1 };
        let sim_weekday = calendar.weekday(jan1).index() as u32;
        let real = super::supply::new_year_weekday(year);
        if s.public_holidays && sim_weekday != real {
            let (real, sim) = (
                crate::engine::Weekday::from_index(real as usize),
                crate::engine::Weekday::from_index(sim_weekday as usize),
            );
            self.warn(
                "supply.year",
                [
                    format!(
                        "1 January {year} is a {} but the simulated calendar makes it a {}: holidays keep their dates and may fall on other weekdays",
                        real.key(),
                        sim.key()
                    ),
                    format!(
                        "1 januari {year} är en {} men den simulerade kalendern gör den till en {}: helgdagarna behåller sina datum och kan falla på andra veckodagar",
                        real.swedish(),
                        sim.swedish()
                    ),
                ],
                Some([
                    "choose a year whose calendar matches simulation.start_weekday and start_month (2024 for a Monday 1 January)",
                    "välj ett år vars kalender stämmer med simulation.start_weekday och start_month (2024 för en måndag 1 januari)",
                ]),
            );
        }
        super::supply::Supply {
            closed: if s.public_holidays {
                super::supply::closed_days(year, jan1, horizon_days)
            } else {
                Vec::new()
            },
            absence: s.absence,
            spell_days: s.spell_days.get(),
            on_absence: s.on_absence,
            summer_weeks: s.summer_weeks.get(),
            summer_start: s.summer_start.day_of_year(),
            summer_periods: s.summer_periods.get(),
        }
    }

    fn professions(&mut self, f: &ScenarioFile) -> Vec<Profession> {
        let mut all = builtin::professions();
        for (key, p) in &f.professions {
            for (label, value) in [("label_en", &p.label_en), ("label_sv", &p.label_sv)] {
                let at = format!("professions.{key}.{label}");
                self.non_empty(at, value.as_ref(), "the profession's key");
            }
            let merged = match all.get(key) {
                Some(base) => p.clone().over(base),
                None => p.clone(),
            };
            all.insert(key.clone(), merged);
        }
        if all.len() > MAX_PROFESSIONS {
            self.push(
                "professions",
                format!(
                    "expected at most {MAX_PROFESSIONS} professions, found {}",
                    all.len()
                ),
                Some("merge professions that do the same work in the model"),
            );
            self.beyond_limit = all.keys().skip(MAX_PROFESSIONS).cloned().collect();
        }
        all.into_iter()
            .take(MAX_PROFESSIONS)
            .map(|(key, p)| {
                let sick_leave_share = self.absence_shares(&key, &p);
                let cost = p
                    .cost_per_fte_year_sek
                    .unwrap_or(DEFAULT_COST_PER_FTE_YEAR_SEK)
                    .get();
                Profession {
                    label_en: p.label_en.unwrap_or_else(|| key.replace('_', " ")),
                    label_sv: p.label_sv.unwrap_or_else(|| key.replace('_', " ")),
                    licensed: p.licensed.unwrap_or_else(|| {
                        self.push(
                            format!("professions.{key}.licensed"),
                            "missing required key `licensed` for a new profession",
                            Some("add licensed = true (legitimerad) or licensed = false"),
                        );
                        false
                    }),
                    cost_per_fte_year_sek: cost,
                    sick_leave_share,
                    child_care_share: p.child_care_share.map_or(0.0, |x| x.get()),
                    planned_absence_share: p.planned_absence_share.map_or(0.0, |x| x.get()),
                    hired_cost_factor: p.hired_cost_factor.map_or(1.0, |x| x.get()),
                    key,
                }
            })
            .collect()
    }

    /// A profession's `sick_leave_share`, refusing absence shares that
    /// together pass all of the working time: each is a share of it, so
    /// their sum above 1 has no meaning (the model silently kept 95 % of
    /// the working time away, and the run went on with nobody at work).
    fn absence_shares(&mut self, key: &str, p: &super::file::ProfessionFile) -> f64 {
        let share = |x: Option<super::bounded::Share>| x.map_or(0.0, |x| x.get());
        let sick = share(p.sick_leave_share);
        let total = sick + share(p.child_care_share) + share(p.planned_absence_share);
        if total > 1.0 {
            self.push(
                format!("professions.{key}"),
                format!(
                    "expected sick_leave_share + child_care_share + planned_absence_share of at most 1 (all of the working time), found {}",
                    (total * 1000.0).round() / 1000.0
                ),
                Some("each is a share of the working time, e.g. sick_leave_share = 0.05"),
            );
        }
        sick
    }

    fn age_groups(&mut self, f: &ScenarioFile, categories: &[Category]) -> Vec<AgeGroup> {
        if f.age_groups.is_empty() {
            return vec![AgeGroup {
                key: "all".into(),
                share: 1.0,
                channel_weight: [1.0; Channel::COUNT],
                category_weight: vec![1.0; categories.len()],
                digital_excluded_share: 0.0,
            }];
        }
        let groups: Vec<AgeGroup> = f
            .age_groups
            .iter()
            .map(|(key, a)| {
                let at = format!("age_groups.{key}");
                let mut channel_weight = [1.0; Channel::COUNT];
                for (&ch, &w) in &a.channel_weight {
                    channel_weight[ch as usize] = w.get();
                }
                let mut category_weight = vec![1.0; categories.len()];
                for (c, w) in &a.category_weight {
                    let wat = format!("{at}.category_weight.{c}");
                    match categories.iter().position(|x| &x.key == c) {
                        Some(i) => category_weight[i] = w.get(),
                        None => self.push(
                            wat,
                            format!("unknown category {c:?}"),
                            Some(&format!(
                                "categories: {}",
                                categories
                                    .iter()
                                    .map(|c| c.key.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                        ),
                    }
                }
                AgeGroup {
                    key: key.clone(),
                    share: a.share.get(),
                    channel_weight,
                    category_weight,
                    digital_excluded_share: a.digital_excluded_share.get(),
                }
            })
            .collect();
        if groups.iter().map(|g| g.share).sum::<f64>() <= 0.0 {
            self.push(
                "age_groups",
                "expected at least one age group with a positive share",
                None,
            );
        }
        groups
    }

    fn profession_id(
        &mut self,
        professions: &[Profession],
        key: &str,
        at: &str,
    ) -> Option<ProfessionId> {
        let found = professions.iter().position(|p| p.key == key);
        if found.is_none() && !self.beyond_limit.iter().any(|k| k == key) {
            let known: Vec<&str> = professions.iter().map(|p| p.key.as_str()).collect();
            self.push(
                at,
                format!("unknown profession {key:?}"),
                Some(&format!(
                    "known professions: {}; add [professions.{key}] to define a new one",
                    known.join(", ")
                )),
            );
        }
        found.map(|i| ProfessionId(i as u8))
    }

    fn categories(&mut self, f: &ScenarioFile, professions: &[Profession]) -> Vec<Category> {
        f.categories
            .iter()
            .map(|(key, c)| {
                let at = format!("categories.{key}");
                let urgency = c.urgency;
                let mut assess = ProfessionSet::EMPTY;
                let mut service_minutes = vec![None; professions.len()];
                for (i, p) in c.assess.iter().enumerate() {
                    if let Some(id) = self.profession_id(professions, p, &format!("{at}.assess[{i}]")) {
                        assess.insert(id);
                        if !c.service_minutes.contains_key(p) {
                            self.push(
                                format!("{at}.service_minutes"),
                                format!("missing a service time for {p:?}, which may assess this category"),
                                Some(&format!("add {at}.service_minutes.{p} = {{ dist = \"lognormal\", mean = 20, sd = 8 }}")),
                            );
                        }
                    }
                }
                let mut treat = assess;
                if let Some(list) = &c.treat {
                    treat = ProfessionSet::EMPTY;
                    for (i, p) in list.get().iter().enumerate() {
                        if let Some(id) = self.profession_id(professions, p, &format!("{at}.treat[{i}]")) {
                            treat.insert(id);
                            if !c.service_minutes.contains_key(p) {
                                self.push(
                                    format!("{at}.service_minutes"),
                                    format!("missing a service time for {p:?}, which may treat this category"),
                                    Some(&format!("add {at}.service_minutes.{p} = {{ dist = \"lognormal\", mean = 20, sd = 8 }}")),
                                );
                            }
                        }
                    }
                }
                if c.assess.is_empty() {
                    self.push(
                        format!("{at}.assess"),
                        "expected at least one profession",
                        Some("e.g. assess = [\"nurse\", \"doctor\"]"),
                    );
                }
                for (p, spec) in &c.service_minutes {
                    let key = format!("{at}.service_minutes.{p}");
                    let id = self.profession_id(professions, p, &key);
                    match spec.validate(&key) {
                        Ok(d) => {
                            if let Some(id) = id {
                                service_minutes[id.index()] = Some(d);
                            }
                        }
                        Err(ps) => self.problems.extend(ps),
                    }
                }
                let self_care_resolves = c.self_care_resolves.get();
                let mut weights = [0.0; TriageOutcome::ROUTED.len()];
                for (&outcome, &w) in &c.after_triage {
                    if let Some(i) = TriageOutcome::ROUTED.iter().position(|&o| o == outcome) {
                        weights[i] = w.get();
                    }
                }
                let total = weights.iter().sum::<f64>();
                if total <= 0.0 {
                    self.push(format!("{at}.after_triage"), "expected at least one positive weight", Some("e.g. after_triage = { book = 0.9, emergency = 0.1 }"));
                } else if (total - 1.0).abs() > WEIGHTS_SUM_SLACK {
                    self.after_triage_not_whole(&format!("{at}.after_triage"), &c.after_triage, total);
                }
                let mut after_triage_cumulative = weights;
                for i in 1..after_triage_cumulative.len() {
                    after_triage_cumulative[i] += after_triage_cumulative[i - 1];
                }
                let follow_up_share = c.follow_up_share.get();
                let follow_up_days = c.follow_up_days.as_ref().and_then(|d| {
                    d.validate(&format!("{at}.follow_up_days"))
                        .map_err(|ps| self.problems.extend(ps))
                        .ok()
                });
                if follow_up_share > 0.0 && follow_up_days.is_none() {
                    self.push(
                        format!("{at}.follow_up_days"),
                        "missing: follow-ups need an interval",
                        Some("e.g. follow_up_days = { dist = \"uniform\", min = 14, max = 42 }"),
                    );
                }
                Category {
                    key: key.clone(),
                    share: c.share.get(),
                    urgency,
                    inside_guarantee: c.inside_guarantee,
                    assess,
                    treat,
                    service_minutes,
                    self_care_resolves,
                    after_triage_cumulative,
                    emergency_home_visit_share: c.emergency_home_visit_share.get(),
                    follow_up_share,
                    follow_up_days,
                    continuity_wait_days: c.continuity_wait_days.get(),
                    elsewhere_per_week: c.elsewhere_per_week.get(),
                }
            })
            .collect()
    }

    /// The index of unit `key` among `units` (the scenario's units, in key
    /// order); an unknown key is a problem at `at`.
    fn unit_index(
        &mut self,
        units: &BTreeMap<String, super::file::UnitFile>,
        key: &str,
        at: String,
    ) -> Option<usize> {
        let found = units.keys().position(|k| k == key);
        if found.is_none() {
            let known: Vec<&str> = units.keys().map(String::as_str).collect();
            self.push(
                at,
                format!("unknown unit {key:?}"),
                Some(&format!("known units: {}", known.join(", "))),
            );
        }
        found
    }

    /// The professions named in `list` at `at` (`None`: every profession;
    /// an empty list is refused while reading).
    fn profession_set(
        &mut self,
        professions: &[Profession],
        list: Option<&[String]>,
        at: &str,
    ) -> ProfessionSet {
        let Some(list) = list else {
            return ProfessionSet::ALL;
        };
        let mut set = ProfessionSet::EMPTY;
        for (i, p) in list.iter().enumerate() {
            if let Some(id) = self.profession_id(professions, p, &format!("{at}[{i}]")) {
                set.insert(id);
            }
        }
        set
    }

    /// A staff group's dated absences as members at work (its `count` less
    /// those away, at least 0), ranges apart.
    fn dated_counts(&mut self, at: &str, g: &super::file::StaffGroupFile) -> Vec<(u16, u16, u32)> {
        let ranges = g.dated.iter().map(|d| {
            let at_work = g.count.get().saturating_sub(d.away.get());
            (
                d.from.day_of_year(),
                d.to.day_of_year(),
                at_work,
                format!("{}–{}", d.from, d.to),
            )
        });
        self.ranges_apart(at, ranges, "give each day at most one dated absence")
    }

    /// A staff group's hired ranges, refusing overlaps: two ranges on one
    /// day could mean both counts at once or one replacing the other (the
    /// model took the larger, so a second hire in the same weeks added
    /// nobody without a word).
    fn hired_ranges(&mut self, at: &str, g: &super::file::StaffGroupFile) -> Vec<(u16, u16, u32)> {
        let ranges = g.hired.iter().map(|h| {
            (
                h.from.day_of_year(),
                h.to.day_of_year(),
                h.count.get(),
                format!("{}–{}", h.from, h.to),
            )
        });
        self.ranges_apart(
            at,
            ranges,
            "give each day one range, with the count hired on it (two hired at once: count = 2)",
        )
    }

    /// Date ranges of a year `(from, to, count, as written)` (one that
    /// ends before it starts runs over the new year), each refused at
    /// `at[i]` with `hint` where it overlaps an earlier one: `(from, to,
    /// count)` of those kept.
    fn ranges_apart(
        &mut self,
        at: &str,
        ranges: impl Iterator<Item = (u16, u16, u32, String)>,
        hint: &str,
    ) -> Vec<(u16, u16, u32)> {
        let mut taken = [false; 365];
        let mut out = Vec::new();
        for (i, (from, to, count, written)) in ranges.enumerate() {
            let days: Vec<u16> = if from <= to {
                (from..=to).collect()
            } else {
                (from..365).chain(0..=to).collect()
            };
            if days.iter().any(|&x| taken[x as usize]) {
                self.push(
                    format!("{at}[{i}]"),
                    format!("the dates {written} overlap an earlier range of this group"),
                    Some(hint),
                );
                continue;
            }
            for x in days {
                taken[x as usize] = true;
            }
            out.push((from, to, count));
        }
        out
    }

    fn unit(
        &mut self,
        key: &str,
        u: &super::file::UnitFile,
        professions: &[Profession],
        all: &BTreeMap<String, super::file::UnitFile>,
    ) -> Unit {
        let at = format!("units.{key}");
        self.non_empty(format!("{at}.name"), u.name.as_ref(), "the unit's key");
        let staff = u
            .staff
            .iter()
            .map(|(gkey, g)| {
                let gat = format!("{at}.staff.{gkey}");
                let prof_key = g.profession.clone().unwrap_or_else(|| gkey.clone());
                let profession = self
                    .profession_id(
                        professions,
                        &prof_key,
                        &if g.profession.is_some() {
                            format!("{gat}.profession")
                        } else {
                            gat.clone()
                        },
                    )
                    .unwrap_or(ProfessionId(0));
                // Each block parsed (and its problems reported) once.
                let blocks: Vec<Option<WeeklyBlock>> = g
                    .shifts
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.block(&format!("{gat}.shifts[{i}]"), &s.days, s.start, s.end))
                    .collect();
                let shifts = g
                    .shifts
                    .iter()
                    .zip(&blocks)
                    .filter_map(|(s, b)| Some(((*b)?, s.activity)))
                    .collect();
                self.overlaps(&gat, g, &blocks);
                if g.shifts.is_empty() && g.count.get() > 0 {
                    self.warn(
                        format!("{gat}.shifts"),
                        [
                            "the group has no shifts: its staff never work".into(),
                            "gruppen har inga pass: dess personal arbetar aldrig".into(),
                        ],
                        Some([
                            "add e.g. shifts = [{ days = \"mon-fri\", start = \"08:00\", end = \"17:00\", activity = \"visits\" }], or remove the group",
                            "lägg till t.ex. shifts = [{ days = \"mon-fri\", start = \"08:00\", end = \"17:00\", activity = \"visits\" }], eller ta bort gruppen",
                        ]),
                    );
                }
                let mut visit_slots = Vec::new();
                for (i, s) in g.shifts.iter().enumerate() {
                    let sat = format!("{gat}.shifts[{i}]");
                    if s.activity != Activity::Visits {
                        if s.slot_minutes.is_some() || s.slot_type.is_some() {
                            self.push(
                                format!("{sat}.slot_minutes"),
                                "slots belong to visits blocks only",
                                Some("remove slot_minutes/slot_type or set activity = \"visits\""),
                            );
                        }
                        continue;
                    }
                    let minutes = s.slot_minutes.unwrap_or(DEFAULT_SLOT_MINUTES).get();
                    let kind = s.slot_type.unwrap_or(DEFAULT_SLOT_TYPE);
                    if let Some(block) = blocks[i] {
                        let slot_s = (minutes * 60.0).round() as u32;
                        // Cut into whole slots, a block shorter than one
                        // gives no times at all: almost surely not meant.
                        if block.end_s - block.start_s < slot_s {
                            let long = (block.end_s - block.start_s) / 60;
                            self.warn(
                                format!("{sat}.slot_minutes"),
                                [
                                    format!(
                                        "the block is {long} minutes long, shorter than one {minutes}-minute slot: it gives no bookable times"
                                    ),
                                    format!(
                                        "blocket är {long} minuter långt, kortare än en tid på {minutes} minuter: det ger inga bokningsbara tider"
                                    ),
                                ],
                                Some([
                                    "lengthen the block or shorten slot_minutes",
                                    "förläng blocket eller korta slot_minutes",
                                ]),
                            );
                        }
                        visit_slots.push((block, slot_s, kind));
                    }
                }
                let dated = self.dated_counts(&format!("{at}.staff.{gkey}.dated"), g);
                if g.vacant.get() > g.count.get() {
                    self.push(
                        format!("{gat}.vacant"),
                        format!(
                            "expected at most count ({}) unfilled posts, found {}",
                            g.count.get(),
                            g.vacant.get()
                        ),
                        Some("count is the group's posts, vacant those of them unfilled"),
                    );
                }
                if g.summer_cover.is_some() && !g.cover {
                    self.push(
                        format!("{gat}.summer_cover"),
                        "summer_cover is the share of the leave a stand-in works, but the group has no stand-in",
                        Some("set cover = true, or remove summer_cover"),
                    );
                }
                let hired = self.hired_ranges(&format!("{gat}.hired"), g);
                StaffGroup {
                    key: gkey.clone(),
                    profession,
                    count: g.count.get(),
                    shifts,
                    visit_slots,
                    dated,
                    vacant: g.vacant.get(),
                    hired,
                    cover: g.cover,
                    summer_cover: g.summer_cover.map_or(1.0, |x| x.get()),
                }
            })
            .collect();
        let dropin = u.dropin.as_ref().map(|d| {
            let dat = format!("{at}.dropin");
            let hours = self.hours(&format!("{dat}.hours"), &d.hours);
            let at_closing = d.at_closing;
            if at_closing == AtClosing::CallBack
                && u.phone.as_ref().is_none_or(|ph| ph.mode != PhoneMode::Callback)
            {
                self.push(
                    format!("{dat}.at_closing"),
                    "call_back needs the unit's telephone line in call-back mode",
                    Some(&format!("add [{at}.phone] with mode = \"callback\", or use at_closing = \"book\"")),
                );
            }
            let mut optional_dist = |d: &Option<DistSpec>, name: &str| {
                d.as_ref().and_then(|d| {
                    d.validate(&format!("{dat}.{name}"))
                        .map_err(|ps| self.problems.extend(ps))
                        .ok()
                })
            };
            let registration_minutes = optional_dist(&d.registration_minutes, "registration_minutes");
            let triage_minutes = optional_dist(&d.triage_minutes, "triage_minutes");
            let dropin_professions =
                self.profession_set(professions, d.professions.as_ref().map(ProfessionKeys::get), &format!("{dat}.professions"));
            let triage_by =
                self.profession_set(professions, d.triage_by.as_ref().map(ProfessionKeys::get), &format!("{dat}.triage_by"));
            if d.triage_by.is_some() && d.triage_minutes.is_none() {
                self.push(
                    format!("{dat}.triage_by"),
                    "triage_by without triage_minutes: there is no fast triage step",
                    Some(&format!("add {dat}.triage_minutes = {{ dist = \"constant\", value = 3 }}")),
                );
            }
            let remote_doctor = d.remote_doctor.as_ref().and_then(|host| {
                let i = self.unit_index(all, host, format!("{dat}.remote_doctor"))?;
                if all[host].remote_doctor.is_none() {
                    self.push(
                        format!("{dat}.remote_doctor"),
                        format!("unit {host:?} hosts no remote doctor pool"),
                        Some(&format!("add [units.{host}.remote_doctor] with exam_minutes, and staff there with activity = \"remote\"")),
                    );
                    return None;
                }
                Some(i)
            });
            let patience_minutes = d.patience_minutes.as_ref().and_then(|p| {
                p.validate(&format!("{dat}.patience_minutes"))
                    .map_err(|ps| self.problems.extend(ps))
                    .ok()
            });
            let prefer_rank = Urgency::ALL.map(|level| {
                let at = format!("{dat}.prefer.{}", level.key());
                let given = d.prefer.as_ref().and_then(|m| m.get(&level));
                let listed: Vec<Option<ProfessionId>> = match given {
                    Some(keys) => keys
                        .get()
                        .iter()
                        .enumerate()
                        .map(|(i, k)| self.profession_id(professions, k, &format!("{at}[{i}]")))
                        .collect(),
                    // The default names professions a scenario may not use.
                    None => DEFAULT_DROPIN_PREFER[level.priority()]
                        .iter()
                        .map(|k| professions.iter().position(|p| p.key == *k).map(|i| ProfessionId(i as u8)))
                        .collect(),
                };
                let mut rank = vec![u8::MAX; professions.len()];
                for (r, id) in listed.into_iter().flatten().enumerate() {
                    if rank[id.index()] == u8::MAX {
                        rank[id.index()] = r as u8;
                    }
                }
                // Unlisted: after the listed ones, in the professions' order.
                let mut next = rank.iter().filter(|&&r| r != u8::MAX).count() as u8;
                for r in rank.iter_mut().filter(|r| **r == u8::MAX) {
                    *r = next;
                    next = next.saturating_add(1);
                }
                rank
            });
            DropInSpec {
                prefer_rank,
                hours,
                at_closing,
                balk_at_queue_length: d.balk_at_queue_length.map(|q| q.get()),
                patience_minutes,
                professions: dropin_professions,
                registration_minutes,
                triage_minutes,
                triage_by,
                remote_doctor,
            }
        });
        let phone = u.phone.as_ref().map(|ph| {
            let pat = format!("{at}.phone");
            let hours = self.hours(&format!("{pat}.hours"), &ph.hours);
            let hold_queue = ph.mode == PhoneMode::HoldQueue;
            let patience_minutes = ph.patience_minutes.as_ref().and_then(|d| {
                d.validate(&format!("{pat}.patience_minutes"))
                    .map_err(|ps| self.problems.extend(ps))
                    .ok()
            });
            let triage_minutes = ph
                .triage_minutes
                .validate(&format!("{pat}.triage_minutes"))
                .unwrap_or_else(|ps| {
                    self.problems.extend(ps);
                    Distribution::Constant { value: 0.0 }
                });
            PhoneSpec {
                hours,
                hold_queue,
                patience_minutes,
                callback_slot_s: (ph.callback_slot_minutes.get() * 60.0).round() as u64,
                triage_minutes,
            }
        });
        let eservice_answer_minutes = u.eservice.as_ref().and_then(|e| {
            match (&e.answer_minutes, &e.answered_by) {
                (Some(d), _) => d
                    .validate(&format!("{at}.eservice.answer_minutes"))
                    .map_err(|ps| self.problems.extend(ps))
                    .ok(),
                (None, Some(_)) => None,
                (None, None) => {
                    self.push(
                        format!("{at}.eservice.answer_minutes"),
                        "missing: how long one answer takes",
                        Some(&format!("add {at}.eservice.answer_minutes = {{ dist = \"lognormal\", mean = 5, sd = 2 }}, or answered_by = \"<unit>\" for a shared provider")),
                    );
                    None
                }
            }
        });
        // Shared regional services: another unit answers the calls or requests.
        let this = key;
        let mut host = |what: &str,
                        target: Option<&String>,
                        needs: fn(&super::file::UnitFile) -> bool| {
            let target = target?;
            let i = self.unit_index(all, target, format!("{at}.{what}.answered_by"))?;
            if !needs(&all[target]) || target == this {
                self.push(
                    format!("{at}.{what}.answered_by"),
                    format!("unit {target:?} cannot answer: it needs its own [{what}] (not answered elsewhere) and must be another unit"),
                    None,
                );
                return None;
            }
            Some(i)
        };
        let phone_host = host(
            "phone",
            u.phone.as_ref().and_then(|p| p.answered_by.as_ref()),
            |h| h.phone.as_ref().is_some_and(|p| p.answered_by.is_none()),
        );
        let eservice_host = host(
            "eservice",
            u.eservice.as_ref().and_then(|e| e.answered_by.as_ref()),
            |h| {
                h.eservice
                    .as_ref()
                    .is_some_and(|e| e.answer_minutes.is_some() && e.answered_by.is_none())
            },
        );
        let remote_pool = u.remote_doctor.as_ref().and_then(|r| {
            let on_duty = u
                .staff
                .values()
                .any(|g| g.count.get() > 0 && g.shifts.iter().any(|s| s.activity == Activity::Remote));
            if !on_duty {
                self.push(
                    format!("{at}.remote_doctor"),
                    "nobody is on remote duty: no staff group here has a shift with activity = \"remote\"",
                    Some(&format!("add e.g. [{at}.staff.remote_doctor] profession = \"doctor\", count = 1, shifts = [{{ days = \"mon-fri\", start = \"08:00\", end = \"17:00\", activity = \"remote\" }}]")),
                );
            }
            r.exam_minutes
                .validate(&format!("{at}.remote_doctor.exam_minutes"))
                .map_err(|ps| self.problems.extend(ps))
                .ok()
                .map(|exam_minutes| RemotePoolSpec { exam_minutes })
        });
        let arrivals = self.demand(&at, u);
        Unit {
            remote_pool,
            phone_host,
            eservice_host,
            key: key.to_string(),
            name: u.name.clone().unwrap_or_else(|| key.to_string()),
            staff,
            listed: u.listed.map_or(0, |l| l.get()),
            dropin,
            phone,
            eservice_answer_minutes,
            booking: self.booking(&format!("{at}.booking"), &u.booking),
            day_cv: u.demand.day_cv.get(),
            arrivals,
            planned: Vec::new(),
            continuity: self.continuity(&at, u, professions),
            distance: None,
        }
    }

    /// `[units.<key>.continuity]`: named clinicians need listed patients.
    fn continuity(
        &mut self,
        at: &str,
        u: &super::file::UnitFile,
        professions: &[Profession],
    ) -> Option<ContinuitySpec> {
        let c = u.continuity.as_ref()?;
        let cat = format!("{at}.continuity");
        let named_contact = self.profession_id(
            professions,
            &c.named_contact_profession,
            &format!("{cat}.named_contact_profession"),
        );
        let named = c.named_doctor_share.get() + c.named_contact_share.get() > 0.0;
        if named && u.listed.is_none_or(|l| l.get() == 0) {
            // Said as what is there: a `listed = 0` is not missing.
            let (message, hint) = match u.listed {
                None => (
                    "missing: named clinicians are shared among the listed patients".to_string(),
                    format!("add {at}.listed = 9000"),
                ),
                Some(_) => (
                    "expected at least 1 listed patient with continuity (named clinicians are shared among the listed patients), found 0".to_string(),
                    format!("set {at}.listed to the unit's listed patients, or set the continuity shares to 0"),
                ),
            };
            self.push(format!("{at}.listed"), message, Some(&hint));
        }
        Some(ContinuitySpec {
            named_doctor_share: c.named_doctor_share.get(),
            named_contact_share: c.named_contact_share.get(),
            named_contact: named_contact?,
        })
    }

    /// Every unit's `distance_bands`: checked, named `<lower>-<upper>`, and
    /// gathered into the scenario's bands (nearest first) that the units'
    /// bands index.
    fn distance_bands(&mut self, f: &ScenarioFile, units: &mut [Unit]) -> Vec<DistanceBand> {
        let mut all: Vec<DistanceBand> = Vec::new();
        for (unit, (key, u)) in units.iter_mut().zip(&f.units) {
            let Some(d) = &u.distance_bands else { continue };
            let at = format!("units.{key}.distance_bands");
            let n = d.upper_km.len();
            if n == 0 {
                self.push(
                    format!("{at}.upper_km"),
                    "expected at least one band",
                    Some("e.g. upper_km = [10, 30, 80], shares = [0.5, 0.3, 0.2]"),
                );
                continue;
            }
            let mut ok = true;
            if d.upper_km.windows(2).any(|w| w[1].get() <= w[0].get()) {
                self.push(
                    format!("{at}.upper_km"),
                    "expected increasing upper bounds",
                    Some("each band starts where the one before ends: upper_km = [10, 30, 80]"),
                );
                ok = false;
            }
            if d.shares.len() != n {
                self.push(
                    format!("{at}.shares"),
                    format!(
                        "expected {n} shares, one per band of upper_km, found {}",
                        d.shares.len()
                    ),
                    None,
                );
                ok = false;
            } else if d.shares.iter().map(|w| w.get()).sum::<f64>() <= 0.0 {
                self.push(
                    format!("{at}.shares"),
                    "expected at least one band with a positive share",
                    None,
                );
                ok = false;
            }
            if !d.walk_in_to_phone.is_empty() && d.walk_in_to_phone.len() != n {
                self.push(
                    format!("{at}.walk_in_to_phone"),
                    format!(
                        "expected {n} shares, one per band of upper_km, found {}",
                        d.walk_in_to_phone.len()
                    ),
                    Some("leave it out for no change of behaviour"),
                );
                ok = false;
            }
            let moves = d.walk_in_to_phone.iter().any(|s| s.get() > 0.0);
            if moves && unit.phone.is_none() && unit.phone_host.is_none() {
                self.push(
                    format!("{at}.walk_in_to_phone"),
                    "walk-ins who telephone instead need the unit's telephone line",
                    Some(&format!(
                        "add [units.{key}.phone], or leave walk_in_to_phone out"
                    )),
                );
                ok = false;
            }
            if !ok {
                continue;
            }
            let mut bands = Vec::with_capacity(n);
            let mut lower = 0.0;
            for upper in d.upper_km.iter().map(|b| b.get()) {
                let key = format!("{lower}-{upper}");
                let i = all.iter().position(|b| b.key == key).unwrap_or_else(|| {
                    all.push(DistanceBand {
                        key,
                        lower_km: lower,
                        upper_km: upper,
                    });
                    all.len() - 1
                });
                bands.push(i);
                lower = upper;
            }
            let mut acc = 0.0;
            unit.distance = Some(UnitDistance {
                bands: bands.iter().map(|&i| i as u8).collect(),
                cumulative: d
                    .shares
                    .iter()
                    .map(|w| {
                        acc += w.get();
                        acc
                    })
                    .collect(),
                walk_in_to_phone: if d.walk_in_to_phone.is_empty() {
                    vec![0.0; n]
                } else {
                    d.walk_in_to_phone.iter().map(|s| s.get()).collect()
                },
            });
        }
        if all.len() > u8::MAX as usize {
            self.push(
                "units",
                format!(
                    "expected at most 255 distinct distance bands over all units, found {}",
                    all.len()
                ),
                Some("give rural units the same upper_km"),
            );
            all.truncate(u8::MAX as usize);
        }
        // Nearest first; the units' indexes follow the new order.
        let mut order: Vec<usize> = (0..all.len()).collect();
        order.sort_by(|&a, &b| {
            (all[a].lower_km, all[a].upper_km)
                .partial_cmp(&(all[b].lower_km, all[b].upper_km))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut rank = vec![0u8; all.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r as u8;
        }
        for unit in units.iter_mut() {
            if let Some(d) = &mut unit.distance {
                for b in &mut d.bands {
                    *b = rank.get(*b as usize).copied().unwrap_or(0);
                }
            }
        }
        order.into_iter().map(|i| all[i].clone()).collect()
    }

    /// `[units.<key>.planned.<p>]`: visits the unit books itself.
    fn planned(
        &mut self,
        key: &str,
        u: &super::file::UnitFile,
        professions: &[Profession],
        categories: &[Category],
    ) -> Vec<PlannedSpec> {
        let mut out = Vec::new();
        for (pkey, p) in &u.planned {
            let at = format!("units.{key}.planned.{pkey}");
            let rate = p.visits_per_listed_year.get();
            if rate > 0.0 && u.listed.is_none_or(|l| l.get() == 0) {
                self.push(
                    format!("{at}.visits_per_listed_year"),
                    "planned visits per listed inhabitant need the unit's listed inhabitants",
                    Some(&if u.listed.is_none() {
                        format!("add units.{key}.listed = 9000")
                    } else {
                        format!("units.{key}.listed is 0: set it to the unit's listed patients, or this rate to 0")
                    }),
                );
            }
            let category = categories.iter().position(|c| c.key == p.category);
            if category.is_none() {
                self.push(
                    format!("{at}.category"),
                    format!("unknown category {:?}", p.category),
                    Some(&format!(
                        "categories: {}",
                        categories
                            .iter()
                            .map(|c| c.key.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
            }
            let profession =
                self.profession_id(professions, &p.profession, &format!("{at}.profession"));
            if let (Some(c), Some(pr)) = (category, profession)
                && categories[c].service(pr).is_none()
            {
                self.push(
                    format!("{at}.profession"),
                    format!(
                        "category {:?} has no service time for {:?}",
                        p.category, p.profession
                    ),
                    Some(&format!(
                        "add categories.{}.service_minutes.{} = {{ dist = \"lognormal\", mean = 20, sd = 8 }}",
                        p.category, p.profession
                    )),
                );
            }
            let lead_days = p
                .lead_days
                .validate(&format!("{at}.lead_days"))
                .map_err(|ps| self.problems.extend(ps))
                .ok();
            if let (Some(c), Some(pr), Some(lead_days)) = (category, profession, lead_days) {
                out.push(PlannedSpec {
                    key: pkey.clone(),
                    category: CategoryId(c as u16),
                    profession: pr,
                    per_year: rate * u.listed.map_or(0, |l| l.get()) as f64,
                    lead_days,
                });
            }
        }
        out
    }

    fn booking(&mut self, at: &str, b: &super::file::BookingFile) -> BookingSpec {
        let book_late = b.when_full == WhenFull::BookLate;
        BookingSpec {
            profession_neutral: b.profession_neutral,
            book_late,
            rules: ReleaseRules {
                acute_days: 0,
                short_notice_days: b.short_notice_days.get(),
                regular_days: b.booking_horizon_days.get(),
                web_days: b.web_horizon_days.get(),
                follow_up_days: b.booking_horizon_days.get().max(90),
            },
            no_show: b.no_show.get(),
            rebook_after_no_show: b.rebook_after_no_show.get(),
            cancellation: b.cancellation.get(),
            web_prefer_doctor: b.web_prefer_doctor.get(),
            patient_chosen_share: b.patient_chosen_share.get(),
            patient_chosen_days: b
                .patient_chosen_days
                .validate(&format!("{at}.patient_chosen_days"))
                .map_err(|ps| self.problems.extend(ps))
                .unwrap_or(Distribution::Constant { value: 7.0 }),
            release_web_on_day: b.release_web_on_day,
            web_return_days: b.web_return_days.get(),
        }
    }

    fn hours(&mut self, at: &str, hours: &[HoursFile]) -> Vec<WeeklyBlock> {
        hours
            .iter()
            .enumerate()
            .filter_map(|(i, h)| self.block(&format!("{at}[{i}]"), &h.days, h.start, h.end))
            .collect()
    }

    /// A block whose end comes after its start (each key's form was
    /// checked while reading).
    fn block(&mut self, at: &str, days: &Days, start: Clock, end: Clock) -> Option<WeeklyBlock> {
        if end <= start {
            self.push(
                format!("{at}.end"),
                format!("expected an end after the start ({start}), found {end}"),
                Some("a block ends the same day it starts; split a night shift into 22:00–24:00 and 00:00–06:00"),
            );
            return None;
        }
        Some(WeeklyBlock {
            days: days.mask(),
            start_s: start.seconds(),
            end_s: end.seconds(),
        })
    }

    fn demand(&mut self, at: &str, u: &super::file::UnitFile) -> Vec<ArrivalSpec> {
        let d = &u.demand;
        let (has_dropin, has_phone, has_eservice) =
            (u.dropin.is_some(), u.phone.is_some(), u.eservice.is_some());
        let dat = format!("{at}.demand");
        let per_year_total = match (d.contacts_per_listed_year, u.listed) {
            (Some(c), Some(l)) => Some(c.get() * l.get() as f64),
            (Some(_), None) => {
                self.push(
                    format!("{at}.listed"),
                    "missing: contacts_per_listed_year needs the number of listed inhabitants",
                    Some(&format!("add {at}.listed = 9000")),
                );
                None
            }
            _ => None,
        };
        let channels = [
            (Channel::Phone, &d.phone),
            (Channel::EService, &d.eservice),
            (Channel::WebBooking, &d.web_booking),
            (Channel::WalkIn, &d.walk_in),
        ];
        let unit_weekday = profile(&d.weekday_profile);
        let unit_hour = profile(&d.hour_profile);
        let unit_month = profile(&d.month_profile);
        let mut out = Vec::new();
        for (channel, file) in channels {
            let Some(a) = file else { continue };
            let cat = format!("{dat}.{}", channel.key());
            if channel == Channel::WalkIn && !has_dropin {
                self.push(
                    &cat,
                    "walk-in demand needs a drop-in desk",
                    Some(&format!("add [{at}.dropin] with hours = [{{ days = \"mon-fri\", start = \"08:00\", end = \"17:00\" }}]")),
                );
            }
            if channel == Channel::WalkIn && u.dropin.as_ref().is_some_and(|x| x.hours.is_empty()) {
                self.warn(
                    format!("{at}.dropin.hours"),
                    [
                        "the drop-in has no opening hours: its walk-in demand never arrives (the unit gets fewer patients, not the same patients elsewhere)".into(),
                        "drop-in-mottagningen har inga öppettider: dess drop-in-patienter kommer aldrig (enheten får färre patienter, inte samma patienter någon annanstans)".into(),
                    ],
                    Some([
                        "give the drop-in hours, or move the walk-in demand to another channel",
                        "ge drop-in-mottagningen öppettider, eller flytta drop-in-efterfrågan till en annan kanal",
                    ]),
                );
            }
            if channel == Channel::Phone && !has_phone {
                self.push(
                    &cat,
                    "telephone demand needs a telephone line",
                    Some(&format!("add [{at}.phone] with hours = [{{ days = \"mon-fri\", start = \"08:00\", end = \"16:00\" }}]")),
                );
            }
            if channel == Channel::EService && !has_eservice {
                self.push(
                    &cat,
                    "e-service demand needs an e-service inbox",
                    Some(&format!("add [{at}.eservice] with answer_minutes = {{ dist = \"lognormal\", mean = 5, sd = 3 }}")),
                );
            }

            let rate = match (a.per_hour, a.share) {
                (None, None) if a.weekly_times.is_some() => {
                    let mut times: Vec<u64> = a
                        .weekly_times
                        .iter()
                        .flatten()
                        .map(|t| t.seconds())
                        .collect();
                    times.sort_unstable();
                    Rate::Weekly(times)
                }
                (Some(r), None) => Rate::PerHour(r.get()),
                (None, Some(share)) => {
                    let share = share.get();
                    if per_year_total.is_none() && d.contacts_per_listed_year.is_none() {
                        self.push(
                            format!("{cat}.share"),
                            "a share needs the unit's total demand",
                            Some(&format!("add {dat}.contacts_per_listed_year = 3.0 and {at}.listed = 9000, or give per_hour")),
                        );
                    }
                    Rate::PerYear(per_year_total.unwrap_or(0.0) * share)
                }
                _ => {
                    self.push(
                        &cat,
                        "expected exactly one of per_hour, share or weekly_times",
                        Some("per_hour = 2.4 (patients per open hour), share = 0.1 (of contacts_per_listed_year × listed), or weekly_times = [\"mon 08:00\"]"),
                    );
                    Rate::PerHour(0.0)
                }
            };
            // A channel's own profile, else the unit's.
            let weekday = a.weekday_profile.map_or(unit_weekday, |p| p.get());
            let hour = a.hour_profile.map_or(unit_hour, |p| p.get());
            let month = a.month_profile.map_or(unit_month, |p| p.get());
            out.push(ArrivalSpec {
                channel,
                rate,
                weekday,
                hour,
                month,
            });
        }
        // Demand tables that can bring nobody (a rate, a share or a whole
        // profile of zeros) leave every guarantee rule without a value:
        // more likely a slip than a unit meant to get no patients.
        if !out.is_empty() && !out.iter().any(ArrivalSpec::brings_patients) {
            self.warn(
                dat.clone(),
                [
                    "no new contacts can arrive: every channel's rate, or its weekday, hour or month profile, is zero; the guarantee rules will have no value for this unit".into(),
                    "inga nya kontakter kan komma: varje kanals takt, eller dess veckodags-, tim- eller månadsprofil, är noll; vårdgarantins mått får inget värde för enheten".into(),
                ],
                Some([
                    "give a channel a positive per_hour or share (and contacts_per_listed_year), or profiles with some weight above 0",
                    "ge en kanal en positiv per_hour eller share (och contacts_per_listed_year), eller profiler med någon vikt över 0",
                ]),
            );
        }
        out
    }

    fn rules(&mut self, f: &ScenarioFile, professions: &[Profession]) -> Vec<GuaranteeRule> {
        let mut all: BTreeMap<String, super::file::RuleFile> = builtin::rules();
        for (key, r) in &f.guarantee {
            for (label, value) in [("label_en", &r.label_en), ("label_sv", &r.label_sv)] {
                let at = format!("guarantee.{key}.{label}");
                self.non_empty(at, value.as_ref(), "the rule's key");
            }
            let merged = match all.get(key) {
                Some(base) => r.clone().over(base),
                None => r.clone(),
            };
            all.insert(key.clone(), merged);
        }
        let enabled = all
            .values()
            .filter(|r| r.enabled.unwrap_or(DEFAULT_RULE_ENABLED))
            .count();
        if enabled > MAX_RULES {
            self.push(
                "guarantee",
                format!("expected at most {MAX_RULES} enabled guarantee rules, found {enabled}"),
                Some("turn rules you do not report off with enabled = false"),
            );
        }
        all.into_iter()
            .filter(|(_, r)| r.enabled.unwrap_or(DEFAULT_RULE_ENABLED))
            .take(MAX_RULES)
            .map(|(key, r)| {
                let at = format!("guarantee.{key}");
                let mut required = |name: &str, present: bool| {
                    if !present {
                        self.push(
                            format!("{at}.{name}"),
                            format!("missing required key `{name}` for a new rule"),
                            Some("a rule needs deadline_days, contact_kinds and professions"),
                        );
                    }
                };
                required("deadline_days", r.deadline_days.is_some());
                required("contact_kinds", r.contact_kinds.is_some());
                required("professions", r.professions.is_some());
                let count_days = r.count_days.unwrap_or(DEFAULT_COUNT_DAYS);
                let mut kinds = ContactKindSet(0);
                for k in r.contact_kinds.iter().flatten() {
                    match k {
                        KindChoice::Any => kinds = ContactKindSet::ALL,
                        KindChoice::Kind(kind) => kinds.0 |= kind.bit(),
                    }
                }
                let mut set = ProfessionSet::EMPTY;
                for (i, p) in r.professions.iter().flatten().enumerate() {
                    match p.as_str() {
                        "any" => set = ProfessionSet::ALL,
                        "licensed" => {
                            for (j, prof) in professions.iter().enumerate() {
                                if prof.licensed {
                                    set.insert(ProfessionId(j as u8));
                                }
                            }
                        }
                        other => {
                            if let Some(id) = self.profession_id(
                                professions,
                                other,
                                &format!("{at}.professions[{i}]"),
                            ) {
                                set.insert(id);
                            }
                        }
                    }
                }
                let mut channels = [r.channels.is_none(); Channel::COUNT];
                for &ch in r.channels.iter().flatten() {
                    channels[ch as usize] = true;
                }
                let guarantee_only =
                    r.applies_to.unwrap_or(DEFAULT_APPLIES_TO) == AppliesTo::Guarantee;
                GuaranteeRule {
                    label_en: r.label_en.unwrap_or_else(|| key.replace('_', " ")),
                    label_sv: r.label_sv.unwrap_or_else(|| key.replace('_', " ")),
                    key,
                    deadline_days: r.deadline_days.map_or(0, |d| d.get()),
                    count_days,
                    kinds,
                    professions: set,
                    guarantee_only,
                    channels,
                    only_needing_assessment: r
                        .only_needing_assessment
                        .unwrap_or(DEFAULT_ONLY_NEEDING_ASSESSMENT),
                    exclude_patient_chosen: r
                        .exclude_patient_chosen
                        .unwrap_or(DEFAULT_EXCLUDE_PATIENT_CHOSEN),
                }
            })
            .collect()
    }
}

impl Validator {
    fn mobile_teams(
        &mut self,
        f: &ScenarioFile,
        professions: &[Profession],
        categories: &[Category],
    ) -> Vec<MobileTeam> {
        let unit_id = |v: &mut Self, key: &str, at: String| -> Option<UnitId> {
            v.unit_index(&f.units, key, at).map(|i| UnitId(i as u16))
        };
        let mut teams = Vec::new();
        for (key, t) in &f.mobile_teams {
            let at = format!("mobile_teams.{key}");
            self.non_empty(format!("{at}.name"), t.name.as_ref(), "the team's key");
            let base = unit_id(self, &t.base, format!("{at}.base")).unwrap_or(UnitId(0));
            let serves = match &t.serves {
                None => vec![base],
                Some(list) => list
                    .iter()
                    .enumerate()
                    .filter_map(|(i, u)| unit_id(self, u, format!("{at}.serves[{i}]")))
                    .collect(),
            };
            let mut crew = Vec::new();
            for (p, n) in &t.crew {
                if let Some(id) = self.profession_id(professions, p, &format!("{at}.crew.{p}")) {
                    crew.push((id, n.get()));
                }
            }
            if t.crew.values().all(|n| n.get() == 0) {
                self.push(
                    format!("{at}.crew"),
                    "expected at least one crew member",
                    Some("e.g. crew = { doctor = 1, district_nurse = 1 }"),
                );
            }
            let doctor = professions.iter().position(|p| p.key == "doctor");
            let lead = crew
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(p, _)| *p)
                .max_by(|a, b| {
                    let rank = |p: ProfessionId| {
                        let prof = &professions[p.index()];
                        (
                            Some(p.index()) == doctor,
                            prof.licensed,
                            prof.cost_per_fte_year_sek,
                        )
                    };
                    rank(*a)
                        .partial_cmp(&rank(*b))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .unwrap_or(ProfessionId(0));
            let shifts = self.hours(&format!("{at}.shifts"), &t.shifts);
            if t.shifts.is_empty() {
                self.push(
                    format!("{at}.shifts"),
                    "expected at least one duty block",
                    Some("e.g. shifts = [{ days = \"mon-fri\", start = \"08:00\", end = \"16:30\" }]"),
                );
            }
            let visit_minutes = t
                .visit_minutes
                .validate(&format!("{at}.visit_minutes"))
                .unwrap_or_else(|ps| {
                    self.problems.extend(ps);
                    Distribution::Constant { value: 0.0 }
                });
            let tr = &t.travel;
            let tat = format!("{at}.travel");
            let distance_km = tr.distance_km.as_ref().and_then(|d| {
                d.validate(&format!("{tat}.distance_km"))
                    .map_err(|ps| self.problems.extend(ps))
                    .ok()
            });
            if tr.distance_km.is_some() == tr.places.is_some() {
                self.push(
                    &tat,
                    "expected exactly one of distance_km or places",
                    Some("distance_km = { dist = \"gamma\", mean = 12, sd = 8 }, or places = [{ name = \"Hammarstrand\", x_km = 40, y_km = -12 }]"),
                );
            }
            let mut places = Vec::new();
            let mut place_cumulative = Vec::new();
            for (i, p) in tr.places.iter().flatten().enumerate() {
                let at = format!("{tat}.places[{i}].name");
                self.non_empty(at, p.name.as_ref(), "\"place N\"");
                let w = p.weight.get();
                place_cumulative.push(place_cumulative.last().copied().unwrap_or(0.0) + w);
                places.push(Place {
                    name: p.name.clone().unwrap_or_else(|| format!("place {i}")),
                    x_km: p.x_km.get(),
                    y_km: p.y_km.get(),
                });
            }
            if tr.places.is_some() && place_cumulative.last().copied().unwrap_or(0.0) <= 0.0 {
                self.push(
                    format!("{tat}.places"),
                    "expected at least one place with a positive weight",
                    None,
                );
            }
            let mut winter_months = [false; 12];
            for m in &tr.winter_months {
                winter_months[m.get() as usize - 1] = true;
            }
            let home_care = t.home_care_requests_per_day.get();
            let planned = t.planned_visits_per_week.get();
            let category = match &t.category {
                Some(c) => {
                    let found = categories.iter().position(|x| &x.key == c);
                    if found.is_none() {
                        self.push(
                            format!("{at}.category"),
                            format!("unknown category {c:?}"),
                            Some(&format!(
                                "categories: {}",
                                categories
                                    .iter()
                                    .map(|c| c.key.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                        );
                    }
                    found.map(|i| CategoryId(i as u16))
                }
                None => {
                    if home_care > 0.0 || planned > 0.0 {
                        self.push(
                            format!("{at}.category"),
                            "missing: home-care and planned requests need a case-mix category",
                            Some("e.g. category = \"frail_elderly\""),
                        );
                    }
                    None
                }
            };
            teams.push(MobileTeam {
                key: key.clone(),
                name: t.name.clone().unwrap_or_else(|| key.clone()),
                base,
                serves,
                crews: t.crews.get(),
                crew,
                lead,
                shifts,
                visit_minutes,
                travel: Travel {
                    distance_km,
                    places,
                    place_cumulative,
                    speed_kmh: tr.speed_kmh.get(),
                    winding: tr.winding.get(),
                    winter_slowdown: tr.winter_slowdown.get(),
                    winter_months,
                },
                home_care_requests_per_day: home_care,
                planned_visits_per_week: planned,
                category,
            });
        }
        teams
    }
}

/// A profile's multipliers, or all 1.
fn profile<const N: usize>(p: &Option<Profile<N>>) -> [f64; N] {
    p.map_or([1.0; N], |p| p.get())
}
