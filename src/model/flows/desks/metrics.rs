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
    signed: false,
};
const ESERVICE_RESPONSE: MetricDef = MetricDef {
    key: "eservice_response_minutes_mean",
    unit: MetricUnit::Minutes,
    by: &[By::Unit],
    en: "E-service response time, mean",
    sv: "Svarstid e-tjänst, medelvärde",
    signed: false,
};
const DROPIN_WAIT: MetricDef = MetricDef {
    key: "dropin_wait_minutes_mean",
    unit: MetricUnit::Minutes,
    by: &[By::Profession, By::Unit, By::Category],
    en: "Drop-in waiting time, mean",
    sv: "Väntetid drop-in, medelvärde",
    signed: false,
};
const DROPIN_WAITED: MetricDef = MetricDef {
    key: "dropin_wait_probability",
    unit: MetricUnit::Share,
    by: &[],
    en: "Drop-in: share who waited",
    sv: "Drop-in: andel som fick vänta",
    signed: false,
};
const DROPIN_QUEUE: MetricDef = MetricDef {
    key: "dropin_queue_length_mean",
    unit: MetricUnit::Count,
    by: &[],
    en: "Drop-in queue length, mean",
    sv: "Kölängd drop-in, medelvärde",
    signed: false,
};
const DROPIN_ARRIVALS: MetricDef = MetricDef {
    key: "dropin_arrivals_per_day",
    unit: MetricUnit::Count,
    by: &[],
    en: "Drop-in arrivals per day",
    sv: "Drop-in-besökare per dag",
    signed: false,
};
const REMOTE_EXAMS: MetricDef = MetricDef {
    key: "remote_doctor_exams",
    unit: MetricUnit::Count,
    by: &[],
    en: "Remote doctor examinations (video)",
    sv: "Undersökningar av distansläkare (video)",
    signed: false,
};
const REMOTE_WAIT: MetricDef = MetricDef {
    key: "remote_doctor_wait_minutes_mean",
    unit: MetricUnit::Minutes,
    by: &[By::Unit],
    en: "Remote doctor: wait in the queue, mean",
    sv: "Distansläkare: väntetid i kön, medelvärde",
    signed: false,
};
const REMOTE_TO_EXAM: MetricDef = MetricDef {
    key: "remote_doctor_time_to_assessment_minutes_mean",
    unit: MetricUnit::Minutes,
    by: &[By::Unit],
    en: "Remote doctor: time from first contact to examination, mean",
    sv: "Distansläkare: tid från första kontakt till undersökning, medelvärde",
    signed: false,
};

/// Time in system, number in system and the wait with the patients who
/// left unserved, for one kind of desk (named by the activity serving it).
struct StayMetrics {
    activity: Activity,
    time_in_system: MetricDef,
    in_system: MetricDef,
    /// Stays over per calendar day: λ of Little's law, so that a reader
    /// can check L = λW from the figures reported.
    stays_per_day: MetricDef,
    /// Only desks where patients may leave (patience, a balking limit).
    wait_incl_left: Option<MetricDef>,
}

const STAYS: [StayMetrics; 4] = [
    StayMetrics {
        activity: Activity::DropIn,
        time_in_system: MetricDef {
            key: "dropin_time_in_system_minutes_mean",
            unit: MetricUnit::Minutes,
            by: &[],
            en: "Drop-in: time in system (joining to leaving), mean",
            sv: "Drop-in: tid i systemet (från ankomst till avslut), medelvärde",
            signed: false,
        },
        stays_per_day: MetricDef {
            key: "dropin_stays_per_day",
            unit: MetricUnit::Count,
            by: &[],
            en: "Drop-in: stays (joining to leaving) begun per day",
            sv: "Drop-in: vistelser (från kön till att patienten går) påbörjade per dag",
            signed: false,
        },
        in_system: MetricDef {
            key: "dropin_in_system_mean",
            unit: MetricUnit::Count,
            by: &[],
            en: "Drop-in: patients in system (waiting or seen), time-average",
            sv: "Drop-in: patienter i systemet (väntande eller under besök), tidsmedelvärde",
            signed: false,
        },
        wait_incl_left: Some(MetricDef {
            key: "dropin_wait_incl_left_minutes_mean",
            unit: MetricUnit::Minutes,
            by: &[],
            en: "Drop-in waiting time incl. patients who left unseen, mean",
            sv: "Väntetid drop-in inkl. patienter som gick utan besök, medelvärde",
            signed: false,
        }),
    },
    StayMetrics {
        activity: Activity::EService,
        time_in_system: MetricDef {
            key: "eservice_time_in_system_minutes_mean",
            unit: MetricUnit::Minutes,
            by: &[],
            en: "E-service: time in system (request to answer), mean",
            sv: "E-tjänst: tid i systemet (från ärende till svar), medelvärde",
            signed: false,
        },
        stays_per_day: MetricDef {
            key: "eservice_stays_per_day",
            unit: MetricUnit::Count,
            by: &[],
            en: "E-service inbox: requests received per day (stays from request to end of answer begun)",
            sv: "E-tjänstinkorg: inkomna ärenden per dag (vistelser från ärende till avslutat svar som påbörjats)",
            signed: false,
        },
        in_system: MetricDef {
            key: "eservice_in_system_mean",
            unit: MetricUnit::Count,
            by: &[],
            en: "E-service: requests in system (unanswered or being answered), time-average",
            sv: "E-tjänst: ärenden i systemet (obesvarade eller under handläggning), tidsmedelvärde",
            signed: false,
        },
        wait_incl_left: None,
    },
    StayMetrics {
        activity: Activity::Telephone,
        time_in_system: MetricDef {
            key: "phone_queue_time_in_system_minutes_mean",
            unit: MetricUnit::Minutes,
            by: &[],
            en: "Telephone hold queue: time in system (call to end of triage), mean",
            sv: "Telefonkö: tid i systemet (från samtal till avslutad triagering), medelvärde",
            signed: false,
        },
        stays_per_day: MetricDef {
            key: "phone_queue_stays_per_day",
            unit: MetricUnit::Count,
            by: &[],
            en: "Telephone hold queue: callers whose stay began per day",
            sv: "Telefonkö: uppringare vars vistelse påbörjades per dag",
            signed: false,
        },
        in_system: MetricDef {
            key: "phone_queue_in_system_mean",
            unit: MetricUnit::Count,
            by: &[],
            en: "Telephone hold queue: callers in system (holding or talking), time-average",
            sv: "Telefonkö: uppringare i systemet (i kö eller i samtal), tidsmedelvärde",
            signed: false,
        },
        wait_incl_left: Some(MetricDef {
            key: "phone_queue_wait_incl_left_minutes_mean",
            unit: MetricUnit::Minutes,
            by: &[],
            en: "Telephone hold queue: wait incl. callers who hung up, mean",
            sv: "Telefonkö: väntetid inkl. uppringare som lade på, medelvärde",
            signed: false,
        }),
    },
    StayMetrics {
        activity: Activity::Remote,
        time_in_system: MetricDef {
            key: "remote_doctor_time_in_system_minutes_mean",
            unit: MetricUnit::Minutes,
            by: &[],
            en: "Remote doctor: time in system (joining the pool to end of examination), mean",
            sv: "Distansläkare: tid i systemet (från kön till avslutad undersökning), medelvärde",
            signed: false,
        },
        stays_per_day: MetricDef {
            key: "remote_doctor_stays_per_day",
            unit: MetricUnit::Count,
            by: &[],
            en: "Remote doctor: stays begun per day",
            sv: "Distansläkare: vistelser påbörjade per dag",
            signed: false,
        },
        in_system: MetricDef {
            key: "remote_doctor_in_system_mean",
            unit: MetricUnit::Count,
            by: &[],
            en: "Remote doctor: patients in system (waiting or examined), time-average",
            sv: "Distansläkare: patienter i systemet (väntande eller under undersökning), tidsmedelvärde",
            signed: false,
        },
        wait_incl_left: None,
    },
];

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
pub static METRICS: [MetricDef; 23] = [
    ESERVICE_REQUESTS,
    ESERVICE_RESPONSE,
    DROPIN_WAIT,
    DROPIN_WAITED,
    DROPIN_QUEUE,
    DROPIN_ARRIVALS,
    REMOTE_EXAMS,
    REMOTE_WAIT,
    REMOTE_TO_EXAM,
    STAYS[0].time_in_system,
    STAYS[0].in_system,
    STAYS[0].stays_per_day,
    STAYS[0].wait_incl_left.unwrap(),
    STAYS[1].time_in_system,
    STAYS[1].in_system,
    STAYS[1].stays_per_day,
    STAYS[2].time_in_system,
    STAYS[2].in_system,
    STAYS[2].stays_per_day,
    STAYS[2].wait_incl_left.unwrap(),
    STAYS[3].time_in_system,
    STAYS[3].in_system,
    STAYS[3].stays_per_day,
];

/// Time in system and number in system at every kind of desk the scenario
/// has (Little's law, L = λW, holds between them up to the stays cut by
/// the run's ends), and at desks patients may leave, the wait with those
/// who left unserved (their wait up to leaving; balking is a wait of 0).
pub(crate) fn write_stays(out: &mut Out<'_>, rec: &Records) {
    let observed_s = rec.observed_to.saturating_since(rec.observed_from) as f64;
    for m in &STAYS {
        let mut desks = rec
            .flows
            .desks
            .iter()
            .filter(|d| d.activity == m.activity)
            .peekable();
        if desks.peek().is_none() {
            continue;
        }
        let (mut stay, mut area, mut served, mut left, mut begun) =
            (Acc::default(), 0.0, Acc::default(), Acc::default(), 0u64);
        for d in desks {
            begun += d.stays;
            stay.sum += d.stay_minutes.sum;
            stay.n += d.stay_minutes.n;
            area += d.system_area;
            served.sum += d.served_wait.sum;
            served.n += d.served_wait.n;
            left.sum += d.left_wait.sum;
            left.n += d.left_wait.n;
        }
        out.put(m.time_in_system.key, m.time_in_system.unit, stay.mean());
        out.put(
            m.in_system.key,
            m.in_system.unit,
            if observed_s > 0.0 {
                area / observed_s
            } else {
                f64::NAN
            },
        );
        out.put(
            m.stays_per_day.key,
            m.stays_per_day.unit,
            if observed_s > 0.0 {
                begun as f64 / (observed_s / 86_400.0)
            } else {
                f64::NAN
            },
        );
        if let Some(def) = &m.wait_incl_left {
            let all = Acc {
                sum: served.sum + left.sum,
                n: served.n + left.n,
            };
            out.put(def.key, def.unit, all.mean());
        }
    }
}

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
    let requests = new_contacts(rec, Channel::EService) as usize;
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
    let waited = Acc::from(t.dropin_waited.sum());
    let over: Vec<Acc> = t.dropin_over.iter().map(|s| s.sum().into()).collect();
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
    let walk_ins = new_contacts(rec, Channel::WalkIn);
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

#[cfg(test)]
mod tests {
    use super::STAYS;

    /// `*_stays_per_day` counts stays as they begin (`stay_begin`, the λ of
    /// Little's law); its labels had said "ended" and "answered".
    #[test]
    fn a_stays_per_day_label_says_begun_as_the_count_is() {
        for m in &STAYS {
            let d = &m.stays_per_day;
            for (text, begun, ended) in [
                (d.en, ["begun", "began", "received"], ["ended", "answered"]),
                (
                    d.sv,
                    ["påbörja", "påbörja", "inkomna"],
                    ["avslut", "besvarade"],
                ),
            ] {
                assert!(begun.iter().any(|w| text.contains(w)), "{}: {text}", d.key);
                assert!(
                    !ended.iter().any(|w| text.contains(&format!("{w} per"))),
                    "{}: {text}",
                    d.key
                );
            }
        }
    }
}
