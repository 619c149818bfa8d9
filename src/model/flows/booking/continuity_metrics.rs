//! The `continuity` table: named clinicians, the usual-provider-of-care
//! index and the extra days waited for continuity. Written only when some
//! unit has `[units.<u>.continuity]`; `docs/output.md` describes them.

use crate::metrics::{Acc, By, MetricDef, MetricUnit, Out};
use crate::model::Records;
use crate::scenario::spec::Scenario;

use super::continuity::{BY_AGE, BY_CATEGORY, BY_FIRST, BY_UNIT, Ratio};

const NAMED_DOCTOR: MetricDef = MetricDef {
    key: "continuity_named_doctor_share",
    unit: MetricUnit::Share,
    by: &[By::Unit, By::Category, By::Age, By::Profession],
    en: "Doctor visits with the named doctor (patients who have one)",
    sv: "Läkarbesök hos den fasta läkaren (patienter som har en)",
    signed: false,
};
const NAMED_ANY: MetricDef = MetricDef {
    key: "continuity_named_clinician_share",
    unit: MetricUnit::Share,
    by: &[By::Unit, By::Category, By::Age, By::Profession],
    en: "Visits with a named clinician (patients who have one)",
    sv: "Besök hos fast läkare eller fast vårdkontakt (patienter som har en)",
    signed: false,
};
const UPC: MetricDef = MetricDef {
    key: "continuity_index",
    unit: MetricUnit::Share,
    by: &[By::Unit, By::Category, By::Age],
    en: "Continuity index: share of a patient's visits with their usual clinician (≥ 2 visits)",
    sv: "Kontinuitetsindex: andel av patientens besök hos den vanligaste vårdgivaren (≥ 2 besök)",
    signed: false,
};
const WAITED: MetricDef = MetricDef {
    key: "continuity_waited_share",
    unit: MetricUnit::Share,
    by: &[By::Unit, By::Category, By::Age],
    en: "Bookings that waited longer for the named clinician",
    sv: "Bokningar som väntade längre på sin fasta vårdgivare",
    signed: false,
};
const EXTRA_DAYS: MetricDef = MetricDef {
    key: "continuity_extra_wait_days",
    unit: MetricUnit::Days,
    by: &[By::Unit, By::Category, By::Age],
    en: "Extra days waited for the named clinician (outside the guarantee)",
    sv: "Extra dagars väntan på fast vårdgivare (utanför vårdgarantin)",
    signed: false,
};
const LIST_SIZE: MetricDef = MetricDef {
    key: "continuity_listed_per_doctor",
    unit: MetricUnit::Count,
    by: &[By::Unit],
    en: "Patients per named doctor (list size)",
    sv: "Patienter per fast läkare (liststorlek)",
    signed: false,
};

/// Every continuity metric, in the order they are written.
pub static METRICS: [MetricDef; 6] = [NAMED_DOCTOR, NAMED_ANY, UPC, WAITED, EXTRA_DAYS, LIST_SIZE];

fn share(r: &Ratio) -> Acc {
    Acc {
        sum: r.part as f64,
        n: r.whole as f64,
    }
}

/// The key of group `i` of breakdown dimension `d`.
fn group_name(sc: &Scenario, d: usize, i: usize) -> &str {
    match d {
        BY_UNIT => &sc.units[i].key,
        BY_CATEGORY => &sc.categories[i].key,
        BY_AGE => &sc.age_groups[i].key,
        _ => &sc.professions[i].key,
    }
}

/// Writes the continuity metrics (none without continuity in the scenario).
pub(crate) fn write(out: &mut Out<'_>, rec: &Records) {
    let c = &rec.flows.booking.continuity;
    if !c.on {
        return;
    }
    let sc = out.sc;
    let name = |d: usize| move |i: usize| group_name(sc, d, i);
    let dims = [By::Unit, By::Category, By::Age, By::Profession];
    for (def, ratios) in [(&NAMED_DOCTOR, &c.named_doctor), (&NAMED_ANY, &c.named_any)] {
        let total = ratios[BY_UNIT].iter().fold(Acc::default(), |a, r| Acc {
            sum: a.sum + r.part as f64,
            n: a.n + r.whole as f64,
        });
        out.put(def.key, def.unit, total.mean());
        for d in [BY_UNIT, BY_CATEGORY, BY_AGE, BY_FIRST] {
            let groups: Vec<Acc> = ratios[d].iter().map(share).collect();
            out.put_indexed(def.key, def.unit, dims[d], &groups, name(d));
        }
    }
    let upc = |v: &[(f64, u64)]| -> Vec<Acc> {
        v.iter().map(|&(sum, n)| Acc { sum, n: n as f64 }).collect()
    };
    let by_unit = upc(&c.upc[0]);
    let all = by_unit.iter().fold(Acc::default(), |a, g| Acc {
        sum: a.sum + g.sum,
        n: a.n + g.n,
    });
    out.put(UPC.key, UPC.unit, all.mean());
    out.put_indexed(UPC.key, UPC.unit, By::Unit, &by_unit, name(BY_UNIT));
    // Within each category: a patient's visits span categories, so the
    // overall index is not split; each category has its own.
    let in_category = upc(&c.upc_in_category);
    out.put_indexed(
        UPC.key,
        UPC.unit,
        By::Category,
        &in_category,
        name(BY_CATEGORY),
    );
    out.put_indexed(UPC.key, UPC.unit, By::Age, &upc(&c.upc[1]), name(BY_AGE));
    let total = c.asked[BY_UNIT]
        .iter()
        .fold(Ratio::default(), |a, r| Ratio {
            part: a.part + r.part,
            whole: a.whole + r.whole,
        });
    if total.whole == 0 {
        // No category waits for continuity: nothing to report (not NaN).
        return write_lists(out, c);
    }
    out.put(WAITED.key, WAITED.unit, share(&total).mean());
    let extra: u64 = c.extra_s[BY_UNIT].iter().sum();
    let days = |s: u64, n: u64| Acc {
        sum: s as f64 / crate::engine::SimTime::DAY as f64,
        n: n as f64,
    };
    out.put(
        EXTRA_DAYS.key,
        EXTRA_DAYS.unit,
        days(extra, total.part).mean(),
    );
    for d in [BY_UNIT, BY_CATEGORY, BY_AGE] {
        let waited: Vec<Acc> = c.asked[d].iter().map(share).collect();
        out.put_indexed(WAITED.key, WAITED.unit, dims[d], &waited, name(d));
        let extra: Vec<Acc> = (c.extra_s[d].iter().zip(&c.asked[d]))
            .map(|(&s, r)| days(s, r.part))
            .collect();
        out.put_indexed(EXTRA_DAYS.key, EXTRA_DAYS.unit, dims[d], &extra, name(d));
    }
    write_lists(out, c);
}

/// [`LIST_SIZE`], overall and by unit.
fn write_lists(out: &mut Out<'_>, c: &super::ContinuityRecords) {
    let sc = out.sc;
    let lists: Vec<Acc> = c
        .lists
        .iter()
        .map(|&(patients, doctors)| Acc {
            sum: patients as f64,
            n: doctors as f64,
        })
        .collect();
    let all = lists.iter().fold(Acc::default(), |a, g| Acc {
        sum: a.sum + g.sum,
        n: a.n + g.n,
    });
    out.put(LIST_SIZE.key, LIST_SIZE.unit, all.mean());
    out.put_indexed(LIST_SIZE.key, LIST_SIZE.unit, By::Unit, &lists, |i| {
        group_name(sc, BY_UNIT, i)
    });
}
