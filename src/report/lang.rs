//! Report language (`--lang sv|en`): every label, title, header and
//! sentence of charts and reports in English and Swedish, and number format.
//!
//! Swedish follows the domain's terms (`docs` glossary): "Kontakt samma dag",
//! "Medicinsk bedömning inom 3 dagar", "Läkare", … Numbers: Swedish uses a
//! decimal comma and a no-break space as thousands separator (`132 839`,
//! `87,4 %`); English a decimal point and a comma (`132,839`, `87.4 %`).
//! Both put a space before `%` (as the terminal table does). A key without a
//! label (a metric added later, a scenario's own category) falls back to the
//! key itself.

use std::fmt;

/// Language of a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (default).
    #[default]
    En,
    /// Swedish.
    Sv,
}

/// A no-break space: thousands separator and before `%`, so that a number
/// never wraps across lines.
pub const NBSP: char = '\u{a0}';

/// `x` as the English terminal tables write a number: with thousands
/// separators as [`Lang::number`] writes them (`45,123`, so that a
/// count reads as the Swedish table's `45 123`), and an ASCII minus, as
/// typed on a command line. CSV and JSON keep every number raw.
pub fn terminal_number(x: f64, decimals: usize) -> String {
    Lang::En.number(x, decimals).replace('−', "-")
}

/// Decimals of a value in `unit` wherever it is written for people (the
/// terminal tables in both languages, reports, chart labels): shares as
/// percentages with one, minutes and days one, hours two, counts none when
/// whole (`whole_counts`, decided per row) and two otherwise, so that a
/// mean queue of 0.02 never shows as 0.0; kronor none.
pub fn decimals(unit: &str, whole_counts: bool) -> usize {
    match unit {
        "share" | "minutes" | "days" => 1,
        "count" if whole_counts => 0,
        "sek" => 0,
        _ => 2,
    }
}

impl Lang {
    /// `en` or `sv`.
    pub const fn key(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }

    /// Picks the English or the Swedish text.
    pub const fn pick<'a>(self, en: &'a str, sv: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Sv => sv,
        }
    }

    /// `x` with `decimals` decimals and thousands separators; `–` when undefined.
    pub fn number(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let text = format!("{:.*}", decimals, x.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let (thousands, decimal) = match self {
            Lang::En => (',', '.'),
            Lang::Sv => (NBSP, ','),
        };
        let mut out = String::new();
        // "-0.0" is zero: no sign when the rounded value is zero.
        if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('−');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(thousands);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(decimal);
            out.push_str(frac);
        }
        out
    }

    /// A share 0–1 as a percentage, e.g. `87,4 %`.
    pub fn percent(self, share: f64, decimals: usize) -> String {
        if !share.is_finite() {
            return "–".into();
        }
        format!("{}{NBSP}%", self.number(share * 100.0, decimals))
    }

    /// A value in its unit (`share`, `minutes`, `hours`, `days`, `count`, `sek`) as
    /// shown in report tables.
    pub fn value(self, x: f64, unit: &str) -> String {
        self.value_as(x, unit, x.fract() == 0.0)
    }

    /// [`Self::value`] with counts written whole (`whole_counts`) or with a
    /// decimal, as the row they stand in decided: a row never mixes `135`
    /// and `135,8`.
    pub fn value_as(self, x: f64, unit: &str, whole_counts: bool) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let d = decimals(unit, whole_counts);
        match unit {
            "share" => self.percent(x, d),
            _ => self.number(x, d),
        }
    }

    /// The unit as written after a number or in an axis label.
    pub fn unit(self, unit: &str) -> &'static str {
        match unit {
            "share" => "%",
            "minutes" => "min",
            "hours" => "h",
            "days" => self.pick("days", "dagar"),
            "sek" => self.pick("SEK", "kr"),
            _ => "",
        }
    }

    /// A number as an option takes it (all its digits, no thousands
    /// separator), with this language's decimal mark: `0.01` / `0,01`.
    /// The command line reads either back (`--precision 0,01`).
    pub fn decimal(self, x: f64) -> String {
        match self {
            Lang::En => x.to_string(),
            Lang::Sv => x.to_string().replace('.', ","),
        }
    }

    /// A swept value as people read it: a number in this language's
    /// decimals (`0,05`), a TOML string without its quotes (`see_all`), a
    /// boolean as a word of the language (`ja`).
    pub fn grid_value(self, value: &str) -> String {
        let v = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        match (self, v) {
            (Lang::Sv, "true") => "ja".into(),
            (Lang::Sv, "false") => "nej".into(),
            (Lang::Sv, _) if v.parse::<f64>().is_ok() => v.replace('.', ","),
            _ => v.to_string(),
        }
    }

    /// A label with its unit after it, `Väntetid … (min)`; shares (their
    /// values say `%`) and counts as they are.
    pub fn with_unit(self, label: String, unit: &str) -> String {
        match self.unit(unit) {
            "" | "%" => label,
            u => format!("{label} ({u})"),
        }
    }

    /// A fixed text of the report by key; the key itself if unknown.
    pub fn text(self, key: &str) -> String {
        TEXTS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or(key, |&(_, en, sv)| self.pick(en, sv))
            .to_string()
    }

    /// A metric's label (guarantee rules, counts, waits, utilisation by
    /// profession, drop-in thresholds); the key if unknown.
    pub fn metric(self, key: &str) -> String {
        // A working method's own metrics carry their labels (`model::flows`).
        if let Some(d) = crate::metrics::metric_def(key) {
            return self.pick(d.en, d.sv).to_string();
        }
        if let Some(&(_, en, sv)) = METRICS.iter().find(|(k, _, _)| *k == key) {
            return self.pick(en, sv).to_string();
        }
        // A guarantee rule under the legal definition, and its misses with
        // a patient-chosen wait: the rule's own label with the difference.
        if let Some(rule) = key.strip_suffix(crate::metrics::EXCLUDING_PATIENT_CHOSEN) {
            return format!(
                "{}{}",
                self.metric(rule),
                self.pick(
                    " — patient-chosen waits excluded (legal definition)",
                    " — patientvald väntan undantagen (lagens definition)"
                )
            );
        }
        if let Some(rule) = key.strip_suffix(crate::metrics::MISSED_PATIENT_CHOSEN) {
            return format!(
                "{}{}",
                self.metric(rule),
                self.pick(
                    " — share missed with a patient-chosen wait",
                    " — andel missade med patientvald väntan"
                )
            );
        }
        if let Some(p) = key.strip_prefix("scheduled_utilization_") {
            return format!(
                "{}, {}",
                self.pick(
                    "Utilisation of scheduled time (overtime excluded)",
                    "Resursutnyttjande av schemalagd tid (utan övertid)"
                ),
                self.profession(p).to_lowercase()
            );
        }
        if let Some(p) = key.strip_prefix("utilization_") {
            return format!(
                "{}, {}",
                self.pick("Utilisation", "Resursutnyttjande"),
                self.profession(p).to_lowercase()
            );
        }
        if let Some(p) = key.strip_prefix("days_to_assessment_") {
            return format!(
                "{}, {}",
                self.pick(
                    "Days to medical assessment",
                    "Dagar till medicinsk bedömning"
                ),
                self.profession(p).to_lowercase()
            );
        }
        if let Some((family, value)) = crate::metrics::metric_family(key) {
            return self.pick(family.en, family.sv).replacen("{}", value, 1);
        }
        key.to_string()
    }

    /// A difference with its 95 % CI in this language, `+1,2 p.e. (−0,4 –
    /// +2,8)`: see [`difference_text`]; counts whole or not as their row
    /// decided.
    pub fn difference(self, mean: f64, ci: (f64, f64), unit: &str, whole: bool) -> String {
        let share = unit == "share";
        let (scale, suffix) = if share {
            (100.0, format!(" {}", self.text("pp_short")))
        } else {
            (1.0, String::new())
        };
        difference_text(mean, ci, scale, &suffix, |x| {
            if share {
                self.number(x, 1)
            } else {
                self.value_as(x, unit, whole)
            }
        })
    }

    /// A finding of the results (`metrics::ResultWarning`) in a sentence.
    /// The English is `summary.json`'s `warnings`, written as before the
    /// Swedish existed (plain numbers, the profession's key), so that
    /// scripts matching it keep working.
    pub fn result_warning(self, w: &crate::metrics::ResultWarning) -> String {
        use crate::metrics::ResultWarning;
        match (w, self) {
            (ResultWarning::GrowingBacklog { profession, growth }, Lang::En) => format!(
                "the appointment backlog is still growing at the end of the run ({}): the third \
                 next available time rose by {growth:.1} days from the first to the last quarter \
                 of the measured period ({GROWTH_KEY}), so booking results depend on the run's \
                 length; lengthen simulation.warmup_days (books start empty) or add visit capacity",
                profession.as_deref().unwrap_or("every profession")
            ),
            (ResultWarning::GrowingBacklog { profession, growth }, Lang::Sv) => format!(
                "tidboken växer fortfarande när körningen slutar ({}): tredje lediga tid steg med \
                 {} dagar från den mätta periodens första kvartal till dess sista \
                 ({GROWTH_KEY}), så bokningsresultaten beror på körningens längd; förläng \
                 simulation.warmup_days (tidböckerna börjar tomma) eller lägg till besökstider",
                profession
                    .as_deref()
                    .map_or("alla yrken".to_string(), |p| self
                        .profession(p)
                        .to_lowercase()),
                self.number(*growth, 1)
            ),
            (ResultWarning::Unfinished { left, days }, Lang::En) => format!(
                "{left:.0} new contacts (the arrivals of {days:.0} days) are still in the system when \
                 the run ends ({IN_SYSTEM_KEY}): a queue grows without end, demand above \
                 what the staff can take, so the results depend on the run's length; add capacity \
                 where patients wait (call-back, drop-in, visit times) or check the staffing"
            ),
            (ResultWarning::Unfinished { left, days }, Lang::Sv) => format!(
                "{} nya kontakter (ankomsterna under {} dagar) är kvar i systemet när körningen \
                 slutar ({IN_SYSTEM_KEY}): en kö växer utan slut, efterfrågan över vad personalen \
                 hinner, så resultaten beror på körningens längd; lägg till kapacitet där \
                 patienterna väntar (återuppringning, drop-in, besökstider) eller se över \
                 bemanningen",
                self.number(*left, 0),
                self.number(*days, 0)
            ),
        }
    }

    /// A profession's label; the key if unknown.
    pub fn profession(self, key: &str) -> String {
        lookup(PROFESSIONS, self, key)
    }

    /// Where a profession goes in charts and tables: the built-in order
    /// (doctor, nurses, assistant nurse, …), unknown keys last.
    pub fn profession_rank(key: &str) -> usize {
        PROFESSIONS
            .iter()
            .position(|(k, _, _)| *k == key)
            .unwrap_or(PROFESSIONS.len())
    }

    /// Where an activity goes in stacked bars (visits at the bottom).
    pub fn activity_rank(key: &str) -> usize {
        ACTIVITIES
            .iter()
            .position(|(k, _, _)| *k == key)
            .unwrap_or(ACTIVITIES.len())
    }

    /// A staff activity's label; the key if unknown.
    pub fn activity(self, key: &str) -> String {
        lookup(ACTIVITIES, self, key)
    }

    /// Where patients were sent to the emergency department from (the
    /// `source` breakdown); the key if unknown.
    pub fn source(self, key: &str) -> String {
        lookup(SOURCES, self, key)
    }

    /// A channel's label; the key if unknown.
    pub fn channel(self, key: &str) -> String {
        lookup(CHANNELS, self, key)
    }

    /// A readable name for a `--set`/`--grid` key path, for sweep charts
    /// and tables: `units.vc.staff.doctor.count` → "Doctor (head count), vc"
    /// / "Läkare (antal), vc"; known leaf keys by [`KEY_LABELS`] (with the
    /// unit, team or category they belong to); any other path as written.
    pub fn key_label(self, path: &str) -> String {
        let seg: Vec<&str> = path.split('.').collect();
        if let ["units", unit, "staff", group, "count"] = seg.as_slice() {
            let known = self.profession(group);
            let who = if known != *group {
                known
            } else {
                format!("{} {group}", self.pick("Staff group", "Personalgrupp"))
            };
            return format!("{who} ({}), {unit}", self.pick("head count", "antal"));
        }
        let Some((leaf, owner)) = seg.split_last() else {
            return path.to_string();
        };
        let Some(&(_, en, sv)) = KEY_LABELS.iter().find(|(k, _, _)| k == leaf) else {
            return path.to_string();
        };
        // The unit, team or category the key belongs to: the segment after
        // its table's name.
        let of = owner
            .windows(2)
            .find(|w| ["units", "mobile_teams", "categories", "professions"].contains(&w[0]))
            .map(|w| w[1]);
        match of {
            Some(o) => format!("{}, {o}", self.pick(en, sv)),
            None => self.pick(en, sv).to_string(),
        }
    }

    /// A weekday's short label, Monday = 0.
    pub fn weekday(self, day: usize) -> &'static str {
        const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const SV: [&str; 7] = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"];
        self.pick(EN[day % 7], SV[day % 7])
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "en" => Ok(Lang::En),
            "sv" => Ok(Lang::Sv),
            other => Err(format!("unknown language {other:?}: use en or sv")),
        }
    }
}

/// A sentence made at run time in both languages (a note of `calibrate`,
/// how a column of figures was read): files for scripts keep the English,
/// the terminal and a Swedish spreadsheet say it in the run's language.
/// Serialized as its English.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bilingual {
    /// The English.
    pub en: String,
    /// The Swedish.
    pub sv: String,
}

impl Bilingual {
    /// The sentence in English and in Swedish.
    pub fn new(en: impl Into<String>, sv: impl Into<String>) -> Self {
        Bilingual {
            en: en.into(),
            sv: sv.into(),
        }
    }

    /// The sentence in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.sv)
    }

    /// Whether there is nothing to say.
    pub fn is_empty(&self) -> bool {
        self.en.is_empty()
    }

    /// `parts` joined by `sep`, each language on its own.
    pub fn join(parts: &[Bilingual], sep: &str) -> Bilingual {
        let joined = |lang: Lang| {
            parts
                .iter()
                .map(|b| b.get(lang))
                .collect::<Vec<_>>()
                .join(sep)
        };
        Bilingual::new(joined(Lang::En), joined(Lang::Sv))
    }

    /// Both sentences with `prefix` before each.
    pub fn prefixed(&self, prefix: &Bilingual) -> Bilingual {
        Bilingual::new(
            format!("{}{}", prefix.en, self.en),
            format!("{}{}", prefix.sv, self.sv),
        )
    }
}

impl serde::Serialize for Bilingual {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.en)
    }
}

fn lookup(table: &[(&str, &str, &str)], lang: Lang, key: &str) -> String {
    table
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or(key, |&(_, en, sv)| lang.pick(en, sv))
        .to_string()
}

/// (key, English, Swedish): built-in professions (`scenario/builtin.rs`).
/// Readable names of scenario keys often swept, by the key's last segment
/// (see [`Lang::key_label`]).
pub const KEY_LABELS: &[(&str, &str, &str)] = &[
    ("listed", "Listed patients", "Listade patienter"),
    (
        "contacts_per_listed_year",
        "Contacts per listed patient and year",
        "Kontakter per listad patient och år",
    ),
    (
        "profession_neutral",
        "Profession-neutral booking",
        "Professionsneutral bokning",
    ),
    ("crews", "Mobile team crews", "Besättningar i mobilt team"),
    ("share", "Share of new contacts", "Andel av nya kontakter"),
    (
        "web_horizon_days",
        "Web booking horizon (days)",
        "Webbtidbokens horisont (dagar)",
    ),
    (
        "booking_horizon_days",
        "Booking horizon (days)",
        "Bokningshorisont (dagar)",
    ),
    (
        "callback_slot_minutes",
        "Call-back time length (min)",
        "Återuppringningstidens längd (min)",
    ),
    (
        "cost_per_fte_year_sek",
        "Cost per FTE-year (SEK)",
        "Kostnad per årsarbetare (kr)",
    ),
    ("horizon_days", "Simulated days", "Simulerade dagar"),
    (
        "patient_chosen_share",
        "Share who choose a later day themselves",
        "Andel som själva väljer en senare dag (patientvald väntan)",
    ),
    (
        "at_closing",
        "Drop-in patients waiting at closing",
        "Drop-in-patienter som väntar vid stängning",
    ),
];

const PROFESSIONS: &[(&str, &str, &str)] = &[
    ("doctor", "Doctor", "Läkare"),
    ("nurse", "Nurse", "Sjuksköterska"),
    ("district_nurse", "District nurse", "Distriktssköterska"),
    ("assistant_nurse", "Assistant nurse", "Undersköterska"),
    ("physiotherapist", "Physiotherapist", "Fysioterapeut"),
    ("psychologist", "Psychologist", "Psykolog"),
    ("counsellor", "Counsellor", "Kurator"),
    (
        "occupational_therapist",
        "Occupational therapist",
        "Arbetsterapeut",
    ),
    ("dietitian", "Dietitian", "Dietist"),
];

/// Staff activities (`model::kinds::Activity`).
const ACTIVITIES: &[(&str, &str, &str)] = &[
    ("visits", "Visits", "Besök"),
    ("dropin", "Drop-in", "Drop-in"),
    ("telephone", "Telephone", "Telefon"),
    ("eservice", "E-service (1177)", "E-tjänst (1177)"),
    ("mobile", "Mobile team", "Mobilt team"),
    ("admin", "Administration", "Administration"),
    ("remote", "Remote doctor (video)", "Distansläkare (video)"),
];

/// Channels of first contact (`model::kinds::Channel`).
const CHANNELS: &[(&str, &str, &str)] = &[
    ("phone", "Telephone", "Telefon"),
    ("eservice", "E-service (1177)", "E-tjänst (1177)"),
    ("web_booking", "Web booking", "Webbtidbok"),
    ("walk_in", "Drop-in", "Drop-in"),
    ("home_care", "Municipal home care", "Kommunal hemtjänst"),
];

/// Sources of emergency department visits (`emergency_visits_per_year`
/// by `source`).
const SOURCES: &[(&str, &str, &str)] = &[
    ("triage", "Triage", "Triagering"),
    ("mobile_team", "Mobile team", "Mobilt team"),
];

/// True for a guarantee rule's key by its form (`contact_same_day`,
/// `…_within_<n>_days`): what tables put first.
pub fn is_rule_key(k: &str) -> bool {
    k == "contact_same_day" || (k.contains("_within_") && k.ends_with("_days"))
}

/// Metric labels (keys in `docs/output.md`).
const METRICS: &[(&str, &str, &str)] = &[
    (
        "contact_same_day",
        "Contact the same day",
        "Kontakt samma dag",
    ),
    (
        "assessment_within_3_days",
        "Medical assessment within 3 days",
        "Medicinsk bedömning inom 3 dagar",
    ),
    (
        "doctor_visit_within_7_days",
        "Doctor visit within 7 days (pre-2019 rule)",
        "Läkarbesök inom 7 dagar (före 2019)",
    ),
    (
        "days_to_assessment_mean",
        "Days to medical assessment, mean",
        "Dagar till medicinsk bedömning, medelvärde",
    ),
    (
        "days_to_assessment",
        "Days to medical assessment",
        "Dagar till medicinsk bedömning",
    ),
    (
        "days_to_doctor_visit_mean",
        "Days to doctor visit, mean",
        "Dagar till läkarbesök, medelvärde",
    ),
    (
        "days_to_doctor_visit",
        "Days to doctor visit",
        "Dagar till läkarbesök",
    ),
    ("patients_arrived", "New contacts", "Nya kontakter"),
    (
        "patients_completed",
        "Ended: seen",
        "Avslutade: omhändertagna",
    ),
    (
        "patients_self_care",
        "Ended: self-care advice",
        "Avslutade: egenvårdsråd",
    ),
    (
        "patients_emergency_dept",
        "Ended: referred to emergency department",
        "Avslutade: hänvisade till akutmottagning",
    ),
    (
        "patients_balked",
        "Ended: did not join the queue",
        "Avslutade: avstod från att köa",
    ),
    (
        "patients_reneged",
        "Ended: left the queue or hung up",
        "Avslutade: lämnade kön eller lade på",
    ),
    (
        "patients_sent_away",
        "Ended: sent away at closing",
        "Avslutade: hänvisade vid stängning",
    ),
    (
        "patients_overflow",
        "Ended: no time could be booked",
        "Avslutade: ingen tid kunde bokas",
    ),
    (
        "patients_no_show",
        "Ended: no-show, not rebooked",
        "Avslutade: uteblivet besök, ej ombokat",
    ),
    (
        "patients_cancelled",
        "Ended: cancelled",
        "Avslutade: avbokade",
    ),
    (
        "patients_went_elsewhere",
        "Ended: declined a far-off time, went elsewhere",
        "Avslutade: tackade nej till en avlägsen tid, sökte annan vårdgivare",
    ),
    (
        "patients_in_system_at_end",
        "Still in care when the run ended",
        "Pågående när körningen slutade",
    ),
    ("patients_lost", "Patients lost", "Förlorade patienter"),
    (
        "patients_digital_excluded",
        "Digital contacts made by telephone (digital exclusion)",
        "Digitala kontakter tagna per telefon (digitalt utanförskap)",
    ),
    (
        "patients_far_walk_in_to_phone",
        "Far walk-ins who telephoned instead",
        "Långväga drop-in-patienter som ringde i stället",
    ),
    ("visits", "Visits", "Besök"),
    (
        "staff_cost_sek_per_year",
        "Staff cost per year",
        "Personalkostnad per år",
    ),
    (
        "cost_per_compliant_episode_sek",
        "Cost per episode within the guarantee",
        "Kostnad per ärende inom vårdgarantin",
    ),
    (
        "overtime_minutes_per_day",
        "Overtime per day",
        "Övertid per dag",
    ),
    (
        "new_contacts_per_hour",
        "New contacts per hour",
        "Nya kontakter per timme",
    ),
    (
        "staff_on_duty",
        "Staff scheduled (mean over the week's hours)",
        "Schemalagd personal (medel över veckans timmar)",
    ),
    (
        "callbacks_waiting_mean",
        "Call-backs waiting, time-average",
        "Väntande återuppringningar, tidsmedelvärde",
    ),
];

/// Titles, axis labels, table headers and sentences.
const TEXTS: &[(&str, &str, &str)] = &[
    ("report_title", "Access report", "Tillgänglighetsrapport"),
    (
        "compare_title",
        "Scenario comparison",
        "Jämförelse av scenarier",
    ),
    ("scenario", "Scenario", "Scenario"),
    ("sweep_title", "Sweep", "Parameterstudie"),
    ("points", "Points", "Punkter"),
    ("base", "Baseline", "Nuläge"),
    // A sweep's baseline point need not be today's situation.
    ("sweep_base", "baseline", "jämförelsepunkt"),
    (
        "sweep_diff",
        "Δ from the baseline point (95 % CI)",
        "Δ mot jämförelsepunkten (95 % KI)",
    ),
    ("asked_metrics", "The metrics asked for", "Valda mått"),
    (
        "sweep_no_charts",
        "No chart: charts are drawn for a sweep of one or two keys (compliance against the first, a heatmap per rule over two); this sweep's points are all in the table below.",
        "Inget diagram: diagram ritas för en parameterstudie av en eller två nycklar (måluppfyllelse mot den första, en värmekarta per regel över två); alla punkter i den här står i tabellen nedan.",
    ),
    (
        "sweep_no_rule_charts",
        "No chart: the charts show the guarantee rules, and none was among the metrics this sweep was asked for (--metric); those are in the tables below.",
        "Inget diagram: diagrammen visar vårdgarantins regler, och ingen av dem fanns bland måtten parameterstudien ombads beräkna (--metric); de står i tabellerna nedan.",
    ),
    ("variants", "Variants", "Alternativ"),
    ("seed", "Seed", "Slumpfrö"),
    ("replications", "Replications", "Körningar (replikeringar)"),
    ("version", "Program version", "Programversion"),
    ("reproduce", "Reproduce", "Återskapa"),
    (
        "reproduce_text",
        "The same command, seed and replications give the same numbers:",
        "Samma kommando, slumpfrö och antal körningar ger samma siffror:",
    ),
    ("assumptions", "Key assumptions", "Viktiga antaganden"),
    ("horizon", "Simulated period", "Simulerad period"),
    (
        "warmup",
        "Warm-up (not counted)",
        "Uppvärmning (räknas inte)",
    ),
    ("days", "days", "dagar"),
    ("unit", "Health centre", "Vårdcentral"),
    ("listed", "Listed patients", "Listade patienter"),
    ("staff", "Staff", "Bemanning"),
    ("staff_count", "Staff members", "Antal medarbetare"),
    ("profession", "Profession", "Yrke"),
    ("cost_fte", "Cost per FTE-year", "Kostnad per årsarbetare"),
    ("rule", "Guarantee rule", "Vårdgarantiregel"),
    ("deadline", "Deadline", "Gräns"),
    ("calendar_days", "calendar days", "kalenderdagar"),
    ("working_days", "working days", "arbetsdagar"),
    ("charts", "Charts", "Diagram"),
    ("results", "Results", "Resultat"),
    ("guarantee", "Care guarantee", "Vårdgaranti"),
    ("all_metrics", "All metrics", "Alla mått"),
    (
        "by_unit",
        "Care guarantee by health centre",
        "Vårdgaranti per vårdcentral",
    ),
    ("metric", "Measure", "Mått"),
    ("mean", "Mean", "Medelvärde"),
    ("ci95", "95 % CI", "95 % konfidensintervall"),
    (
        "difference",
        "Difference from baseline",
        "Skillnad mot nuläge",
    ),
    (
        "ci_note",
        "Means over replications with 95 % confidence intervals (Student t).",
        "Medelvärden över körningarna med 95 % konfidensintervall (Student t).",
    ),
    (
        "paired_note",
        "Every scenario ran with the same seed and replications (common random numbers), so differences are paired.",
        "Alla scenarier kördes med samma slumpfrö och antal körningar (gemensamma slumptal), så skillnaderna är parvisa.",
    ),
    ("pp_short", "pp", "p.e."),
    ("verdict", "In short", "I korthet"),
    ("verdict_against", "against", "jämfört med"),
    ("verdict_better", "better on", "bättre för"),
    ("verdict_worse", "worse on", "sämre för"),
    (
        "verdict_same",
        "no clear difference on",
        "ingen tydlig skillnad för",
    ),
    (
        "verdict_same_cost",
        "the same staff cost",
        "samma personalkostnad",
    ),
    (
        "verdict_note",
        "Better or worse: the 95 % CI of the paired difference lies wholly above or below zero. No clear difference: it reaches zero, so the simulation cannot tell the two apart at these replications (more replications narrow it). The CI covers simulation noise only, not uncertainty in the inputs.",
        "Bättre eller sämre: 95 % KI för den parvisa skillnaden ligger helt över eller under noll. Ingen tydlig skillnad: det når noll, så simuleringen kan inte skilja dem åt med så här många körningar (fler körningar smalnar av det). KI avser bara slumpvariationen i simuleringen, inte osäkerhet i indata.",
    ),
    (
        "interval_caption",
        "Bars, points and whiskers: mean and 95 % confidence interval over the replications; the interval shows simulation noise only, not uncertainty in the scenario's assumptions.",
        "Staplar, punkter och streck: medelvärde och 95 % konfidensintervall över körningarna; intervallet visar bara simuleringens slumpvariation, inte osäkerheten i scenariots antaganden.",
    ),
    (
        "sweep_heatmap_caption",
        "Each cell: the mean over the point's replications; its 95 % confidence interval is in the table of points and in sweep.csv.",
        "Varje ruta: medelvärdet över punktens körningar; dess 95 % konfidensintervall står i tabellen över punkterna och i sweep.csv.",
    ),
    (
        "heatmap_caption",
        "Each cell: the mean over the replications (no interval is drawn).",
        "Varje ruta: medelvärdet över körningarna (inget intervall ritas).",
    ),
    (
        "delta_note",
        "Δ columns: the difference from the baseline with its 95 % CI in brackets; shares in percentage points (pp).",
        "Δ-kolumner: skillnaden mot nuläget med 95 % konfidensintervall inom parentes; andelar i procentenheter (p.e.).",
    ),
    // Charts.
    (
        "chart_compliance",
        "Care guarantee compliance",
        "Måluppfyllelse vårdgaranti",
    ),
    ("axis_compliance", "Compliance (%)", "Måluppfyllelse (%)"),
    ("target", "Target", "Mål"),
    ("ci_whisker", "95 % CI", "95 % KI"),
    (
        "chart_days",
        "Days to medical assessment",
        "Dagar till medicinsk bedömning",
    ),
    (
        "axis_days_bucket",
        "Days from first contact",
        "Dagar från första kontakt",
    ),
    (
        "axis_share_episodes",
        "Share of episodes (%)",
        "Andel ärenden (%)",
    ),
    ("all_professions", "All professions", "Alla yrken"),
    (
        "chart_utilisation",
        "Utilisation by profession and activity",
        "Resursutnyttjande per yrke och aktivitet",
    ),
    (
        "axis_utilisation",
        "Share of paid time with patients (%)",
        "Andel av betald tid med patienter (%)",
    ),
    (
        "chart_cost",
        "Cost against compliance",
        "Kostnad mot måluppfyllelse",
    ),
    (
        "axis_cost",
        "Staff cost per year (million SEK)",
        "Personalkostnad per år (miljoner kr)",
    ),
    ("pareto", "Pareto front", "Paretofront"),
    (
        "chart_continuity",
        "Continuity against compliance",
        "Kontinuitet mot måluppfyllelse",
    ),
    (
        "axis_continuity",
        "Continuity index: visits with the usual clinician (%)",
        "Kontinuitetsindex: besök hos den vanligaste vårdgivaren (%)",
    ),
    (
        "chart_continuity_first_contact",
        "Continuity by profession of first contact",
        "Kontinuitet efter yrke vid första kontakten",
    ),
    (
        "axis_first_contact",
        "Profession of the first contact",
        "Yrke vid första kontakten",
    ),
    (
        "axis_share_visits",
        "Share of visits (%)",
        "Andel av besöken (%)",
    ),
    (
        "definition_only",
        "only the guarantee's definition differs (not on the front)",
        "bara vårdgarantins definition skiljer (inte på fronten)",
    ),
    (
        "chart_difference",
        "Difference from baseline",
        "Skillnad mot nuläge",
    ),
    (
        "axis_difference_pp",
        "Difference in compliance (percentage points)",
        "Skillnad i måluppfyllelse (procentenheter)",
    ),
    ("by_unit_chart", "by health centre", "per vårdcentral"),
    ("below_target", "Below target", "Under målet"),
    ("per_year", "per year", "per år"),
    (
        "chart_weekly",
        "Weekly compliance over the year",
        "Måluppfyllelse vecka för vecka",
    ),
    ("axis_week", "Week of the year", "Vecka"),
    ("summer_leave_weeks", "Summer leave weeks", "Semesterveckor"),
    (
        "chart_compliance_by_age",
        "Care guarantee compliance by age group",
        "Måluppfyllelse vårdgaranti per åldersgrupp",
    ),
    (
        "chart_compliance_by_distance",
        "Care guarantee compliance by distance to the health centre",
        "Måluppfyllelse vårdgaranti per avstånd till vårdcentralen",
    ),
    ("age_group", "Age group", "Åldersgrupp"),
    ("distance_band", "Distance, km", "Avstånd, km"),
    (
        "chart_demand",
        "New contacts per hour by weekday",
        "Nya kontakter per timme och veckodag",
    ),
    (
        "chart_capacity",
        "Staff scheduled by weekday and hour",
        "Schemalagd personal per veckodag och timme",
    ),
    (
        "chart_callbacks",
        "Call-backs waiting by weekday and hour",
        "Väntande återuppringningar per veckodag och timme",
    ),
    (
        "chart_demand_per_staff",
        "New contacts per hour per staff member scheduled",
        "Nya kontakter per timme och schemalagd medarbetare",
    ),
    (
        "axis_demand_per_staff",
        "Contacts per staff member",
        "Kontakter per medarbetare",
    ),
    ("axis_weekday", "Weekday", "Veckodag"),
    ("axis_hour", "Hour of day", "Timme"),
    (
        "axis_contacts_per_hour",
        "New contacts per hour",
        "Nya kontakter per timme",
    ),
    (
        "axis_staff",
        "Staff members scheduled",
        "Schemalagda medarbetare",
    ),
    (
        "axis_callbacks_waiting",
        "Call-backs waiting (mean)",
        "Väntande återuppringningar (medel)",
    ),
    (
        "chart_mobile_day",
        "A mobile team's day: home visits, driving and idle time",
        "Ett mobilt teams dag: hembesök, restid och tid utan uppdrag",
    ),
    ("mobile_team", "Mobile team", "Mobilt team"),
    (
        "axis_crew_hours",
        "Crew hours per day (h)",
        "Teamets timmar per dag (h)",
    ),
    ("part_home_visits", "Home visits", "Hembesök"),
    ("part_driving", "Driving", "Restid"),
    ("part_idle", "Idle at base", "På basen utan uppdrag"),
    ("crew", "crew", "besättning"),
    ("crews", "crews", "besättningar"),
    (
        "no_data",
        "Not in this run's results.",
        "Finns inte i körningens resultat.",
    ),
];

/// A difference with its 95 % CI, `+1.2 pp (−0.4 – +2.8)`, in every table,
/// report and doc: a `+` on a gain, no sign on what reads as zero, the unit's
/// `suffix` named once after the mean (` pp`, ` M SEK`, or none), `–` when
/// undefined, the mean alone when its CI is. `number` writes one value,
/// multiplied by `scale` (100 for a share in points).
pub fn difference_text(
    mean: f64,
    (low, high): (f64, f64),
    scale: f64,
    suffix: &str,
    number: impl Fn(f64) -> String,
) -> String {
    if !mean.is_finite() {
        return "–".into();
    }
    let signed = |x: f64| {
        let v = number(x * scale);
        let digits = v.trim_start_matches(['−', '-']);
        let zero = digits
            .trim_start_matches(['0', '.', ',', ' ', '\u{a0}', '\u{202f}'])
            .is_empty();
        if zero {
            digits.to_string()
        } else if x > 0.0 {
            format!("+{v}")
        } else {
            v
        }
    };
    if low.is_finite() && high.is_finite() {
        format!(
            "{}{suffix} ({} – {})",
            signed(mean),
            signed(low),
            signed(high)
        )
    } else {
        format!("{}{suffix}", signed(mean))
    }
}

/// The metrics the results' warnings name.
const GROWTH_KEY: &str = crate::model::flows::booking::metrics::THIRD_NEXT_GROWTH.key;
const IN_SYSTEM_KEY: &str = "patients_in_system_at_end";

#[cfg(test)]
mod tests {
    use super::*;

    /// One form of a difference for the terminal, the reports and the
    /// docs: what reads as zero at its decimals carries no sign (the
    /// report wrote `+0,0 p.e.` where the docs wrote `0.0 pp`, and the docs
    /// `−0.0` where the report wrote `0,0`), a unit is named once after
    /// the mean.
    #[test]
    fn a_difference_that_reads_as_zero_has_no_sign_in_any_output() {
        let tiny = (0.0002, (-0.0001, 0.0004));
        assert_eq!(
            Lang::Sv.difference(tiny.0, tiny.1, "share", false),
            "0,0 p.e. (0,0 – 0,0)"
        );
        assert_eq!(
            Lang::En.difference(tiny.0, tiny.1, "share", false),
            "0.0 pp (0.0 – 0.0)"
        );
        let docs = crate::report::figures::diff_text(
            &crate::metrics::Estimate {
                mean: tiny.0,
                ci95_low: tiny.1.0,
                ci95_high: tiny.1.1,
                n: 10,
            },
            crate::metrics::MetricUnit::Share,
            1.0,
            None,
        );
        assert_eq!(docs, "0.0 pp (0.0 – 0.0)");
        assert_eq!(
            Lang::Sv.difference(0.012, (-0.004, 0.028), "share", false),
            "+1,2 p.e. (−0,4 – +2,8)"
        );
    }

    #[test]
    fn a_swept_value_reads_as_people_write_it() {
        // An audit's finding: `0.05` and `"see_all"` (quotes and all) in
        // Swedish tables and charts, where the chart ticks said `0,05`.
        assert_eq!(Lang::Sv.grid_value("0.05"), "0,05");
        assert_eq!(Lang::En.grid_value("0.05"), "0.05");
        assert_eq!(Lang::Sv.grid_value("12"), "12");
        assert_eq!(Lang::Sv.grid_value("\"see_all\""), "see_all");
        assert_eq!(Lang::En.grid_value("\"see_all\""), "see_all");
        assert_eq!(Lang::Sv.grid_value("true"), "ja");
        assert_eq!(Lang::En.grid_value("false"), "false");
    }

    #[test]
    fn swedish_numbers_use_decimal_comma_and_space() {
        assert_eq!(Lang::Sv.number(132_839.0, 0), "132\u{a0}839");
        assert_eq!(Lang::Sv.number(9000.0, 0), "9\u{a0}000");
        assert_eq!(Lang::Sv.number(999.0, 0), "999");
        assert_eq!(Lang::Sv.percent(0.874, 1), "87,4\u{a0}%");
        assert_eq!(Lang::En.number(1_234_567.25, 2), "1,234,567.25");
        assert_eq!(Lang::En.percent(0.87, 0), "87\u{a0}%");
        assert_eq!(Lang::Sv.number(-2.5, 1), "−2,5");
        assert_eq!(Lang::Sv.number(-0.01, 1), "0,0");
    }

    #[test]
    fn output_metrics_have_labels_in_both_languages() {
        for key in [
            "mobile_requests",
            "mobile_visits_per_team_day",
            "mobile_travel_share",
            "mobile_visit_share",
            "mobile_crew_hours_per_team_day",
            "mobile_travel_hours_per_team_day",
            "mobile_visit_hours_per_team_day",
            "mobile_idle_hours_per_team_day",
            "mobile_overtime_hours_per_team_day",
            "mobile_time_to_home_visit_hours_mean",
            "mobile_avoidable_emergency",
            "remote_doctor_exams",
            "remote_doctor_wait_minutes_mean",
            "remote_doctor_time_to_assessment_minutes_mean",
            "new_contacts_per_hour",
            "staff_on_duty",
            "callbacks_waiting_mean",
            "days_to_assessment_nurse",
        ] {
            for lang in [Lang::En, Lang::Sv] {
                assert_ne!(lang.metric(key), key, "{lang}: no label for {key}");
            }
        }
        assert_eq!(
            Lang::Sv.metric("mobile_avoidable_emergency"),
            "Undvikbara besök på akutmottagningen (mobilt team hann inte samma dag)"
        );
        assert_eq!(
            Lang::Sv.metric("days_to_assessment_doctor"),
            "Dagar till medicinsk bedömning, läkare"
        );
        // An audit's finding: "Webbokare", a word no glossary has, for
        // the domain's term (webbtidbok).
        assert_eq!(
            Lang::Sv.metric("web_bookings_switched_to_phone"),
            "Webbtidbok: ingen ledig tid, patienten ringde i stället"
        );
        assert_eq!(Lang::Sv.value(2.5, "hours"), "2,50");
        assert_eq!(Lang::Sv.unit("hours"), "h");
        // A family's members take their labels from the flow's table.
        assert_eq!(
            Lang::Sv.metric("dropin_wait_over_45_min"),
            "Drop-in: väntade mer än 45 min"
        );
        assert_eq!(
            Lang::En.metric("dropin_wait_over_45_min"),
            "Drop-in: waited over 45 min"
        );
        assert_eq!(
            Lang::En.metric("dropin_wait_over__min"),
            "dropin_wait_over__min"
        );
    }

    #[test]
    fn unknown_keys_fall_back_to_the_key() {
        assert_eq!(Lang::Sv.metric("new_metric_x"), "new_metric_x");
        assert_eq!(Lang::Sv.profession("midwife"), "midwife");
        assert_eq!(
            Lang::Sv.metric("utilization_doctor"),
            "Resursutnyttjande, läkare"
        );
        assert_eq!(
            Lang::Sv.metric("assessment_within_3_days"),
            "Medicinsk bedömning inom 3 dagar"
        );
    }
}
