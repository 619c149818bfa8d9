//! One replication's metrics from its records.

use std::collections::BTreeMap;

use super::{By, MetricUnit, Observation, ReplicationMetrics};
use crate::engine::SimTime;
use crate::model::Records;
use crate::model::flows::MetricsPlace;
use crate::scenario::spec::Scenario;
use crate::vocab::kinds::{Activity, Channel, EndState};

/// Sums and counts for a share or a mean, overall and per group.
#[derive(Clone, Copy, Default)]
pub(crate) struct Acc {
    pub sum: f64,
    pub n: f64,
}

impl From<crate::model::records::Sum> for Acc {
    fn from(s: crate::model::records::Sum) -> Self {
        Acc { sum: s.sum, n: s.n }
    }
}

impl From<crate::model::records::SecondsSum> for Acc {
    /// Minutes (the seconds summed exactly, divided once).
    fn from(s: crate::model::records::SecondsSum) -> Self {
        Acc {
            sum: s.minutes(),
            n: s.n as f64,
        }
    }
}

impl Acc {
    pub fn add(&mut self, x: f64) {
        self.sum += x;
        self.n += 1.0;
    }
    pub fn mean(&self) -> f64 {
        if self.n > 0.0 {
            self.sum / self.n
        } else {
            f64::NAN
        }
    }
}

/// Collects observations in a fixed order (the order of the rows of
/// `replications.csv`).
pub(crate) struct Out<'a> {
    obs: Vec<Observation>,
    pub sc: &'a Scenario,
}

impl Out<'_> {
    pub fn put(&mut self, metric: &str, unit: MetricUnit, value: f64) {
        self.obs.push(Observation {
            metric: metric.into(),
            unit,
            by: None,
            group: String::new(),
            value,
        });
    }
    pub fn put_groups(
        &mut self,
        metric: &str,
        unit: MetricUnit,
        by: By,
        groups: &BTreeMap<String, Acc>,
    ) {
        let mut groups: Vec<(&String, &Acc)> = groups.iter().collect();
        groups.sort_by(|a, b| by.group_order(a.0, b.0));
        for (g, acc) in groups {
            self.obs.push(Observation {
                metric: metric.into(),
                unit,
                by: Some(by),
                group: g.clone(),
                value: acc.mean(),
            });
        }
    }
    /// Writes the groups of a breakdown held in an array indexed by group
    /// (unit, profession, category, …): those with values, in the order of
    /// the dimension's groups ([`By::group_order`], as `put_groups` writes
    /// a map), each named only here.
    pub fn put_indexed<'n>(
        &mut self,
        metric: &str,
        unit: MetricUnit,
        by: By,
        groups: &[Acc],
        name: impl Fn(usize) -> &'n str,
    ) {
        let mut present: Vec<usize> = (0..groups.len()).filter(|&i| groups[i].n > 0.0).collect();
        present.sort_by(|&a, &b| by.group_order(name(a), name(b)));
        for i in present {
            self.obs.push(Observation {
                metric: metric.into(),
                unit,
                by: Some(by),
                group: name(i).to_string(),
                value: groups[i].mean(),
            });
        }
    }
    /// The overall value of `metric` written before (none if it was not).
    pub fn value(&self, metric: &str) -> Option<f64> {
        self.obs
            .iter()
            .find(|o| o.by.is_none() && o.metric == metric)
            .map(|o| o.value)
    }
    pub fn unit_key(&self, u: usize) -> String {
        self.sc.units[u].key.clone()
    }
    pub fn profession_key(&self, p: usize) -> String {
        self.sc.professions[p].key.clone()
    }
}

/// Shares of a count over fixed buckets (a distribution), as a breakdown
/// `by = "days"`.
struct Buckets {
    names: &'static [&'static str],
    counts: Vec<f64>,
}

impl Buckets {
    /// Buckets `names` holding `counts`.
    fn of(names: &'static [&'static str], counts: &[u64]) -> Self {
        Buckets {
            names,
            counts: counts.iter().map(|&c| c as f64).collect(),
        }
    }
    fn put(&self, out: &mut Out<'_>, metric: &str) {
        let total: f64 = self.counts.iter().sum();
        for (name, &c) in self.names.iter().zip(&self.counts) {
            out.obs.push(Observation {
                metric: metric.into(),
                unit: MetricUnit::Share,
                by: Some(By::Days),
                group: name.to_string(),
                value: if total > 0.0 { c / total } else { f64::NAN },
            });
        }
    }
}

/// The suffix of a guarantee rule's key under the legal definition: the
/// rule with episodes whose wait the patient chose left out
/// (`exclude_patient_chosen = true`), whatever the rule's own setting.
pub const EXCLUDING_PATIENT_CHOSEN: &str = "_excluding_patient_chosen";

/// The suffix of the share of a rule's counted episodes that missed it with
/// a patient-chosen wait: no staffing can meet the rule above one minus it.
pub const MISSED_PATIENT_CHOSEN: &str = "_missed_patient_chosen";

/// Computes every metric of one replication. See `docs/output.md` for the
/// definitions.
pub fn compute(sc: &Scenario, rec: &Records) -> ReplicationMetrics {
    let mut out = Out {
        obs: Vec::new(),
        sc,
    };
    let from = rec.observed_from;
    let observed_days = (rec.observed_to.saturating_since(from)) as f64 / SimTime::DAY as f64;
    let et = &rec.episode_tallies;
    // Patient counts: every episode ends in exactly one state. New
    // contacts by category and channel: counts as group "means" (n = 1).
    // Counted in integers (`EpisodeTallies`): exact as `f64`.
    let arrived = et.arrived as f64;
    let count = |&c: &u64| Acc {
        sum: c as f64,
        n: if c > 0 { 1.0 } else { 0.0 },
    };
    let by_category: Vec<Acc> = et.by_category.iter().map(count).collect();
    let by_channel: Vec<Acc> = et.by_channel.iter().map(count).collect();
    let state = |s: EndState| et.states[s as usize] as f64;
    out.put("patients_arrived", MetricUnit::Count, arrived);
    let by_age: Vec<Acc> = et.by_age.iter().map(count).collect();
    let by_distance: Vec<Acc> = et.by_distance.iter().map(count).collect();
    for (by, groups) in [
        (By::Category, &by_category),
        (By::Channel, &by_channel),
        (By::Age, &by_age),
        (By::Distance, &by_distance),
    ] {
        out.put_indexed("patients_arrived", MetricUnit::Count, by, groups, |i| {
            group_name(sc, by, i)
        });
    }
    // First contacts moved to the telephone: only in scenarios that can
    // move any, so that others keep their rows.
    if sc.age_groups.iter().any(|a| a.digital_excluded_share > 0.0) {
        let by_age: Vec<Acc> = et.digital_excluded_by_age.iter().map(count).collect();
        let key = "patients_digital_excluded";
        out.put(key, MetricUnit::Count, by_age.iter().map(|a| a.sum).sum());
        out.put_indexed(key, MetricUnit::Count, By::Age, &by_age, |i| {
            group_name(sc, By::Age, i)
        });
    }
    let far_walk_ins = sc.units.iter().any(|u| {
        u.distance
            .as_ref()
            .is_some_and(|d| d.walk_in_to_phone.iter().any(|&s| s > 0.0))
    });
    if far_walk_ins {
        let by_band: Vec<Acc> = et.far_walk_in_by_distance.iter().map(count).collect();
        let key = "patients_far_walk_in_to_phone";
        out.put(key, MetricUnit::Count, by_band.iter().map(|a| a.sum).sum());
        out.put_indexed(key, MetricUnit::Count, By::Distance, &by_band, |i| {
            group_name(sc, By::Distance, i)
        });
    }
    for s in EndState::ALL {
        out.put(
            &format!("patients_{}", s.key()),
            MetricUnit::Count,
            state(s),
        );
    }
    let lost: f64 = EndState::ALL
        .iter()
        .filter(|s| s.is_lost())
        .map(|&s| state(s))
        .sum();
    out.put("patients_lost", MetricUnit::Count, lost);

    // Guarantee rules: each episode's outcome was tallied as it left the
    // model, in arrays indexed by group (unit, channel, category,
    // profession, age) and named only here.
    let mut compliant_3 = None;
    for (rule, t) in sc.rules.iter().zip(&et.rules) {
        let acc = |g: &Vec<crate::model::records::Sum>| -> Vec<Acc> {
            g.iter().map(|&s| Acc::from(s)).collect()
        };
        let all = Acc::from(t.all());
        let groups = t.groups().each_ref().map(acc);
        let legal = Acc::from(t.legal());
        let legal_groups = t.legal_groups().each_ref().map(acc);
        let missed_chosen = Acc::from(t.missed_chosen());
        let weekly = acc(&t.weekly());
        let monthly = t.monthly().map(Acc::from);
        out.put(&rule.key, MetricUnit::Share, all.mean());
        if rule.key == "assessment_within_3_days" {
            compliant_3 = Some(all.sum);
        }
        for (&by, g) in RULE_BREAKDOWNS.iter().zip(&groups) {
            out.put_indexed(&rule.key, MetricUnit::Share, by, g, |i| {
                group_name(sc, by, i)
            });
        }
        let weekly: BTreeMap<String, Acc> = weekly
            .into_iter()
            .enumerate()
            .filter(|(_, a)| a.n > 0.0)
            .map(|(w, a)| (format!("{:02}", w + 1), a))
            .collect();
        out.put_groups(&rule.key, MetricUnit::Share, By::Week, &weekly);
        let legal_key = format!("{}{EXCLUDING_PATIENT_CHOSEN}", rule.key);
        out.put(&legal_key, MetricUnit::Share, legal.mean());
        for (&by, g) in RULE_BREAKDOWNS.iter().zip(&legal_groups) {
            out.put_indexed(&legal_key, MetricUnit::Share, by, g, |i| {
                group_name(sc, by, i)
            });
        }
        out.put(
            &format!("{}{MISSED_PATIENT_CHOSEN}", rule.key),
            MetricUnit::Share,
            missed_chosen.mean(),
        );
        out.put_indexed(&rule.key, MetricUnit::Share, By::Month, &monthly, |m| {
            MONTHS[m]
        });
    }

    // Days from first contact to the first contact that the "3" rule (and
    // the old "7" rule) counts, among the episodes in the rule's scope that
    // had one: the official day buckets.
    let to_assessment = Acc::from(et.to_assessment.sum());
    let assessment_days = Buckets::of(&ASSESSMENT_BUCKETS, &et.assessment_days);
    let by_prof: Vec<Acc> = et
        .assessment_by_profession
        .iter()
        .map(|&s| Acc::from(s.sum()))
        .collect();
    let prof_days: Vec<Option<Buckets>> = et
        .assessment_days_by_profession
        .iter()
        .map(|b| b.as_ref().map(|c| Buckets::of(&ASSESSMENT_BUCKETS, c)))
        .collect();
    let to_doctor = Acc::from(et.to_doctor.sum());
    let doctor_days = Buckets::of(&DOCTOR_BUCKETS, &et.doctor_days);
    out.put(
        "days_to_assessment_mean",
        MetricUnit::Days,
        to_assessment.mean(),
    );
    out.put_indexed(
        "days_to_assessment_mean",
        MetricUnit::Days,
        By::Profession,
        &by_prof,
        |p| &sc.professions[p].key,
    );
    put_patient_groups(&mut out, "days_to_assessment_mean", &et.assessment_by_group);
    out.put(
        "days_to_doctor_visit_mean",
        MetricUnit::Days,
        to_doctor.mean(),
    );
    put_patient_groups(&mut out, "days_to_doctor_visit_mean", &et.doctor_by_group);
    assessment_days.put(&mut out, "days_to_assessment");
    for (p, b) in prof_days.iter().enumerate() {
        if let Some(b) = b {
            b.put(
                &mut out,
                &format!("days_to_assessment_{}", sc.professions[p].key),
            );
        }
    }
    doctor_days.put(&mut out, "days_to_doctor_visit");
    crate::model::flows::metrics(&mut out, rec, MetricsPlace::AfterDays);

    visit_counts(&mut out, rec);
    crate::model::flows::metrics(&mut out, rec, MetricsPlace::AfterVisits);
    staff_metrics(&mut out, rec, observed_days);
    cost_metrics(&mut out, rec, observed_days, compliant_3);
    crate::model::flows::metrics(&mut out, rec, MetricsPlace::AfterCost);
    weekday_hour_metrics(&mut out, rec);
    crate::model::flows::metrics(&mut out, rec, MetricsPlace::Last);

    ReplicationMetrics {
        observations: out.obs,
        events: rec.events,
    }
}

/// Writes a mean in days by patient group (category, age group, distance
/// band: `records::GROUP_*`).
fn put_patient_groups(
    out: &mut Out<'_>,
    metric: &str,
    groups: &[Vec<crate::model::records::DaysSum>; 3],
) {
    let sc = out.sc;
    for (by, g) in [By::Category, By::Age, By::Distance]
        .into_iter()
        .zip(groups)
    {
        let g: Vec<Acc> = g.iter().map(|&s| Acc::from(s.sum())).collect();
        out.put_indexed(metric, MetricUnit::Days, by, &g, |i| group_name(sc, by, i));
    }
}

// The records' patient-group tallies hold their groups in this order.
const _: () = {
    use crate::model::records::{GROUP_AGE, GROUP_CATEGORY, GROUP_DISTANCE};
    assert!(GROUP_CATEGORY == 0 && GROUP_AGE == 1 && GROUP_DISTANCE == 2);
};

/// The breakdowns of every guarantee rule besides `week`, in writing order
/// (`age` was once computed but left out of this list, and never written).
/// `distance` has groups only when a unit gives distance bands.
const RULE_BREAKDOWNS: [By; 6] = [
    By::Unit,
    By::Channel,
    By::Category,
    By::Profession,
    By::Age,
    By::Distance,
];

// The records' rule tallies hold their breakdowns in this order.
const _: () = {
    use crate::model::records::{
        RULE_AGE, RULE_CATEGORY, RULE_CHANNEL, RULE_DISTANCE, RULE_PROFESSION, RULE_UNIT,
    };
    assert!(rule_dim(By::Distance) == RULE_DISTANCE);
    assert!(rule_dim(By::Unit) == RULE_UNIT);
    assert!(rule_dim(By::Channel) == RULE_CHANNEL);
    assert!(rule_dim(By::Category) == RULE_CATEGORY);
    assert!(rule_dim(By::Profession) == RULE_PROFESSION);
    assert!(rule_dim(By::Age) == RULE_AGE);
};

/// The index of `by` in [`RULE_BREAKDOWNS`].
const fn rule_dim(by: By) -> usize {
    let mut i = 0;
    while i < RULE_BREAKDOWNS.len() {
        if RULE_BREAKDOWNS[i] as u8 == by as u8 {
            return i;
        }
        i += 1;
    }
    panic!("not a guarantee rule breakdown")
}

/// Days to a doctor's visit, by day.
const DOCTOR_BUCKETS: [&str; 9] = ["0", "1", "2", "3", "4", "5", "6", "7", "8+"];

/// The official buckets of days to a medical assessment.
const ASSESSMENT_BUCKETS: [&str; 6] = ["0", "1", "2", "3", "4-7", "8+"];

/// Group names of the month breakdown.
const MONTHS: [&str; 12] = [
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
];

/// The weekday-hours' names ("mon-08") with their index (weekday × 24 +
/// hour), in the order of the dimension's groups ([`By::group_order`]: a
/// week as it runs): made once, not for every replication's metrics.
fn weekday_hour_names() -> &'static [(String, usize)] {
    static NAMES: std::sync::LazyLock<Vec<(String, usize)>> = std::sync::LazyLock::new(|| {
        let mut names: Vec<(String, usize)> = (0..168)
            .map(|i| (format!("{}-{:02}", super::WEEKDAY_KEYS[i / 24], i % 24), i))
            .collect();
        names.sort_by(|a, b| By::WeekdayHour.group_order(&a.0, &b.0));
        names
    });
    &NAMES
}

/// New contacts per hour, staff on duty and call-backs waiting, by
/// weekday and hour of the observed period (demand against capacity).
fn weekday_hour_metrics(out: &mut Out<'_>, rec: &Records) {
    let sc = out.sc;
    let cal = &sc.calendar;
    let slot = |t: SimTime| {
        cal.weekday_at(t).index() * 24 + ((t.0 % SimTime::DAY) / SimTime::HOUR) as usize
    };
    // Observed seconds of each weekday-hour (the warm-up ends at midnight,
    // the run at the horizon).
    let mut observed = [0f64; 168];
    let (from, to) = (rec.observed_from, rec.observed_to);
    for day in from.day()..to.day().max(from.day()) {
        let d = cal.weekday(day).index();
        for h in 0..24 {
            observed[d * 24 + h] += SimTime::HOUR as f64;
        }
    }
    let total_s: f64 = observed.iter().sum();
    if total_s <= 0.0 {
        return;
    }
    let put = |out: &mut Out<'_>, metric: &str, per_slot: &[f64; 168], overall: f64| {
        out.put(metric, MetricUnit::Count, overall);
        // The observed weekday-hours, in the order every breakdown's
        // groups are written in.
        for &(ref name, i) in weekday_hour_names() {
            if observed[i] > 0.0 {
                out.obs.push(Observation {
                    metric: metric.into(),
                    unit: MetricUnit::Count,
                    by: Some(By::WeekdayHour),
                    group: name.clone(),
                    value: per_slot[i],
                });
            }
        }
    };

    // Demand: new contacts arriving in each weekday-hour, per hour.
    let arrivals = rec
        .episode_tallies
        .arrivals_by_weekday_hour
        .map(|c| c as f64);
    let n = rec.episode_tallies.arrivals_observed as f64;
    let per_hour: [f64; 168] = std::array::from_fn(|i| {
        if observed[i] > 0.0 {
            arrivals[i] / (observed[i] / 3600.0)
        } else {
            0.0
        }
    });
    put(
        out,
        "new_contacts_per_hour",
        &per_hour,
        n / (total_s / 3600.0),
    );

    // Capacity: staff members scheduled in each weekday-hour (all
    // activities), from the scenario's weekly shifts and the mobile teams'
    // crews on duty (their own staff: the team's cost counts them too).
    let mut staff = [0f64; 168];
    let mut add = |block: &crate::vocab::week::WeeklyBlock, heads: f64| {
        for d in 0..7 {
            if block.days & (1 << d) == 0 {
                continue;
            }
            for h in 0..24u32 {
                let (a, b) = (h * 3600, (h + 1) * 3600);
                let overlap = block.end_s.min(b).saturating_sub(block.start_s.max(a));
                staff[d * 24 + h as usize] += heads * overlap as f64 / 3600.0;
            }
        }
    };
    for u in &sc.units {
        for g in &u.staff {
            for (block, _) in &g.shifts {
                add(block, g.count as f64);
            }
        }
    }
    for team in &sc.mobile_teams {
        let heads: u32 = team.crew.iter().map(|&(_, n)| n).sum::<u32>() * team.crews;
        for block in &team.shifts {
            add(block, f64::from(heads));
        }
    }
    let mean_staff = staff.iter().sum::<f64>() / 168.0;
    put(out, "staff_on_duty", &staff, mean_staff);

    // Call-backs waiting: time-average number of telephone contacts
    // between the call and the call-back (or answer).
    if sc.units.iter().all(|u| u.phone.is_none()) {
        return;
    }
    let mut waiting_s = [0f64; 168];
    // Hour `i` of the week counted from the run's start is the
    // weekday-hour `slot` of the first day's weekday, 24 i hours later.
    let first = slot(SimTime::ZERO);
    for (i, seconds) in rec
        .tallies
        .phone_waiting
        .hours_of_week()
        .into_iter()
        .enumerate()
    {
        // Exact: integer seconds, far below 2^53.
        waiting_s[(first + i) % 168] += seconds as f64;
    }
    let mean_waiting: [f64; 168] = std::array::from_fn(|i| {
        if observed[i] > 0.0 {
            waiting_s[i] / observed[i]
        } else {
            0.0
        }
    });
    put(
        out,
        "callbacks_waiting_mean",
        &mean_waiting,
        waiting_s.iter().sum::<f64>() / total_s,
    );
}

/// Visits (booked and drop-in) after the warm-up, overall and by profession.
fn visit_counts(out: &mut Out<'_>, rec: &Records) {
    let sc = out.sc;
    let visits = &rec.tallies.visits;
    out.put(
        "visits",
        MetricUnit::Count,
        visits.iter().sum::<u64>() as f64,
    );
    // A count as a group "mean": sum = count, n = 1.
    let by_prof: Vec<Acc> = visits
        .iter()
        .map(|&v| Acc {
            sum: v as f64,
            n: if v > 0 { 1.0 } else { 0.0 },
        })
        .collect();
    out.put_indexed("visits", MetricUnit::Count, By::Profession, &by_prof, |p| {
        &sc.professions[p].key
    });
}

/// New contacts (not follow-ups) through `channel` after the warm-up.
pub(crate) fn new_contacts(rec: &Records, channel: Channel) -> f64 {
    rec.episode_tallies.by_channel[channel as usize] as f64
}

/// Waits in minutes for contacts of `activity` requested after the warm-up:
/// overall and by unit (indexed by unit; [`Out::put_indexed`] names them).
pub(crate) fn waits_by_unit(rec: &Records, activity: Activity) -> (Acc, Vec<Acc>) {
    let t = &rec.tallies;
    let a = activity as usize;
    (
        t.wait[a].into(),
        t.wait_by_unit.iter().map(|u| u[a].into()).collect(),
    )
}

/// The name of group `i` of a guarantee rule breakdown `by`.
fn group_name(sc: &Scenario, by: By, i: usize) -> &str {
    match by {
        By::Unit => &sc.units[i].key,
        By::Channel => Channel::ALL[i].key(),
        By::Category => &sc.categories[i].key,
        By::Profession => &sc.professions[i].key,
        By::Age => &sc.age_groups[i].key,
        By::Distance => &sc.distance_bands[i].key,
        _ => unreachable!("not a guarantee rule breakdown"),
    }
}

/// Paid hours of one full-time year: 40 h × 52 weeks (assumption): a
/// schedule of 40 h every week is one FTE, its leave and holidays paid.
const FTE_YEAR_SECONDS: f64 = 40.0 * 52.0 * 3600.0;

/// Staff cost from paid time (shifts + overtime, and the shifts of an
/// employed member's summer leave, public holidays and absence with a
/// stand-in's time for them: an FTE-year's cost is a salary, paid through
/// leave) and each profession's cost per FTE-year, per year and per
/// episode that met the "3" rule.
fn cost_metrics(out: &mut Out<'_>, rec: &Records, observed_days: f64, compliant_3: Option<f64>) {
    let sc = out.sc;
    let year = 365.0 / observed_days.max(f64::MIN_POSITIVE);
    let mut total = 0.0;
    let mut by_prof: BTreeMap<String, Acc> = BTreeMap::new();
    for l in &rec.staff {
        let p = l.profession as usize;
        let hired = if l.hired {
            sc.professions[p].hired_cost_factor
        } else {
            1.0
        };
        let cost = (l.duty_s + l.paid_leave_s + l.overtime_s) as f64 / FTE_YEAR_SECONDS
            * sc.professions[p].cost_per_fte_year_sek
            * hired;
        total += cost;
        // A sum as a group "mean": n = 1.
        by_prof
            .entry(out.profession_key(p))
            .or_insert(Acc { sum: 0.0, n: 1.0 })
            .sum += cost * year;
    }
    out.put("staff_cost_sek_per_year", MetricUnit::Sek, total * year);
    out.put_groups(
        "staff_cost_sek_per_year",
        MetricUnit::Sek,
        By::Profession,
        &by_prof,
    );
    let per_episode = match compliant_3 {
        Some(n) if n > 0.0 => total / n,
        _ => f64::NAN,
    };
    out.put(
        "cost_per_compliant_episode_sek",
        MetricUnit::Sek,
        per_episode,
    );
}

fn staff_metrics(out: &mut Out<'_>, rec: &Records, observed_days: f64) {
    let sc = out.sc;
    let np = sc.professions.len();
    let mut busy = vec![0u64; np];
    let mut paid = vec![0u64; np];
    let mut by_unit: BTreeMap<(usize, String), (u64, u64)> = BTreeMap::new();
    let mut overtime = 0u64;
    let mut duty = vec![0u64; np];
    let mut overtime_by_prof = vec![0u64; np];
    let mut activity_busy = vec![[0u64; Activity::COUNT]; np];
    for l in &rec.staff {
        for (a, b) in activity_busy[l.profession as usize]
            .iter_mut()
            .zip(&l.busy_s)
        {
            *a += b;
        }
        let b: u64 = l.busy_s.iter().sum();
        let p = l.duty_s + l.overtime_s;
        busy[l.profession as usize] += b;
        paid[l.profession as usize] += p;
        let e = by_unit
            .entry((l.profession as usize, out.unit_key(l.unit as usize)))
            .or_default();
        e.0 += b;
        e.1 += p;
        overtime += l.overtime_s;
        duty[l.profession as usize] += l.duty_s;
        overtime_by_prof[l.profession as usize] += l.overtime_s;
    }
    for p in 0..np {
        if paid[p] == 0 {
            continue;
        }
        let key = format!("utilization_{}", sc.professions[p].key);
        out.put(&key, MetricUnit::Share, busy[p] as f64 / paid[p] as f64);
        let groups: BTreeMap<String, Acc> = by_unit
            .iter()
            .filter(|((q, _), _)| *q == p)
            .map(|((_, u), &(b, d))| {
                (
                    u.clone(),
                    Acc {
                        sum: b as f64,
                        n: d as f64,
                    },
                )
            })
            .collect();
        out.put_groups(&key, MetricUnit::Share, By::Unit, &groups);
        let by_activity: BTreeMap<String, Acc> = crate::vocab::kinds::Activity::ALL
            .iter()
            .filter(|a| activity_busy[p][**a as usize] > 0)
            .map(|a| {
                (
                    a.key().to_string(),
                    Acc {
                        sum: activity_busy[p][*a as usize] as f64,
                        n: paid[p] as f64,
                    },
                )
            })
            .collect();
        out.put_groups(&key, MetricUnit::Share, By::Activity, &by_activity);
    }
    // Busy time within the schedule over the scheduled time: overtime is
    // time spent with patients past a scheduled end, so it leaves both.
    for p in 0..np {
        if duty[p] == 0 {
            continue;
        }
        out.put(
            &format!("scheduled_utilization_{}", sc.professions[p].key),
            MetricUnit::Share,
            busy[p].saturating_sub(overtime_by_prof[p]) as f64 / duty[p] as f64,
        );
    }
    let per_day = |s: u64| s as f64 / 60.0 / observed_days.max(f64::MIN_POSITIVE);
    out.put(
        "overtime_minutes_per_day",
        MetricUnit::Minutes,
        per_day(overtime),
    );
    let by_prof: Vec<Acc> = (0..np)
        .map(|p| Acc {
            sum: per_day(overtime_by_prof[p]),
            n: if paid[p] > 0 { 1.0 } else { 0.0 },
        })
        .collect();
    out.put_indexed(
        "overtime_minutes_per_day",
        MetricUnit::Minutes,
        By::Profession,
        &by_prof,
        |p| &sc.professions[p].key,
    );
}
