//! Built-in professions and guarantee rules that every scenario starts from.
//! A scenario's `[professions.<key>]` or `[guarantee.<key>]` with the same
//! key changes single keys of the built-in entry.

use std::collections::BTreeMap;

use super::bounded::{CostFactor, DeadlineDays, Sek, Share};
use super::file::{AppliesTo, KindChoice, ProfessionFile, RuleFile};
use super::spec::DayCount;
use crate::vocab::kinds::{Channel, ContactKind};

/// The built-in default scenario (a copy of `scenarios/default.toml`).
pub const DEFAULT_SCENARIO: (&str, &str) = (
    "<built-in default>",
    include_str!("../../scenarios/default.toml"),
);

/// (key, licensed, English, Swedish, monthly salary SEK).
///
/// Costs per FTE-year are monthly salary × 12 × 1.45 (employer's social fees
/// and pension, assumption). Salaries are rounded assumptions in the range of
/// Swedish regions' 2024 pay statistics; override per scenario.
const PROFESSIONS: [(&str, bool, &str, &str, f64); 9] = [
    ("doctor", true, "Doctor", "Läkare", 85_000.0),
    ("nurse", true, "Nurse", "Sjuksköterska", 45_000.0),
    (
        "district_nurse",
        true,
        "District nurse",
        "Distriktssköterska",
        50_000.0,
    ),
    (
        "assistant_nurse",
        false,
        "Assistant nurse",
        "Undersköterska",
        31_000.0,
    ),
    (
        "physiotherapist",
        true,
        "Physiotherapist",
        "Fysioterapeut",
        39_000.0,
    ),
    ("psychologist", true, "Psychologist", "Psykolog", 48_000.0),
    ("counsellor", true, "Counsellor", "Kurator", 40_000.0),
    (
        "occupational_therapist",
        true,
        "Occupational therapist",
        "Arbetsterapeut",
        38_000.0,
    ),
    ("dietitian", true, "Dietitian", "Dietist", 38_000.0),
];

/// Employer's on-cost factor on salaries (assumption, see [`PROFESSIONS`]).
const ON_COST: f64 = 1.45;

/// Share of working time caring for a sick child (`vård av barn`), every
/// profession: assumption from Försäkringskassan's temporary parental
/// benefit (about 7 days a year per parent of a young child, some quarter
/// of staff such parents); docs/calibration.md § Staff supply.
const CHILD_CARE: f64 = 0.01;

/// (sick leave share, planned absence share, hired cost factor) of a
/// built-in profession (docs/calibration.md § Staff supply). Sick leave is
/// the short-spell part of the regions' 6.2 % of working time (SKL 2016; long
/// spells are about half of it and are written as vacancies), lower for
/// doctors (assumption); planned absence (courses, compensatory leave) is an
/// assumption; a hired doctor costs 1.5–2 times an employed one
/// (Konkurrensverket 2015, "Hyrläkare i primärvården"), other hired staff
/// 1.5 times (assumption).
fn absence(key: &str) -> (f64, f64, f64) {
    match key {
        "doctor" => (0.02, 0.04, 2.0),
        _ => (0.035, 0.02, 1.5),
    }
}

/// The built-in professions in file form.
pub fn professions() -> BTreeMap<String, ProfessionFile> {
    PROFESSIONS
        .iter()
        .map(|&(key, licensed, en, sv, monthly)| {
            (
                key.to_string(),
                ProfessionFile {
                    licensed: Some(licensed),
                    label_en: Some(en.into()),
                    label_sv: Some(sv.into()),
                    cost_per_fte_year_sek: Some(Sek::new(monthly * 12.0 * ON_COST)),
                    sick_leave_share: Some(Share::new(absence(key).0)),
                    child_care_share: Some(Share::new(CHILD_CARE)),
                    planned_absence_share: Some(Share::new(absence(key).1)),
                    hired_cost_factor: Some(CostFactor::new(absence(key).2)),
                },
            )
        })
        .collect()
}

/// The built-in guarantee rules (a scenario's `[guarantee.<key>]` changes
/// single keys of a built-in rule with the same key): `0`, `3` (2019 rule) and `7` (pre-2019 rule).
pub fn rules() -> BTreeMap<String, RuleFile> {
    use ContactKind::{HomeVisit, Phone, Video, Visit};
    let rule = |deadline: u32,
                kinds: &[KindChoice],
                profs: &[&str],
                applies: AppliesTo,
                en: &str,
                sv: &str| {
        RuleFile {
            // "3" and "7" concern patients who need an assessment; "0" everyone.
            only_needing_assessment: Some(deadline > 0),
            exclude_patient_chosen: Some(false),
            // "0" is measured as telephone accessibility (SKR, domain brief §1).
            channels: (deadline == 0).then(|| vec![Channel::Phone]),
            deadline_days: Some(DeadlineDays::new(deadline)),
            count_days: Some(DayCount::Calendar),
            contact_kinds: Some(kinds.to_vec()),
            professions: Some(profs.iter().map(|s| s.to_string()).collect()),
            applies_to: Some(applies),
            label_en: Some(en.into()),
            label_sv: Some(sv.into()),
            enabled: Some(true),
        }
    };
    BTreeMap::from([
        (
            "contact_same_day".to_string(),
            rule(
                0,
                &[KindChoice::Any],
                &["any"],
                AppliesTo::All,
                "Contact the same day",
                "Kontakt samma dag",
            ),
        ),
        (
            "assessment_within_3_days".to_string(),
            rule(
                3,
                &[Visit, Phone, Video, HomeVisit].map(KindChoice::Kind),
                &["licensed"],
                AppliesTo::Guarantee,
                "Medical assessment within 3 days",
                "Medicinsk bedömning inom 3 dagar",
            ),
        ),
        (
            "doctor_visit_within_7_days".to_string(),
            rule(
                7,
                &[Visit, HomeVisit].map(KindChoice::Kind),
                &["doctor"],
                AppliesTo::Guarantee,
                "Doctor visit within 7 days",
                "Läkarbesök inom 7 dagar",
            ),
        ),
    ])
}
