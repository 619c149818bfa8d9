//! The metrics mobile teams write: one table, each row a ratio of two sums
//! over the teams' [`MobileLedger`]s, overall and by team. Keys, units and
//! labels live here only; `docs/output.md` describes them.

use std::collections::BTreeMap;

use super::MobileLedger;
use crate::metrics::{Acc, By, MetricDef, MetricUnit, Out};
use crate::model::Records;

/// A metric over the teams' ledgers: `part` gives a team's numerator and
/// denominator. A count (`sum`) is the numerators' sum (its denominator is
/// 1 per team, so a team's group value is its count); a ratio is
/// Σ numerator ÷ Σ denominator × `scale`.
pub struct TeamMetric {
    /// Key, unit, breakdowns and labels.
    pub def: MetricDef,
    part: Part,
    sum: bool,
    scale: f64,
}

/// A team's numerator and denominator.
type Part = fn(&MobileLedger) -> (u64, u64);

const HOURS: f64 = 1.0 / 3600.0;

const fn row(
    key: &'static str,
    unit: MetricUnit,
    (part, sum, scale): (Part, bool, f64),
    en: &'static str,
    sv: &'static str,
) -> TeamMetric {
    TeamMetric {
        def: MetricDef {
            key,
            unit,
            by: &[By::Team],
            en,
            sv,
            signed: false,
        },
        part,
        sum,
        scale,
    }
}

/// A mobile team's crew time: duty and overtime, split into driving, home
/// visits and idle at base (what is left; never below 0).
fn crew_time_s(l: &MobileLedger) -> u64 {
    l.duty_s + l.overtime_s
}

fn idle_s(l: &MobileLedger) -> u64 {
    crew_time_s(l).saturating_sub(l.travel_s + l.visit_s)
}

/// Crew hours per team-day (the total the day chart stacks parts into).
pub const CREW_HOURS: &str = "mobile_crew_hours_per_team_day";
/// Driving hours per team-day.
pub const TRAVEL_HOURS: &str = "mobile_travel_hours_per_team_day";
/// Home-visit hours per team-day.
pub const VISIT_HOURS: &str = "mobile_visit_hours_per_team_day";
/// Idle hours at base per team-day.
pub const IDLE_HOURS: &str = "mobile_idle_hours_per_team_day";

/// Every metric of mobile teams, in the order they are written.
pub static METRICS: [TeamMetric; 11] = [
    row(
        "mobile_requests",
        MetricUnit::Count,
        (|l| (l.requests, 1), true, 1.0),
        "Mobile team: requests received",
        "Mobilt team: mottagna uppdrag",
    ),
    row(
        "mobile_visits_per_team_day",
        MetricUnit::Count,
        (|l| (l.visits, l.days), false, 1.0),
        "Mobile team: home visits per team-day",
        "Mobilt team: hembesök per arbetsdag",
    ),
    row(
        "mobile_travel_share",
        MetricUnit::Share,
        (|l| (l.travel_s, l.duty_s), false, 1.0),
        "Mobile team: share of duty time driving",
        "Mobilt team: andel av arbetstiden som restid",
    ),
    row(
        "mobile_visit_share",
        MetricUnit::Share,
        (|l| (l.visit_s, l.duty_s), false, 1.0),
        "Mobile team: share of duty time on home visits",
        "Mobilt team: andel av arbetstiden på hembesök",
    ),
    row(
        CREW_HOURS,
        MetricUnit::Hours,
        (|l| (crew_time_s(l), l.days), false, HOURS),
        "Mobile team: crew hours per team-day (duty and overtime)",
        "Mobilt team: arbetade timmar per arbetsdag (schema och övertid)",
    ),
    row(
        TRAVEL_HOURS,
        MetricUnit::Hours,
        (|l| (l.travel_s, l.days), false, HOURS),
        "Mobile team: driving hours per team-day",
        "Mobilt team: restid per arbetsdag",
    ),
    row(
        VISIT_HOURS,
        MetricUnit::Hours,
        (|l| (l.visit_s, l.days), false, HOURS),
        "Mobile team: home-visit hours per team-day",
        "Mobilt team: tid för hembesök per arbetsdag",
    ),
    row(
        IDLE_HOURS,
        MetricUnit::Hours,
        (|l| (idle_s(l), l.days), false, HOURS),
        "Mobile team: idle hours at base per team-day",
        "Mobilt team: tid på basen utan uppdrag per arbetsdag",
    ),
    row(
        "mobile_overtime_hours_per_team_day",
        MetricUnit::Hours,
        (|l| (l.overtime_s, l.days), false, HOURS),
        "Mobile team: overtime hours per team-day",
        "Mobilt team: övertid per arbetsdag",
    ),
    row(
        "mobile_time_to_home_visit_hours_mean",
        MetricUnit::Hours,
        (|l| (l.wait_s, l.waited), false, HOURS),
        "Mobile team: time from request to home visit, mean",
        "Mobilt team: tid från uppdrag till hembesök, medelvärde",
    ),
    row(
        "mobile_avoidable_emergency",
        MetricUnit::Count,
        (|l| (l.avoidable_emergency, 1), true, 1.0),
        "Avoidable emergency department visits (no mobile team crew that day)",
        "Undvikbara besök på akutmottagningen (mobilt team hann inte samma dag)",
    ),
];

/// Writes every metric of [`METRICS`], overall and by team; nothing when
/// the scenario has no mobile team.
pub(crate) fn write(out: &mut Out<'_>, rec: &Records) {
    let sc = out.sc;
    if sc.mobile_teams.is_empty() {
        return;
    }
    let ledgers = &rec.flows.mobile;
    for m in &METRICS {
        let num: u64 = ledgers.iter().map(|l| (m.part)(l).0).sum();
        let den: u64 = ledgers.iter().map(|l| (m.part)(l).1).sum();
        let value = match den {
            _ if m.sum => num as f64,
            0 => f64::NAN,
            d => num as f64 / d as f64 * m.scale,
        };
        out.put(m.def.key, m.def.unit, value);
        let groups: BTreeMap<String, Acc> = ledgers
            .iter()
            .zip(&sc.mobile_teams)
            .map(|(l, t)| {
                let (a, b) = (m.part)(l);
                let acc = Acc {
                    sum: a as f64 * m.scale,
                    n: b as f64,
                };
                (t.key.clone(), acc)
            })
            .collect();
        out.put_groups(m.def.key, m.def.unit, By::Team, &groups);
    }
}
