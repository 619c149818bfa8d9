//! The metrics of the desks: the 1177 e-service inbox, the drop-in and the
//! remote doctor pool. Keys, units and labels live here only (with the
//! drop-in's `dropin_wait_over_<n>_min`, one per scenario threshold, as a
//! [`MetricFamily`]); `docs/output.md` describes them.

use crate::engine::SimTime;
use crate::metrics::{
    Acc, By, MetricDef, MetricFamily, MetricUnit, Out, new_contacts, waits_by_unit,
};
use crate::model::Records;
use crate::vocab::kinds::{Activity, Channel};

const ESERVICE_REQUESTS: MetricDef = MetricDef {
    key: "eservice_requests",
    unit: MetricUnit::Count,
    by: &[],
    en: "E-service requests (1177)",
    sv: "Ärenden via e-tjänst (1177)",
};
const ESERVICE_RESPONSE: MetricDef = MetricDef {
    key: "eservice_response_minutes_mean",
    unit: MetricUnit::Minutes,
    by: &[By::Unit],
    en: "E-service response time, mean",
    sv: "Svarstid e-tjänst, medelvärde",
};
const DROPIN_WAIT: MetricDef = MetricDef {
    key: "dropin_wait_minutes_mean",
    unit: MetricUnit::Minutes,
    by: &[By::Profession, By::Unit, By::Category],
    en: "Drop-in waiting time, mean",
    sv: "Väntetid drop-in, medelvärde",
};
const DROPIN_WAITED: MetricDef = MetricDef {
    key: "dropin_wait_probability",
    unit: MetricUnit::Share,
    by: &[],
    en: "Drop-in: share who waited",
    sv: "Drop-in: andel som fick vänta",
};
const DROPIN_QUEUE: MetricDef = MetricDef {
    key: "dropin_queue_length_mean",
    unit: MetricUnit::Count,
    by: &[],
    en: "Drop-in queue length, mean",
    sv: "Kölängd drop-in, medelvärde",
};
const DROPIN_ARRIVALS: MetricDef = MetricDef {
    key: "dropin_arrivals_per_day",
    unit: MetricUnit::Count,
    by: &[],
    en: "Drop-in arrivals per day",
    sv: "Drop-in-besökare per dag",
};
const REMOTE_EXAMS: MetricDef = MetricDef {
    key: "remote_doctor_exams",
    unit: MetricUnit::Count,
    by: &[],
    en: "Remote doctor examinations (video)",
    sv: "Undersökningar av distansläkare (video)",
};
const REMOTE_WAIT: MetricDef = MetricDef {
    key: "remote_doctor_wait_minutes_mean",
    unit: MetricUnit::Minutes,
    by: &[By::Unit],
    en: "Remote doctor: wait in the queue, mean",
    sv: "Distansläkare: väntetid i kön, medelvärde",
};
const REMOTE_TO_EXAM: MetricDef = MetricDef {
    key: "remote_doctor_time_to_assessment_minutes_mean",
    unit: MetricUnit::Minutes,
    by: &[By::Unit],
    en: "Remote doctor: time from first contact to examination, mean",
    sv: "Distansläkare: tid från första kontakt till undersökning, medelvärde",
};

/// Share of drop-in patients who waited over each threshold of
/// `dropin_wait_thresholds_minutes`.
const DROPIN_WAIT_OVER: MetricFamily = MetricFamily {
    prefix: "dropin_wait_over_",
    suffix: "_min",
    unit: MetricUnit::Share,
    en: "Drop-in: waited over {} min",
    sv: "Drop-in: väntade mer än {} min",
};

/// The desks' metric families.
pub static FAMILIES: [MetricFamily; 1] = [DROPIN_WAIT_OVER];

/// Every metric of the desks with a fixed key, in the order they are written.
pub static METRICS: [MetricDef; 9] = [
    ESERVICE_REQUESTS,
    ESERVICE_RESPONSE,
    DROPIN_WAIT,
    DROPIN_WAITED,
    DROPIN_QUEUE,
    DROPIN_ARRIVALS,
    REMOTE_EXAMS,
    REMOTE_WAIT,
    REMOTE_TO_EXAM,
];

/// Writes the e-service and drop-in metrics (their place: after the
/// telephone's).
pub(crate) fn write_inbox_and_dropin(out: &mut Out<'_>, rec: &Records) {
    eservice(out, rec);
    dropin(out, rec);
}

fn eservice(out: &mut Out<'_>, rec: &Records) {
    if out
        .sc
        .units
        .iter()
        .all(|u| u.eservice_answer_minutes.is_none())
    {
        return;
    }
    let requests = new_contacts(rec, Channel::EService).count();
    let (response, by_unit) = waits_by_unit(rec, Activity::EService);
    out.put(ESERVICE_REQUESTS.key, MetricUnit::Count, requests as f64);
    out.put(ESERVICE_RESPONSE.key, MetricUnit::Minutes, response.mean());
    out.put_indexed(
        ESERVICE_RESPONSE.key,
        MetricUnit::Minutes,
        By::Unit,
        &by_unit,
        |u| &out.sc.units[u].key,
    );
}

fn dropin(out: &mut Out<'_>, rec: &Records) {
    let observed_days =
        (rec.observed_to.saturating_since(rec.observed_from)) as f64 / SimTime::DAY as f64;
    let sc = out.sc;
    // Tallied as the contacts happened (`records::ContactTallies`).
    let t = &rec.tallies;
    let (wait, by_unit) = waits_by_unit(rec, Activity::DropIn);
    out.put(DROPIN_WAIT.key, MetricUnit::Minutes, wait.mean());
    let by_profession: Vec<Acc> = t.dropin_by_profession.iter().map(|&s| s.into()).collect();
    let by_category: Vec<Acc> = t.dropin_by_category.iter().map(|&s| s.into()).collect();
    out.put_indexed(
        DROPIN_WAIT.key,
        MetricUnit::Minutes,
        By::Profession,
        &by_profession,
        |p| &sc.professions[p].key,
    );
    out.put_indexed(
        DROPIN_WAIT.key,
        MetricUnit::Minutes,
        By::Unit,
        &by_unit,
        |u| &sc.units[u].key,
    );
    out.put_indexed(
        DROPIN_WAIT.key,
        MetricUnit::Minutes,
        By::Category,
        &by_category,
        |c| &sc.categories[c].key,
    );
    let waited = Acc::from(t.dropin_waited);
    let over: Vec<Acc> = t.dropin_over.iter().map(|&s| s.into()).collect();
    out.put(DROPIN_WAITED.key, MetricUnit::Share, waited.mean());
    for (acc, thr) in over.iter().zip(&sc.dropin_wait_thresholds_minutes) {
        out.put(
            &DROPIN_WAIT_OVER.key(thr),
            DROPIN_WAIT_OVER.unit,
            acc.mean(),
        );
    }
    let observed_s = rec.observed_to.saturating_since(rec.observed_from) as f64;
    let area: f64 = rec
        .flows
        .desks
        .iter()
        .filter(|d| d.activity == Activity::DropIn)
        .map(|d| d.queue_area)
        .sum();
    let has_dropin = sc.units.iter().any(|u| u.dropin.is_some());
    out.put(
        DROPIN_QUEUE.key,
        MetricUnit::Count,
        if has_dropin && observed_s > 0.0 {
            area / observed_s
        } else {
            f64::NAN
        },
    );
    let walk_ins = new_contacts(rec, Channel::WalkIn).count() as f64;
    out.put(
        DROPIN_ARRIVALS.key,
        MetricUnit::Count,
        if has_dropin {
            walk_ins / observed_days
        } else {
            f64::NAN
        },
    );
}

/// The shared remote doctor pool: examinations, the wait in its queue and
/// the time from first contact to the examination; by the patient's unit.
pub(crate) fn write_remote(out: &mut Out<'_>, rec: &Records) {
    let sc = out.sc;
    if sc.units.iter().all(|u| u.remote_pool.is_none()) {
        return;
    }
    let t = &rec.tallies;
    let (wait, wait_by_unit) = waits_by_unit(rec, Activity::Remote);
    let to_exam = Acc::from(t.remote_to_exam);
    let to_exam_by_unit: Vec<Acc> = t.remote_to_exam_by_unit.iter().map(|&s| s.into()).collect();
    out.put(REMOTE_EXAMS.key, MetricUnit::Count, wait.n);
    for (key, acc, g) in [
        (REMOTE_WAIT.key, &wait, &wait_by_unit),
        (REMOTE_TO_EXAM.key, &to_exam, &to_exam_by_unit),
    ] {
        out.put(key, MetricUnit::Minutes, acc.mean());
        out.put_indexed(key, MetricUnit::Minutes, By::Unit, g, |u| &sc.units[u].key);
    }
}
