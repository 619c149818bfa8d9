"""Staff and demand helpers shared by the generated Stockholm-size region
(stockholm.py): head counts per group from listed patients at the default's
ratios per 9 000 listed, the default's weeks, and the default's demand
profiles. (They came from the Jämtland Härjedalen generator, which was
retired when that region moved to `vardsim import`; docs/import.md.)

Python 3 standard library only.
"""

import math

DEFAULT_LISTED = 9000        # the default health centre
LISTED_PER_DOCTOR = 1950     # Vårdanalys 2018 (domain brief §5)

WEEKDAY_SETS = {1: "wed", 2: "tue,thu", 3: "mon,wed,fri", 4: "mon-thu", 5: "mon-fri"}


def part_time_days(fte):
    """Days a week of a part-time post worth `fte` full-time (at least one day)."""
    return WEEKDAY_SETS[max(1, min(5, round(5 * fte)))]


def shift(days, start, end, activity, slot=None, slot_type=None):
    s = f'{{ days = "{days}", start = "{start}", end = "{end}", activity = "{activity}"'
    if slot is not None:
        s += f", slot_minutes = {slot}"
    if slot_type is not None:
        s += f', slot_type = "{slot_type}"'
    return s + " }"


def group(unit, key, count, shifts, profession=None, comment=None):
    out = []
    if comment:
        out.append(f"# {comment}")
    out.append(f"[units.{unit}.staff.{key}]")
    if profession:
        out.append(f'profession = "{profession}"')
    out.append(f"count = {count}")
    out.append("shifts = [")
    out.extend(f"  {s}," for s in shifts)
    out.append("]")
    return "\n".join(out) + "\n"


def doctor_shifts(web):
    """The default's doctor week; units without web booking book the two
    evening hours as regular slots."""
    evening = "web" if web else "regular"
    return [
        shift("mon-fri", "08:00", "10:00", "visits", 30, "acute"),
        shift("mon-fri", "10:00", "12:00", "visits", 30, "regular"),
        shift("mon-fri", "13:00", "14:00", "visits", 30, "short_notice"),
        shift("mon-thu", "14:00", "15:00", "visits", 30, "regular"),
        shift("fri", "14:00", "15:00", "visits", 30, "acute"),
        shift("mon-fri", "15:00", "17:00", "visits", 30, "acute"),
        shift("tue,thu", "17:00", "18:00", "visits", 30, evening),
    ]


def staff_table(listed, kind):
    """Head counts (or days a week) per group, from the default's ratios per 9 000 listed."""
    f = listed / DEFAULT_LISTED
    if kind == "small":
        return {
            "doctor (visiting)": f"{part_time_days(listed / LISTED_PER_DOCTOR * 0.5)}",
            "district nurse": "1",
            "undersköterska": "1",
            "physiotherapist": part_time_days(2 * f),
            "counsellor": part_time_days(f),
        }
    return {
        "doctor": str(max(1, math.floor(listed / LISTED_PER_DOCTOR + 0.25))),
        "part-time doctor": doctor_part(listed / LISTED_PER_DOCTOR),
        "phone nurse": str(math.ceil(2 * f)),
        "Monday nurse": str(math.ceil(f)),
        "visit nurse": str(max(1, round(2 * f))) if 2 * f >= 0.75 else part_time_days(2 * f),
        "drop-in nurse": "1",
        "physiotherapist": str(max(1, round(2 * f))) if 2 * f >= 0.75 else part_time_days(2 * f),
        "counsellor": str(max(1, round(f))) if f >= 0.75 else part_time_days(f),
    }


def doctor_part(fte):
    """A part-time doctor for the fraction of a post that the full-time
    doctors leave (between 0.15 and 0.75 FTE), else "0"."""
    rem = fte - max(1, math.floor(fte + 0.25))
    return part_time_days(rem) if rem >= 0.15 else "0"


def count_or_days(value):
    """(count, days) from a staff_table entry: a number is a head count on
    weekdays, a day set is one part-time post."""
    if value.isdigit():
        return int(value), "mon-fri"
    return 1, value

DEMAND_COMMON = """contacts_per_listed_year = 3.0   # the default's (≈80 calls per health-centre weekday, domain brief §5)
day_cv = 0.12                     # the default's (assumption)
weekday_profile = [1.56, 1.0, 1.0, 1.0, 1.0, 0.35, 0.35]   # the default's (askmyGP)
month_profile = [1.05, 1.10, 1.08, 1.0, 0.97, 0.94, 0.92, 0.94, 1.0, 1.0, 1.0, 1.0]   # the default's
"""

PHONE_HOURS = "[0, 0, 0, 0, 0, 0, 0, 0, 2.2, 1.5, 1.1, 0.9, 0.6, 0.9, 0.7, 0.5, 0, 0, 0, 0, 0, 0, 0, 0]"
ESERVICE_HOURS = "[0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.2, 1.5, 1.5, 1.4, 1.3, 1.2, 1.3, 1.3, 1.2, 1.2, 1.2, 1.3, 1.4, 1.5, 1.3, 0.9, 0.5]"
WALKIN_HOURS = "[0, 0, 0, 0, 0, 0, 0, 0, 1.5, 1.1, 0.8, 0.6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]"
# Small units' drop-in is open 08–12 and 13–16 (the acute queue of the day).
WALKIN_HOURS_SMALL = "[0, 0, 0, 0, 0, 0, 0, 0, 1.5, 1.1, 0.8, 0.6, 0, 0.8, 0.6, 0.5, 0, 0, 0, 0, 0, 0, 0, 0]"

BOOKING = """[units.{u}.booking]
profession_neutral = {neutral}
when_full = "book_late"
short_notice_days = 3
booking_horizon_days = 42
web_horizon_days = 14
patient_chosen_share = 0.15                                      # the default's (calibrated)
patient_chosen_days = {{ dist = "uniform", min = 2, max = 21 }}  # the default's (assumption)
"""
