//! Staff supply (issue 13): vacancies, hired staff, absence, summer leave
//! and public holidays.

use super::*;
use vardsim::metrics::By;

/// Mean over replications of `metric` by week, per week group ("01"…).
fn weekly(r: &RunResults, metric: &str) -> Vec<(u32, f64)> {
    let mut sums: std::collections::BTreeMap<u32, (f64, f64)> = Default::default();
    for rep in &r.replications {
        for o in &rep.observations {
            if o.metric == metric && o.by == Some(By::Week) && o.value.is_finite() {
                let e = sums.entry(o.group.parse().unwrap()).or_default();
                e.0 += o.value;
                e.1 += 1.0;
            }
        }
    }
    sums.into_iter().map(|(w, (s, n))| (w, s / n)).collect()
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = v.fold((0.0, 0.0), |(s, n), x| (s + x, n + 1.0));
    s / n
}

#[test]
fn the_weekly_guarantee_dips_in_the_summer_weeks() {
    // The default has the summer rule (and absence and public holidays),
    // with stand-ins on the call-back line and hired summer doctors.
    // 40 replications: enough for the "3" dip below to be a check.
    let r = run(&load("scenarios/default.toml", &[]), 40, 5);
    let summer: Vec<u32> = weekly(&r, "staff_summer_leave_share")
        .into_iter()
        .filter(|&(_, s)| s > 0.05)
        .map(|(w, _)| w)
        .collect();
    // Three four-week periods: twelve summer weeks, 3 June – 25 August.
    assert_eq!(summer.len(), 12, "{summer:?}");
    assert!(summer.iter().all(|w| (23..=36).contains(w)), "{summer:?}");
    let inside_outside = |rule: &str| {
        let weeks = weekly(&r, rule);
        let inside = mean(
            weeks
                .iter()
                .filter(|(w, _)| summer.contains(w))
                .map(|x| x.1),
        );
        // The rest of the year outside the influenza weeks and Christmas.
        let outside = mean(
            weeks
                .iter()
                .filter(|(w, _)| !summer.contains(w) && (14..=50).contains(w))
                .map(|x| x.1),
        );
        (inside, outside)
    };
    // "3" dips (books of staff on leave). No published weekly or monthly
    // "3" series sizes the dip (docs/calibration.md § Known gaps): the test
    // keeps its direction. About 1.5 points over the twelve weeks (1.4 ±
    // 0.4 at seed 5, 100 replications; 1.7 ± 0.7 in these 40): the
    // therapists' patients go elsewhere more in summer, so fewer of their
    // long waits count (docs/calibration.md § Seasons). It was sized at 2
    // points when the public holidays of a leap year fell a weekday early
    // (Midsummer Day closed a Friday of June: 2.5 ± 0.5 in the same run);
    // a replication's dip varies by about 2.5 points, so 40 replications
    // put zero more than four standard errors below it …
    let (inside, outside) = inside_outside("assessment_within_3_days");
    assert!(
        inside < outside,
        "\"3\": summer weeks {inside:.3}, spring and autumn {outside:.3}"
    );
    // … "0" does not fall by more than the published series' summer dip
    // (Jämtland Härjedalen: about 4 points in August): stand-ins work 9 of
    // 10 of the telephone nurses' leave days (`summer_cover`) and summer
    // demand is lower. Before the cover rule the line lost a nurse for
    // eight weeks and "0" collapsed (issue 13); with full cover it rose in
    // summer (tests/it/calibration.rs keeps the dip).
    let (inside, outside) = inside_outside("contact_same_day");
    assert!(
        inside > outside - 0.04,
        "\"0\": summer weeks {inside:.3}, spring and autumn {outside:.3}"
    );
}

#[test]
fn absence_comes_at_the_professions_rates() {
    let r = run(
        &load("scenarios/methods/summer.toml", &["supply.absence=true"]),
        4,
        6,
    );
    let unplanned = metric(&r, "staff_unplanned_absence_share").mean;
    let planned = metric(&r, "staff_planned_absence_share").mean;
    // Built-in rates: sick 2 % (doctors) or 3.5 %, sick child 1 %; planned
    // 4 % (doctors) or 2 %, each a share of all the working time.
    assert!((0.03..0.05).contains(&unplanned), "unplanned {unplanned}");
    assert!((0.02..0.035).contains(&planned), "planned {planned}");
    assert!(metric(&r, "visits_displaced_by_absence").mean > 50.0);
    let off = run(
        &load("scenarios/methods/summer.toml", &["supply.absence=false"]),
        2,
        6,
    );
    assert_eq!(metric(&off, "staff_unplanned_absence_share").mean, 0.0);
    assert_eq!(metric(&off, "visits_displaced_by_absence").mean, 0.0);
}

#[test]
fn high_absence_rates_come_out_as_given() {
    // An audit's finding: a spell's start day was counted twice in the
    // gaps between spells, so 40 % sick leave came out 46 %; and planned
    // absence was drawn only on the days not away unplanned, so 30 % came
    // out 16 %. Each share is of all the working time (docs/scenario.md).
    let mut sets = vec!["supply.absence=true".to_string()];
    for p in [
        "doctor",
        "district_nurse",
        "assistant_nurse",
        "physiotherapist",
        "psychologist",
        "counsellor",
    ] {
        sets.push(format!("professions.{p}.sick_leave_share=0.3"));
        sets.push(format!("professions.{p}.child_care_share=0.1"));
        sets.push(format!("professions.{p}.planned_absence_share=0.3"));
    }
    let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
    let r = run(&load("scenarios/methods/summer.toml", &sets), 2, 6);
    let unplanned = metric(&r, "staff_unplanned_absence_share").mean;
    let planned = metric(&r, "staff_planned_absence_share").mean;
    assert!((0.37..0.43).contains(&unplanned), "unplanned {unplanned}");
    assert!((0.27..0.33).contains(&planned), "planned {planned}");
}

#[test]
fn vacancies_remove_staff_and_hired_staff_cost_more() {
    let short = load("scenarios/doctor-short.toml", &[]);
    let r = run(&short, 2, 7);
    // Hired doctor: 12 + 8 + 6 weeks of weekdays (≈ 129 days, less the
    // public holidays inside them; the unit's own hired list replaces the
    // default's summer doctors).
    let hired = metric(&r, "hired_staff_days").mean;
    assert!((120.0..140.0).contains(&hired), "hired days {hired}");
    // Without the hired doctors the unit has fewer doctor visits still.
    let none = run(
        &load(
            "scenarios/doctor-short.toml",
            &["units.vc.staff.doctor.hired=[]"],
        ),
        2,
        7,
    );
    let visits = |r: &RunResults| {
        r.replications[0]
            .observations
            .iter()
            .find(|o| o.metric == "visits" && o.group == "doctor")
            .map(|o| o.value)
            .unwrap()
    };
    assert!(visits(&none) < visits(&r));
    // Cost: a hired doctor's paid time costs twice an employed one's.
    let cost = |r: &RunResults| {
        r.replications[0]
            .observations
            .iter()
            .find(|o| o.metric == "staff_cost_sek_per_year" && o.group == "doctor")
            .map(|o| o.value)
            .unwrap()
    };
    let premium = cost(&r) - cost(&none);
    let hired_fte = 120.0 / 260.0 / 2.0; // under half a doctor-year, halved for safety
    let employed = 85_000.0 * 12.0 * 1.45;
    assert!(
        premium > 1.5 * employed * hired_fte,
        "premium {premium} for {hired_fte} FTE"
    );
}

#[test]
fn both_absence_policies_conserve_patients() {
    for sets in [
        &["supply.on_absence=\"rebook\""][..],
        &[
            "supply.on_absence=\"colleague\"",
            "units.vc.staff.doctor.vacant=3",
        ][..],
    ] {
        // Doctor-short's vacancies under the summer preset's supply rule.
        let sets: Vec<&str> = ["units.vc.staff.doctor.vacant=2", "supply.absence=true"]
            .iter()
            .chain(sets)
            .copied()
            .collect();
        let r = run(&load("scenarios/methods/summer.toml", &sets), 2, 8);
        let get = |k: &str| per_replication(&r, k);
        for i in 0..2 {
            let ended: f64 = [
                "completed",
                "lost",
                "in_system_at_end",
                "self_care",
                "emergency_dept",
                "no_show",
                "cancelled",
                "went_elsewhere",
            ]
            .iter()
            .map(|s| get(&format!("patients_{s}"))[i])
            .sum();
            assert_eq!(get("patients_arrived")[i], ended, "{sets:?}");
        }
        let displaced = metric(&r, "visits_displaced_by_absence").mean;
        assert!(displaced > 0.0, "{sets:?}: displaced {displaced}");
    }
}

#[test]
fn summer_cover_without_a_stand_in_is_refused_with_its_location() {
    // The doctors have no `cover`: a share of their leave worked by a
    // stand-in means nothing, and is refused rather than ignored.
    let err = Scenario::load(
        Some(&root().join("scenarios/default.toml")),
        &["units.vc.staff.doctor.summer_cover=0.5".to_string()],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("units.vc.staff.doctor.summer_cover"), "{err}");
    assert!(err.contains("cover = true"), "{err}");
    // A share outside 0–1 is refused by its type.
    let err = Scenario::load(
        Some(&root().join("scenarios/default.toml")),
        &["units.vc.staff.nurse_phone.summer_cover=1.5".to_string()],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("summer_cover"), "{err}");
}

#[test]
fn unfilled_posts_beyond_the_count_are_refused_with_their_location() {
    let err = Scenario::load(
        Some(&root().join("scenarios/doctor-short.toml")),
        &["units.vc.staff.doctor.vacant=6".to_string()],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("units.vc.staff.doctor.vacant"), "{err}");
    assert!(err.contains("at most count (5)"), "{err}");
}

#[test]
fn a_method_preset_applies_to_another_base() {
    let base = root().join("scenarios/doctor-short.toml");
    let web = Scenario::load_over(
        &root().join("scenarios/methods/web-booking-40.toml"),
        Some(&base),
        &[],
    )
    .unwrap();
    assert_eq!(web.name, "web-booking-40");
    let doctors = web.units[0]
        .staff
        .iter()
        .find(|g| g.key == "doctor")
        .unwrap();
    // The unit's vacancies and hired doctors, the method's slot types.
    assert_eq!(doctors.vacant, 2);
    assert_eq!(doctors.hired.len(), 3);
    let on_default = load("scenarios/methods/web-booking-40.toml", &[]);
    let d = on_default.units[0]
        .staff
        .iter()
        .find(|g| g.key == "doctor")
        .unwrap();
    assert_eq!(doctors.visit_slots, d.visit_slots);
    assert_eq!(d.vacant, 0);
}

#[test]
fn a_planned_visit_moved_by_an_absence_stays_with_its_profession() {
    // A planned visit or follow-up whose clinician is away (with no
    // colleague free that day) was booked again as if it were a new
    // contact: doctors-only booking moved district nurses' planned
    // check-ups to doctors (135 in one year of the default with the
    // doctors' own planned checks off), and some drew a patient-chosen
    // later time. With the doctors' planned checks off, every chronic-care
    // visit is a nurse's planned check-up.
    let s = load(
        "scenarios/default.toml",
        &["units.vc.planned.doctor_annual_check.visits_per_listed_year=0"],
    );
    let rec = vardsim::model::simulate(&s, 1, 0);
    let (doctor, nurse) = (
        s.profession("doctor").unwrap(),
        s.profession("district_nurse").unwrap(),
    );
    let chronic_care = |c: &vardsim::model::records::ContactRecord| {
        s.categories[rec.episodes[c.patient.0 as usize].category.index()].key == "chronic_care"
    };
    let visits: Vec<_> = rec
        .contacts
        .iter()
        .filter(|c| c.activity == vardsim::vocab::kinds::Activity::Visits && chronic_care(c))
        .collect();
    assert!(visits.len() > 10_000, "{} planned check-ups", visits.len());
    assert!(visits.iter().all(|c| c.profession == nurse));
    assert!(!visits.iter().any(|c| c.profession == doctor));
    let chose = rec
        .episodes
        .iter()
        .filter(|e| e.follow_up && e.patient_chosen_on.is_some())
        .count();
    assert_eq!(
        chose, 0,
        "a planned visit never draws a patient-chosen time"
    );
    // Absences did move visits: what the test is about happened.
    assert!(
        rec.flows.booking.ledger.displaced > 100,
        "{}",
        rec.flows.booking.ledger.displaced
    );
}

#[test]
fn a_public_holiday_brings_no_walk_ins_even_where_the_drop_in_opens_on_saturdays() {
    // An audit's finding: with a Saturday drop-in (the preset), a public
    // holiday got a Saturday's walk-ins although the unit is closed and
    // nobody works: they reneged or waited for another day, and the
    // preset's "no new demand" showed ≈30 more new contacts a year.
    let sc = load("scenarios/methods/saturday-district-nurse.toml", &[]);
    let closed = &sc.supply.as_ref().expect("the default's [supply]").closed;
    assert!(!closed.is_empty());
    let is_closed = |t: vardsim::engine::SimTime| sc.closed_on(t.day());
    let rec = vardsim::model::simulate(&sc, 1, 0);
    let walk_ins = || {
        rec.episodes
            .iter()
            .filter(|e| e.channel == vardsim::vocab::kinds::Channel::WalkIn && !e.follow_up)
    };
    assert!(walk_ins().count() > 1000, "walk-ins at all");
    let on_holidays: Vec<_> = walk_ins().filter(|e| is_closed(e.arrived)).collect();
    assert!(
        on_holidays.is_empty(),
        "{} walk-ins on closed days",
        on_holidays.len()
    );
    // The online channels still get a Saturday's demand on a holiday.
    let online = rec
        .episodes
        .iter()
        .filter(|e| e.channel == vardsim::vocab::kinds::Channel::EService && is_closed(e.arrived))
        .count();
    assert!(online > 0, "e-service requests on holidays");
}

#[test]
fn an_employed_members_leave_is_paid_so_a_full_schedule_costs_its_fte_year() {
    // An audit's finding: the staff cost counted only the days at work, so
    // with `[supply]` every employed member's summer leave, public holidays
    // and absence were left out of the payroll (the default's psychologist,
    // 0.81 FTE at 835 200 SEK a year, cost 590 608 instead of ≈ 678 600).
    let sc = load("scenarios/default.toml", &[]);
    let r = run(&sc, 2, 3);
    let measured = f64::from(sc.horizon_days - sc.warmup_days);
    let value = |metric: &str, p: &str| {
        r.replications[0]
            .observations
            .iter()
            .find(|o| o.metric == metric && o.group == p)
            .map(|o| o.value)
            .unwrap()
    };
    let mut checked = 0;
    for p in [
        "psychologist",
        "counsellor",
        "physiotherapist",
        "assistant_nurse",
    ] {
        let id = sc.profession(p).unwrap();
        let groups: Vec<_> = sc
            .units
            .iter()
            .flat_map(|u| &u.staff)
            .filter(|g| g.profession == id)
            .collect();
        // Employed all year, no stand-in, no hired staff: one salary each.
        assert!(
            groups
                .iter()
                .all(|g| g.dated.is_empty() && g.hired.is_empty() && !g.cover && g.vacant == 0)
        );
        let weekly_h: f64 = groups
            .iter()
            .map(|g| {
                f64::from(g.count)
                    * g.shifts
                        .iter()
                        .map(|(b, _)| {
                            f64::from(b.end_s - b.start_s) / 3600.0 * f64::from(b.days.count_ones())
                        })
                        .sum::<f64>()
            })
            .sum();
        let salary = weekly_h / 40.0 * sc.professions[id.index()].cost_per_fte_year_sek;
        // The measured weeks' shifts scaled to 365 days, and any overtime.
        let overtime = value("overtime_minutes_per_day", p) * 365.0 / 60.0 / (40.0 * 52.0)
            * sc.professions[id.index()].cost_per_fte_year_sek;
        let expected =
            salary * (measured / 7.0).floor() * 7.0 / measured * 365.0 / 364.0 + overtime;
        let cost = value("staff_cost_sek_per_year", p);
        assert!(
            (cost / expected - 1.0).abs() < 0.01,
            "{p}: {cost:.0} SEK a year against {expected:.0} for {:.2} FTE",
            weekly_h / 40.0
        );
        checked += 1;
    }
    assert_eq!(checked, 4);
    // A covered group's stand-ins are paid on top of the members' leave:
    // the district nurses (telephone and drop-in covered) cost more than
    // their salaries.
    let id = sc.profession("district_nurse").unwrap();
    let fte: f64 = sc.units[0]
        .staff
        .iter()
        .filter(|g| g.profession == id)
        .map(|g| {
            f64::from(g.count)
                * g.shifts
                    .iter()
                    .map(|(b, _)| {
                        f64::from(b.end_s - b.start_s) / 3600.0 / 40.0
                            * f64::from(b.days.count_ones())
                    })
                    .sum::<f64>()
        })
        .sum();
    let salaries = fte * sc.professions[id.index()].cost_per_fte_year_sek;
    assert!(value("staff_cost_sek_per_year", "district_nurse") > salaries * 1.02);
}

#[test]
fn absence_shares_beyond_all_of_the_working_time_are_refused() {
    // An audit's finding: 0.7 + 0.6 of the working time away ran without a
    // word (95 % kept away, every doctor off every day). Up to 1 is legal.
    let load = |sets: &[&str]| {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        Scenario::load(Some(&root().join("scenarios/default.toml")), &sets)
    };
    let err = load(&[
        "professions.doctor.sick_leave_share=0.7",
        "professions.doctor.child_care_share=0.6",
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("professions.doctor"), "{err}");
    assert!(err.contains("at most 1"), "{err}");
    load(&[
        "professions.doctor.sick_leave_share=0.5",
        "professions.doctor.child_care_share=0.3",
        "professions.doctor.planned_absence_share=0.2",
    ])
    .unwrap();
}

#[test]
fn a_named_doctor_share_with_every_doctor_post_vacant_is_warned() {
    // An audit's finding: `named_doctor_share = 0.3` with all six posts
    // vacant named nobody, and the continuity shares came out "–" silently.
    let warned = |sets: &[&str]| -> Vec<String> {
        load("scenarios/default.toml", sets)
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let w = warned(&["units.vc.staff.doctor.vacant=6"]);
    assert!(
        w.iter()
            .any(|w| w.contains("units.vc.continuity.named_doctor_share")
                && w.contains("no employed `doctor`")),
        "{w:?}"
    );
    // One doctor at work names the share: no such warning.
    let w = warned(&["units.vc.staff.doctor.vacant=5"]);
    assert!(!w.iter().any(|w| w.contains("continuity")), "{w:?}");
}

#[test]
fn overlapping_hired_ranges_are_refused_with_their_location() {
    // An audit's finding: a second hire in the same weeks added nobody
    // (the larger count was taken), without a word.
    let err = Scenario::load(
        Some(&root().join("scenarios/default.toml")),
        &[r#"units.vc.staff.doctor.hired=[{from="03-01",to="03-31",count=1},{from="03-15",to="04-15",count=1}]"#.to_string()],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("units.vc.staff.doctor.hired[1]"), "{err}");
    assert!(err.contains("overlap"), "{err}");
    // Ranges side by side, and one wrapping the year end, are fine.
    load(
        "scenarios/default.toml",
        &[
            r#"units.vc.staff.doctor.hired=[{from="12-01",to="01-31",count=1},{from="02-01",to="03-31",count=2}]"#,
        ],
    );
}

#[test]
fn without_supply_no_leave_or_absence_share_is_written() {
    // An audit's finding: a scenario without `[supply]` but with hired
    // doctors wrote "staff on summer leave 0.0 %" and the absence shares as
    // if measured (docs/output.md: only with `[supply]`). The hired staff's
    // days are still theirs.
    let text = std::fs::read_to_string(root().join("scenarios/default.toml")).unwrap();
    let (i, j) = (
        text.find("[supply]").unwrap(),
        text.find("[units.vc]").unwrap(),
    );
    let without = format!("{}{}", &text[..i], &text[j..]);
    let r = run(
        &parse(
            &without,
            &["simulation.horizon_days=120", "simulation.warmup_days=30"],
        ),
        1,
        1,
    );
    let written = |key: &str| {
        r.replications[0]
            .observations
            .iter()
            .any(|o| o.metric == key && o.by.is_none())
    };
    for key in [
        "staff_summer_leave_share",
        "staff_unplanned_absence_share",
        "staff_planned_absence_share",
        "visits_displaced_by_absence",
    ] {
        assert!(!written(key), "{key} written without [supply]");
    }
    assert!(written("hired_staff_days"));
}

#[test]
fn a_summer_that_reaches_past_the_year_end_gives_everyone_their_weeks() {
    // An audit's finding: six periods of eight weeks from 3 June run into
    // the next spring; the periods past the year end fell after the run,
    // and the year before was never laid out, so a third of the staff took
    // no leave in the measured year (9 % on leave instead of about 15 %).
    let r = run(
        &load(
            "scenarios/methods/summer.toml",
            &[
                "supply.summer_weeks=8",
                "supply.summer_periods=6",
                "supply.absence=false",
            ],
        ),
        1,
        1,
    );
    let share = metric(&r, "staff_summer_leave_share").mean;
    // Eight weeks of about 250 weekdays that are not holidays.
    assert!((0.145..0.17).contains(&share), "summer leave {share}");
}

#[test]
fn the_third_next_available_time_is_sampled_on_working_days_not_on_closed_holidays() {
    // Regions measure the third next available time (`tredje nästa lediga
    // tid`) on working days; a closed public holiday read its book from
    // the next working day, not the day's own.
    let sc = load("scenarios/default.toml", &[]);
    let rec = vardsim::model::simulate(&sc, 1, 0);
    let access = &rec.flows.booking.access;
    assert!(!access.is_empty(), "samples at all");
    let holidays: Vec<u32> = access
        .iter()
        .filter(|s| sc.closed_on(s.day as u64))
        .map(|s| s.day)
        .collect();
    assert!(holidays.is_empty(), "samples on closed days {holidays:?}");
    assert!(access.iter().all(|s| sc.is_working_day(s.day as u64)));
}
