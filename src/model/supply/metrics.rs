//! The metrics of staff supply: the share of employed staff's working days
//! on summer leave (by week: the summer the weekly chart marks) and away
//! otherwise, and hired staff's days. The shares and the displaced visits
//! are written only when the scenario has a `[supply]` table (without it
//! nobody takes leave: "0 % on summer leave" would read as measured), the
//! hired staff's days also when a group has hired staff or vacant posts;
//! `docs/output.md` describes them.

use std::collections::BTreeMap;

use crate::metrics::{Acc, By, MetricDef, MetricUnit, Out};
use crate::model::Records;

/// Employed staff's weekdays on summer leave.
const SUMMER: MetricDef = MetricDef {
    key: "staff_summer_leave_share",
    unit: MetricUnit::Share,
    by: &[By::Week],
    en: "Staff on summer leave (share of working days)",
    sv: "Personal på sommarsemester (andel av arbetsdagar)",
    signed: false,
};
/// Employed staff's weekdays away on sick leave or caring for a sick child.
const UNPLANNED: MetricDef = MetricDef {
    key: "staff_unplanned_absence_share",
    unit: MetricUnit::Share,
    by: &[],
    en: "Staff away unplanned: sick, sick child (share of working days)",
    sv: "Oplanerad frånvaro: sjuk, vab (andel av arbetsdagar)",
    signed: false,
};
/// Employed staff's weekdays on planned absence.
const PLANNED: MetricDef = MetricDef {
    key: "staff_planned_absence_share",
    unit: MetricUnit::Share,
    by: &[],
    en: "Staff on planned absence: courses, compensatory leave (share of working days)",
    sv: "Planerad frånvaro: utbildning, kompledighet (andel av arbetsdagar)",
    signed: false,
};
/// Hired staff's working days in the measured year.
const HIRED: MetricDef = MetricDef {
    key: "hired_staff_days",
    unit: MetricUnit::Count,
    by: &[],
    en: "Hired staff working days",
    sv: "Arbetsdagar med hyrpersonal",
    signed: false,
};

/// Booked visits whose staff member was away unplanned on the day.
const DISPLACED: MetricDef = MetricDef {
    key: "visits_displaced_by_absence",
    unit: MetricUnit::Count,
    by: &[],
    en: "Booked visits moved or rebooked for staff absence",
    sv: "Bokade besök flyttade eller ombokade vid personalfrånvaro",
    signed: false,
};

/// Every metric of staff supply, in the order they are written.
pub static METRICS: [MetricDef; 5] = [SUMMER, UNPLANNED, PLANNED, HIRED, DISPLACED];

/// Writes the staff-supply metrics: without `[supply]` only the hired
/// staff's days (when a group has hired staff or vacant posts).
pub(crate) fn write(out: &mut Out<'_>, rec: &Records) {
    let l = &rec.flows.supply;
    if !l.on {
        return;
    }
    if out.sc.supply.is_none() {
        out.put(HIRED.key, MetricUnit::Count, l.hired_days);
        return;
    }
    let total = |v: &[f64]| v.iter().sum::<f64>();
    let rostered = total(&l.rostered);
    let summer = total(&l.summer);
    let share = |x: f64, of: f64| if of > 0.0 { x / of } else { f64::NAN };
    out.put(SUMMER.key, MetricUnit::Share, share(summer, rostered));
    let weekly: BTreeMap<String, Acc> = l
        .rostered
        .iter()
        .zip(&l.summer)
        .enumerate()
        .filter(|(_, (r, _))| **r > 0.0)
        .map(|(w, (&n, &sum))| (format!("{:02}", w + 1), Acc { sum, n }))
        .collect();
    out.put_groups(SUMMER.key, MetricUnit::Share, By::Week, &weekly);
    let at_work = rostered - summer;
    out.put(
        UNPLANNED.key,
        MetricUnit::Share,
        share(total(&l.sick), at_work),
    );
    out.put(
        PLANNED.key,
        MetricUnit::Share,
        share(total(&l.planned), at_work),
    );
    out.put(HIRED.key, MetricUnit::Count, l.hired_days);
    out.put(
        DISPLACED.key,
        MetricUnit::Count,
        rec.flows.booking.ledger.displaced as f64,
    );
}
