//! The metrics of booked visits: counts, no-show and cancellation rates,
//! web bookers who phoned instead, follow-ups and the "third next
//! available" access measure. Keys, units and labels live here only;
//! `docs/output.md` describes them.

use std::collections::BTreeMap;

use crate::engine::SimTime;
use crate::metrics::{Acc, By, Figure, MetricDef, MetricUnit, Out, ResultFigures, ResultWarning};
use crate::model::Records;
use crate::model::records::Episode;

const fn def(key: &'static str, unit: MetricUnit, en: &'static str, sv: &'static str) -> MetricDef {
    MetricDef {
        key,
        unit,
        by: &[],
        en,
        sv,
        signed: false,
    }
}

const BOOKED: MetricDef = def(
    "booked_visits",
    MetricUnit::Count,
    "Booked visits",
    "Bokade besök",
);
const CANCELLED: MetricDef = def(
    "cancellation_rate",
    MetricUnit::Share,
    "Cancellation rate",
    "Andel avbokade besök",
);
const WEB_TO_PHONE: MetricDef = def(
    "web_bookings_switched_to_phone",
    MetricUnit::Count,
    "Web bookers who phoned instead",
    "Webbtidbok: ingen ledig tid, patienten ringde i stället",
);
const FOLLOW_UPS: MetricDef = def(
    "follow_ups",
    MetricUnit::Count,
    "Follow-up visits",
    "Återbesök",
);
const FOLLOW_UPS_UNBOOKED: MetricDef = def(
    "follow_ups_unbooked",
    MetricUnit::Count,
    "Follow-ups and planned visits for which no time could be booked",
    "Återbesök och planerade besök som ingen tid kunde bokas för",
);
const NO_SHOW: MetricDef = def(
    "no_show_rate",
    MetricUnit::Share,
    "No-show rate",
    "Andel uteblivna besök",
);
const THIRD_NEXT: MetricDef = MetricDef {
    by: &[By::Profession],
    ..def(
        "third_next_available_days",
        MetricUnit::Days,
        "Third next available time",
        "Tredje lediga tid",
    )
};

/// The trend check of the books: is the backlog still growing when the run
/// ends? The third next available time in the last quarter of the measured
/// period minus that in its first quarter (years, from two years on).
pub const THIRD_NEXT_GROWTH: MetricDef = MetricDef {
    by: &[By::Profession],
    // A shrinking backlog is a negative growth.
    signed: true,
    ..def(
        "third_next_available_growth_days",
        MetricUnit::Days,
        "Third next available time: last quarter (year, from two years on) minus first of the run (backlog trend)",
        "Tredje lediga tid: sista kvartalet (året, från två år) minus första under körningen (köns trend)",
    )
};

/// Every metric of booking, in the order they are written.
pub static METRICS: [MetricDef; 8] = [
    BOOKED,
    CANCELLED,
    WEB_TO_PHONE,
    FOLLOW_UPS,
    FOLLOW_UPS_UNBOOKED,
    NO_SHOW,
    THIRD_NEXT,
    THIRD_NEXT_GROWTH,
];

/// A share, undefined when nothing was counted.
fn share(part: u64, whole: u64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        f64::NAN
    }
}

/// Writes the booking metrics; nothing when no staff member has visit slots.
pub(crate) fn write(out: &mut Out<'_>, rec: &Records) {
    let sc = out.sc;
    if sc
        .units
        .iter()
        .all(|u| u.staff.iter().all(|g| g.visit_slots.is_empty()))
    {
        return;
    }
    let b = &rec.flows.booking.ledger;
    let (attended, missed): (u64, u64) = (b.attended.iter().sum(), b.no_shows.iter().sum());
    let total = attended + missed;
    out.put(BOOKED.key, BOOKED.unit, total as f64);
    let cancelled: u64 = b.cancelled.iter().sum();
    out.put(
        CANCELLED.key,
        CANCELLED.unit,
        share(cancelled, total + cancelled),
    );
    out.put(WEB_TO_PHONE.key, WEB_TO_PHONE.unit, b.web_to_phone as f64);
    let follow_ups = rec.episode_tallies.flows.booking.follow_ups;
    out.put(FOLLOW_UPS.key, FOLLOW_UPS.unit, follow_ups as f64);
    let unbooked = rec.episode_tallies.flows.booking.follow_ups_unbooked;
    out.put(
        FOLLOW_UPS_UNBOOKED.key,
        FOLLOW_UPS_UNBOOKED.unit,
        unbooked as f64,
    );
    out.put(NO_SHOW.key, NO_SHOW.unit, share(missed, total));
    let mut tna = Acc::default();
    let mut by_prof: BTreeMap<String, Acc> = BTreeMap::new();
    for s in &rec.flows.booking.access {
        if let Some(d) = s.days {
            tna.add(d as f64);
            by_prof
                .entry(out.profession_key(s.profession as usize))
                .or_default()
                .add(d as f64);
        }
    }
    out.put(THIRD_NEXT.key, THIRD_NEXT.unit, tna.mean());
    out.put_groups(THIRD_NEXT.key, THIRD_NEXT.unit, By::Profession, &by_prof);
    growth(out, rec);
}

/// [`THIRD_NEXT_GROWTH`], overall and by profession. A day with fewer than
/// three bookable times left before the run's end (a full book) counts as
/// the days left: the backlog is at least that long.
///
/// The two windows are the first and last quarter of the measured period;
/// from two years on, its first and last year instead, so that both cover
/// the same seasons (quarters of a two-year run compare January–June with
/// July–December, and the autumn backlog after the summer read as growth).
fn growth(out: &mut Out<'_>, rec: &Records) {
    let sc = out.sc;
    let (from, to) = (rec.observed_from.day(), rec.observed_to.day());
    let span = to.saturating_sub(from);
    let quarter = if span >= 2 * YEAR_DAYS {
        YEAR_DAYS
    } else {
        (span / 4).max(1)
    };
    // [first quarter, last quarter], overall and by profession index.
    let mut all = [Acc::default(); 2];
    let mut by_prof = vec![[Acc::default(); 2]; sc.professions.len()];
    for s in &rec.flows.booking.access {
        let day = s.day as u64;
        let q = if day < from + quarter {
            0
        } else if day >= to.saturating_sub(quarter) {
            1
        } else {
            continue;
        };
        let days = s.days.map_or(to.saturating_sub(day) as f64, |d| d as f64);
        all[q].add(days);
        by_prof[s.profession as usize][q].add(days);
    }
    let diff = |a: &[Acc; 2]| a[1].mean() - a[0].mean();
    out.put(THIRD_NEXT_GROWTH.key, THIRD_NEXT_GROWTH.unit, diff(&all));
    let groups: Vec<Acc> = by_prof
        .iter()
        .map(|a| Acc {
            sum: diff(a),
            n: if a[0].n > 0.0 && a[1].n > 0.0 {
                1.0
            } else {
                0.0
            },
        })
        .collect();
    out.put_indexed(
        THIRD_NEXT_GROWTH.key,
        THIRD_NEXT_GROWTH.unit,
        By::Profession,
        &groups,
        |p| &sc.professions[p].key,
    );
}

/// A year of whole weeks, the window of the trend check in runs of two
/// years or more.
const YEAR_DAYS: u64 = 364;

/// A backlog that grew by at least this many days from the first to the
/// last quarter of the measured period is still growing (a book near its
/// capacity that started empty, or one over it): the booking results
/// depend on the run's length.
pub const GROWING_BACKLOG_DAYS: f64 = 1.0;

/// Whether a growth over replications says the backlog is still growing:
/// its mean is at least [`GROWING_BACKLOG_DAYS`] *and* its 95 % CI lies
/// above zero. The growth of one replication is noisy (a single clinician's
/// book swings with absence and the calendar: a book near its capacity
/// read 1.57 days with a CI of −3.1 to 6.2 in 4 replications; the
/// default's lone assistant nurse 1.66 (0.30 to 3.02) in 16 replications
/// of a two-year run, 0.85 (0.05 to 1.65) in 40, 0.24 (−0.26 to 0.74) over
/// three years), so a mean above the threshold whose interval still holds
/// zero is not yet a trend. With one replication there is no interval: the
/// mean alone decides, as a caution (a single replication's figures carry
/// no CI anywhere).
pub fn is_growing(growth: Figure) -> bool {
    // A NaN lower end (no CI) does not hold the warning back.
    growth.mean >= GROWING_BACKLOG_DAYS && (growth.ci95_low.is_nan() || growth.ci95_low > 0.0)
}

/// The trend check's findings: overall and for each profession whose third
/// next available time is still growing ([`is_growing`]). `figures` reads
/// the summary (run's, or read back).
pub fn growing_backlogs(figures: &dyn ResultFigures) -> Vec<ResultWarning> {
    let key = THIRD_NEXT_GROWTH.key;
    let mut rows: Vec<(Option<String>, Figure)> =
        figures.figure(key).map(|f| (None, f)).into_iter().collect();
    rows.extend(
        figures
            .by_profession(key)
            .into_iter()
            .map(|(p, f)| (Some(p), f)),
    );
    rows.into_iter()
        .filter(|(_, growth)| is_growing(*growth))
        .map(|(profession, growth)| ResultWarning::GrowingBacklog {
            profession,
            growth: growth.mean,
        })
        .collect()
}

/// What the booking metrics need from each episode: planned follow-ups
/// created after the warm-up, and those of them that found no time.
#[derive(Clone, Copy, Debug, Default)]
pub struct EpisodeTally {
    /// Follow-up episodes.
    pub follow_ups: u64,
    /// Follow-up episodes that ended because no time could be booked
    /// (outside the patient counts, which hold new contacts only).
    pub follow_ups_unbooked: u64,
}

/// Adds episode `ep` of a run observed from `from`.
pub(crate) fn fold(t: &mut EpisodeTally, ep: &Episode, from: SimTime) {
    if ep.arrived >= from && ep.follow_up {
        t.follow_ups += 1;
        if ep.end == crate::vocab::kinds::EndState::Overflow {
            t.follow_ups_unbooked += 1;
        }
    }
}

/// Adds `other`'s counts (another linked group's run) to `t`.
pub(crate) fn absorb(t: &mut EpisodeTally, other: &EpisodeTally) {
    t.follow_ups += other.follow_ups;
    t.follow_ups_unbooked += other.follow_ups_unbooked;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Growth figures read as a summary would give them.
    struct Figures(Figure, Vec<(String, Figure)>);

    impl ResultFigures for Figures {
        fn figure(&self, _key: &str) -> Option<Figure> {
            Some(self.0)
        }
        fn by_profession(&self, _key: &str) -> Vec<(String, Figure)> {
            self.1.clone()
        }
    }

    fn fig(mean: f64, ci95_low: f64) -> Figure {
        Figure { mean, ci95_low }
    }

    #[test]
    fn a_growth_warns_only_when_its_ci_lies_above_zero() {
        // 16 replications of main's two-year default: the assistant nurse's
        // 1.46 ± 1.33 days is above zero, a warning; a mean of 1.5 whose CI
        // holds zero is not.
        assert!(is_growing(fig(1.46, 0.13)));
        assert!(!is_growing(fig(1.5, -0.4)));
        assert!(!is_growing(fig(1.5, 0.0)));
        // Below a day no CI makes it a warning.
        assert!(!is_growing(fig(0.85, 0.05)));
        // One replication has no CI: the mean alone decides.
        assert!(is_growing(fig(1.2, f64::NAN)));
        assert!(!is_growing(fig(0.9, f64::NAN)));
        let f = Figures(
            fig(0.4, -0.2),
            vec![
                ("assistant_nurse".into(), fig(1.5, -0.4)),
                ("doctor".into(), fig(13.6, 8.5)),
            ],
        );
        let w = growing_backlogs(&f);
        assert_eq!(
            w,
            vec![ResultWarning::GrowingBacklog {
                profession: Some("doctor".into()),
                growth: 13.6
            }]
        );
    }
}
