#!/usr/bin/env python3
"""Writes scenarios/regions/jamtland-harjedalen.toml from the table of units below.

    python3 scripts/regions/jamtland.py            # writes the scenario
    python3 scripts/regions/jamtland.py --check    # exits 1 if the file is stale

Python 3 standard library only. The case mix (categories) and the simulation
settings are copied verbatim from scenarios/default.toml, so the region
stays calibrated like the default; everything else is generated here and
documented in the scenario's header.
"""

import math
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "scenarios" / "regions" / "jamtland-harjedalen.toml"
DEFAULT = ROOT / "scenarios" / "default.toml"

# Key, display name, listed, km east and north of Östersund (from the towns'
# latitude/longitude: 1° latitude = 111 km, 1° longitude at 63° N = 50 km),
# mobile-team area, type. Listed figures are assumptions chosen so that the
# region has 132 800 listed (SCB 2024: 132 839 inhabitants), about half of
# them at seven health centres in Östersund town (domain brief §5:
# "half the population in Östersund"); the rest in 20 units spread over
# ≈49 000 km². Type: "town" = Östersund, "rural" = a unit with its own
# doctors, "small" = fewer than 2 000 listed, no doctor on site most days:
# acute patients see the shared remote doctor (virtuellt akutrum).
UNITS = [
    # key            name                          listed   x     y   area          type
    ("odensala",     "Odensala hälsocentral",       11000,   2,    0, "ostersund",  "town"),
    ("lugnvik",      "Lugnviks hälsocentral",       10500,  -1,    4, "ostersund",  "town"),
    ("zgruppen",     "Z-gruppens hälsocentral",      9500,   1,    1, "ostersund",  "town"),
    ("torvalla",     "Torvalla hälsocentral",        9000,   4,   -4, "ostersund",  "town"),
    ("froso",        "Frösö hälsocentral",          10500,  -5,   -1, "ostersund",  "town"),
    ("brittsbo",     "Brittsbo hälsocentral",        8500,   0,   -3, "ostersund",  "town"),
    ("kronan",       "Kronans hälsocentral",         7500,   0,    2, "ostersund",  "town"),
    ("brunflo",      "Brunflo hälsocentral",         7100,   9,  -11, "ostersund",  "rural"),
    ("lit",          "Lits hälsocentral",            4000,  11,   16, "ostersund",  "rural"),
    ("krokom",       "Krokoms hälsocentral",         9000, -10,   17, "ostersund",  "rural"),
    ("nalden",       "Näldens hälsocentral",         2500, -20,   19, "ostersund",  "rural"),
    ("stromsund",    "Strömsunds hälsocentral",      6500,  46,   74, "norr",       "rural"),
    ("hammerdal",    "Hammerdals hälsocentral",      2800,  36,   46, "norr",       "rural"),
    ("hoting",       "Hotings hälsocentral",         1500,  79,  103, "norr",       "small"),
    ("gaddede",      "Gäddede hälsocentral",         1000, -25,  147, "norr",       "small"),
    ("follinge",     "Föllinge hälsocentral",        1800,  -1,   54, "norr",       "small"),
    ("jarpen",       "Järpens hälsocentral",         4500, -59,   19, "vast",       "rural"),
    ("are",          "Åre hälsocentral",             3800, -79,   24, "vast",       "rural"),
    ("svenstavik",   "Svenstaviks hälsocentral",     3000, -11,  -46, "berg",       "rural"),
    ("myrviken",     "Myrvikens hälsocentral",       1500, -15,  -21, "berg",       "small"),
    ("sveg",         "Svegs hälsocentral",           5000, -14, -128, "harjedalen", "rural"),
    ("hede",         "Hede hälsocentral",            1600, -57,  -84, "harjedalen", "small"),
    ("funasdalen",   "Funäsdalens hälsocentral",     2200, -105, -71, "harjedalen", "rural"),
    ("bracke",       "Bräcke hälsocentral",          3200,  39,  -48, "ost",        "rural"),
    ("kalarne",      "Kälarne hälsocentral",         1200,  73,  -22, "ost",        "small"),
    ("hammarstrand", "Hammarstrands hälsocentral",   3000,  86,   -9, "ost",        "rural"),
    ("stugun",       "Stuguns hälsocentral",         1100,  48,   -1, "ost",        "small"),
]

# Units whose appointment book has web slots (webbtidbok): 7 of 27 (26 %);
# the seeds' Table 2 counts 9 of 40 Jämtland Härjedalen units that let
# patients book (003_…txt L1398–1428).
WEB_UNITS = {"odensala", "lugnvik", "zgruppen", "froso", "kronan", "brunflo", "krokom"}

# The unit hosting the shared remote doctor (virtuellt akutrum, 003_…txt L1970–1980).
REMOTE_HOST = "odensala"

# Mobile-team areas: base unit, crews, road speed (km/h). Assumptions:
# Östersund's team drives mostly in town and on the E14/E45 near it; the
# others on rural roads.
AREAS = {
    "ostersund":  ("Mobilt team Östersund",   "odensala",   5, 45),
    "norr":       ("Mobilt team Norr",        "stromsund",  2, 70),
    "vast":       ("Mobilt team Väst",        "jarpen",     1, 70),
    "berg":       ("Mobilt team Berg",        "svenstavik", 1, 70),
    "harjedalen": ("Mobilt team Härjedalen",  "sveg",       1, 70),
    "ost":        ("Mobilt team Öst",         "bracke",     1, 70),
}

# Radius of a unit's catchment around its centre, km (assumption): homes are
# spread over four places at this distance east, west, north and south plus
# the centre.
RADIUS_KM = {"town": 3, "rural": 12, "small": 20}

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

FLOWS = """[units.{u}.phone]
mode = "callback"
hours = [{{ days = "mon-fri", start = "08:00", end = "16:00" }}]
callback_slot_minutes = 10
triage_minutes = {{ dist = "lognormal", mean = 6.6, sd = 3.8 }}   # ESTEEM RCT, Lancet 2014

[units.{u}.eservice]
answer_minutes = {{ dist = "lognormal", mean = 6, sd = 3 }}        # the default's (assumption)
"""

BOOKING = """[units.{u}.booking]
profession_neutral = {neutral}
when_full = "book_late"
short_notice_days = 3
booking_horizon_days = 42
web_horizon_days = 14
patient_chosen_share = 0.15                                      # the default's (calibrated)
patient_chosen_days = {{ dist = "uniform", min = 2, max = 21 }}  # the default's (assumption)
"""


def unit_block(key, name, listed, kind):
    web = key in WEB_UNITS
    small = kind == "small"
    t = staff_table(listed, kind)
    out = [f"# ---- {name}: {listed} listed, {kind}{', web booking' if web else ''} ----"]
    out.append(f'[units.{key}]\nname = "{name}"\nlisted = {listed}\n')
    out.append(f"[units.{key}.demand]\n{DEMAND_COMMON}")
    phone_share = 0.75 + (0.0 if web else 0.05)
    walk_share = 0.08
    if small:
        # Assumption: with an open acute drop-in all day, 4 points of the
        # phone share walk in instead.
        phone_share -= 0.04
        walk_share += 0.04
    out.append(f"[units.{key}.demand.phone]\nshare = {phone_share:.2f}"
               + ("" if web else "   # the default's 0.75 + its 0.05 web share: no web booking here")
               + f"\nhour_profile = {PHONE_HOURS}\n")
    out.append(f"[units.{key}.demand.eservice]\nshare = 0.12\nhour_profile = {ESERVICE_HOURS}\n")
    if web:
        out.append(f"[units.{key}.demand.web_booking]\nshare = 0.05   # the default's\n")
    out.append(f"[units.{key}.demand.walk_in]\nshare = {walk_share:.2f}\n"
               f"hour_profile = {WALKIN_HOURS_SMALL if small else WALKIN_HOURS}\n")
    out.append(FLOWS.format(u=key))
    out.append(BOOKING.format(u=key, neutral="true" if small else "false"))
    if small:
        out.append(
            f"""[units.{key}.dropin]
# The virtual emergency room (003_…txt L1970–1980): the undersköterska
# triages walk-ins; acute cases see the shared remote doctor by video with
# her at the camera cart; others get a booked time.
hours = [{{ days = "mon-fri", start = "08:00", end = "12:00" }}, {{ days = "mon-fri", start = "13:00", end = "16:00" }}]
at_closing = "book"
professions = ["doctor"]          # only a doctor sees drop-in patients: none on site, so the remote doctor
triage_minutes = {{ dist = "lognormal", mean = 4, sd = 2 }}   # assumption: local triage
triage_by = ["assistant_nurse"]
remote_doctor = "{REMOTE_HOST}"
patience_minutes = {{ dist = "exponential", mean = 120 }}      # assumption
"""
        )
        out.append(group(key, "nurse", 1, [
            shift("mon-fri", "08:00", "10:00", "telephone"),
            shift("mon-fri", "10:00", "11:30", "visits", 20, "acute"),
            shift("mon-fri", "11:30", "12:00", "eservice"),
            shift("mon-fri", "13:00", "14:00", "telephone"),
            shift("mon-fri", "14:00", "15:00", "visits", 20),
            shift("mon-fri", "15:00", "15:30", "eservice"),
            shift("mon-fri", "15:30", "16:00", "telephone"),
        ], profession="district_nurse", comment="One district nurse: telephone, visits and e-service."))
        out.append(group(key, "assistant", 1, [
            shift("mon-fri", "08:00", "12:00", "dropin"),
            shift("mon-fri", "13:00", "16:00", "dropin"),
        ], profession="assistant_nurse",
            comment="One undersköterska on the drop-in: triage, and assists the remote doctor's examinations."))
        doc_days = t["doctor (visiting)"]
        out.append(group(key, "doctor", 1, [
            shift(doc_days, "08:00", "12:00", "visits", 30, "regular"),
            shift(doc_days, "13:00", "16:00", "visits", 30, "short_notice"),
        ], comment="A visiting doctor (assumption: half the default's doctor hours per listed; the remote doctor covers acute cases)."))
    else:
        out.append(
            f"""[units.{key}.dropin]
hours = [{{ days = "mon-fri", start = "08:00", end = "11:00" }}]   # the default's
at_closing = "see_all"
patience_minutes = {{ dist = "exponential", mean = 90 }}          # the default's (assumption)
"""
        )
        n, days = count_or_days(t["doctor"])
        part = t["part-time doctor"]
        out.append(group(key, "doctor", n, doctor_shifts(web),
                         comment=f"≈1 950 listed per doctor (Vårdanalys 2018): {listed} / 1 950 = {listed / LISTED_PER_DOCTOR:.2f} FTE → {n}"
                         + ("." if part == "0" else f" full-time + one part-time ({part}).")))
        if part != "0":
            out.append(group(key, "doctor_part_time", 1,
                             [s.replace('"mon-fri"', f'"{part}"').replace('"mon-thu"', f'"{part}"')
                              for s in doctor_shifts(web)[:4]] + [shift(part, "15:00", "17:00", "visits", 30, "acute")],
                             profession="doctor"))
        n, _ = count_or_days(t["phone nurse"])
        out.append(group(key, "nurse_phone", n, [
            shift("mon-fri", "08:00", "12:00", "telephone"),
            shift("mon-fri", "13:00", "16:00", "telephone"),
        ], profession="district_nurse"))
        n = int(t["Monday nurse"])
        if n > 0:
            out.append(group(key, "nurse_monday", n, [
                shift("mon", "08:00", "11:00", "telephone"),
                shift("mon", "11:00", "12:00", "visits", 20),
                shift("tue-fri", "08:00", "12:00", "visits", 20),
                shift("mon-fri", "13:00", "16:00", "visits", 20),
            ], profession="district_nurse"))
        n, days = count_or_days(t["visit nurse"])
        out.append(group(key, "nurse_visits", n, [
            shift(days, "08:00", "12:00", "visits", 20, "acute"),
            shift(days, "13:00", "16:00", "visits", 20),
        ], profession="district_nurse"))
        out.append(group(key, "nurse_dropin", 1, [
            shift("mon-fri", "08:00", "11:00", "dropin"),
            shift("mon-fri", "11:00", "12:00", "eservice"),
            shift("mon-fri", "13:00", "16:00", "eservice"),
        ], profession="district_nurse"))
    n, days = count_or_days(t["physiotherapist"])
    out.append(group(key, "physiotherapist", n, [
        shift(days, "08:00", "12:00", "visits", 30),
        shift(days, "13:00", "16:00", "visits", 30),
    ]))
    n, days = count_or_days(t["counsellor"])
    out.append(group(key, "counsellor", n, [
        shift(days, "08:30", "12:00", "visits", 45),
        shift(days, "13:00", "16:00", "visits", 45),
    ]))
    if key == REMOTE_HOST:
        out.append(
            f"""# The shared remote doctor (virtuellt akutrum, 003_…txt L1970–1980): one
# doctor on video duty for the small units' acute drop-in patients.
[units.{key}.remote_doctor]
exam_minutes = {{ dist = "lognormal", mean = 20, sd = 8 }}   # assumption: a video examination with the camera cart
"""
        )
        out.append(group(key, "remote_doctor", 1, [
            shift("mon-fri", "08:00", "12:00", "remote"),
            shift("mon-fri", "13:00", "16:30", "remote"),
        ], profession="doctor"))
    return "\n".join(out)


def mobile_block(area):
    name, base, crews, speed = AREAS[area]
    bx, by = next((x, y) for k, _, _, x, y, _, _ in UNITS if k == base)
    served = [u for u in UNITS if u[5] == area]
    listed = sum(u[2] for u in served)
    f = listed / DEFAULT_LISTED
    places = []
    for key, _, ul, x, y, _, kind in served:
        r = RADIUS_KM[kind]
        for i, (dx, dy) in enumerate([(0, 0), (r, 0), (-r, 0), (0, r), (0, -r)]):
            places.append(
                f'  {{ name = "{key}-{i}", x_km = {x - bx + dx}, y_km = {y - by + dy}, weight = {ul / 5:g} }},'
            )
    return "\n".join([
        f"[mobile_teams.{area}]",
        f'name = "{name}"',
        f'base = "{base}"',
        "serves = [" + ", ".join(f'"{u[0]}"' for u in served) + "]",
        f"crews = {crews}                     # assumption",
        "crew = { doctor = 1, district_nurse = 1 }   # doctor + nurse pairs (domain brief §3)",
        'shifts = [{ days = "mon-fri", start = "08:00", end = "16:30" }]   # Uppsala\'s hours (domain brief §3)',
        'visit_minutes = { dist = "lognormal", mean = 40, sd = 15 }      # as mobile-team.toml (assumption)',
        f"home_care_requests_per_day = {0.75 * f:.2f}   # assumption: half the mobile-team preset's 1.5 per 9 000 listed, for {listed} listed",
        f"planned_visits_per_week = {5 * f:.1f}     # assumption: half the mobile-team preset's 10 per 9 000 listed",
        'category = "frail_elderly"',
        "",
        f"[mobile_teams.{area}.travel]",
        f"speed_kmh = {speed}                  # assumption",
        "winding = 1.3                    # assumption: road ÷ straight-line distance in the inland",
        "winter_slowdown = 1.25           # assumption: snow and ice",
        "winter_months = [11, 12, 1, 2, 3]   # assumption: Jämtland's winter is longer than the default's",
        "# Homes: each served unit's centre and four places at its catchment radius",
        "# (km east and north of the base; weight = listed / 5).",
        "places = [",
        *places,
        "]",
        "",
    ])


def age_groups():
    # The default's shares of contacts have 28 % from patients aged 65+ with
    # Sweden's 20.3 % of inhabitants aged 65+ (SCB 2024). Jämtland Härjedalen
    # has 25.5 % (domain brief §5): the 65+ shares are scaled by 25.5 / 20.3,
    # the younger ones shrink in the default's proportion.
    scale = 25.5 / 20.3
    old = {"65-79": 0.17 * scale, "80+": 0.11 * scale}
    rest = 1 - sum(old.values())
    young = {"0-17": rest * 0.20 / 0.72, "18-64": rest * 0.52 / 0.72}
    s = young | old
    return f"""# Age groups: the default's weights; shares of contacts scaled to Jämtland
# Härjedalen's 25.5 % aged 65+ (SCB 2024; domain brief §5) against Sweden's
# 20.3 %: the default's 65+ shares (0.17, 0.11) × 25.5 / 20.3, the rest in the
# default's proportion.
[age_groups."0-17"]
share = {s['0-17']:.3f}
channel_weight = {{ eservice = 0.8, web_booking = 1.0 }}
category_weight = {{ infection = 1.8, chronic = 0.3, frail_elderly = 0.0, rehab = 0.5 }}

[age_groups."18-64"]
share = {s['18-64']:.3f}
channel_weight = {{ eservice = 1.3, web_booking = 1.3 }}
category_weight = {{ frail_elderly = 0.1 }}

[age_groups."65-79"]
share = {s['65-79']:.3f}
channel_weight = {{ eservice = 0.6, web_booking = 0.6 }}
category_weight = {{ chronic = 2.0, frail_elderly = 1.0, infection = 0.7 }}

[age_groups."80+"]
share = {s['80+']:.3f}
channel_weight = {{ eservice = 0.2, web_booking = 0.2, walk_in = 0.6 }}
category_weight = {{ chronic = 2.5, frail_elderly = 6.0, infection = 0.6, mental_health = 0.5 }}
"""


def staff_summary():
    rows = ["#   unit            listed  type   staff (head counts; day sets = one part-time post)"]
    for key, _, listed, _, _, _, kind in UNITS:
        t = staff_table(listed, kind)
        staff = ", ".join(f"{k} {v}" for k, v in t.items())
        extra = " + remote doctor 1" if key == REMOTE_HOST else ""
        rows.append(f"#   {key:<15} {listed:>6}  {kind:<5}  {staff}{extra}")
    return "\n".join(rows)


def render():
    default = DEFAULT.read_text(encoding="utf-8")
    lines = default.splitlines(keepends=True)
    start = next(i for i, l in enumerate(lines) if l.startswith("# Case mix"))
    end = next(i for i, l in enumerate(lines) if l.startswith("# Age groups"))
    categories = "".join(lines[start:end])
    frail = "after_triage = { book = 0.85, emergency = 0.15 }"
    assert frail in categories, "default.toml's frail_elderly routing changed: update jamtland.py"
    categories = categories.replace(
        frail,
        "after_triage = { book = 0.6, mobile = 0.25, emergency = 0.15 }   # assumption: a quarter go to the area's mobile team (mobile-team.toml: half, with one team per health centre)",
    )
    total = sum(u[2] for u in UNITS)
    town = sum(u[2] for u in UNITS if u[6] == "town")
    small = [u[0] for u in UNITS if u[6] == "small"]
    header = f"""# GENERATED by scripts/regions/jamtland.py — do not edit by hand.
# Regenerate: python3 scripts/regions/jamtland.py   (check: --check)
#
# Region Jämtland Härjedalen: a rural region of {total} listed in
# {len(UNITS)} health centres (hälsocentraler). Answers: how do the care
# guarantee, each profession's load and the cost differ between Östersund's
# large units and the small inland units, what do the mobile teams manage over
# long distances, and what does one shared remote doctor (virtuellt akutrum)
# do for the smallest units?
#
# Sources: domain brief = ../shared/domain.md; seeds = ../shared/seeds/.
# - 132 839 inhabitants (2024), 25.5 % aged 65+, ≈49 000 km², ≈24–30 health
#   centres, half the population in Östersund (SCB; regionjh.se; domain brief §5).
#   Here {town} listed ({100 * town / total:.0f} %) at seven units in Östersund town.
# - Unit names follow the region's health centres; listed counts and the
#   catchment radii are assumptions; coordinates from the towns' positions.
# - Staff per unit from the default's ratios per 9 000 listed (≈1 950 listed
#   per doctor, Vårdanalys 2018; 2 telephone nurses, 1 Monday nurse, 2 visit
#   nurses, 2 physiotherapists, 1 counsellor per 9 000 — docs/calibration.md),
#   rounded, at least one of each per unit; a post worth less than
#   0.75 FTE works some weekdays only. Every unit has one drop-in nurse.
#   Telephone and Monday nurses are rounded UP: the default is calibrated
#   to 88 % called back the same day, at the edge of the call-back queue's
#   tipping point, and a unit with 17 % more listed per telephone nurse
#   than the default never catches up (a first version rounded to nearest
#   and lost Frösö, Lugnvik, Odensala, Strömsund, Sveg and Järpen).
# - Small units (< 2 000 listed: {', '.join(small)}): one district nurse, one
#   undersköterska on the drop-in, a visiting doctor, profession-neutral
#   booking (assumption: without a doctor on site the nurse's book is
#   searched too), and the shared remote doctor hosted by {REMOTE_HOST}
#   (seeds 003_…txt L1970–1980).
# - Web booking in 7 of 27 units (26 %; the seeds' Table 2: 9 of 40,
#   003_…txt L1398–1428); the other units' web share phones instead.
# - Six mobile teams by area (mobila team, domain brief §3; 003_…txt
#   L1754–1790), travelling between places with coordinates, with a winter
#   slowdown.
# - Case mix and simulation settings: scenarios/default.toml, verbatim
#   (a quarter of the frail elderly go to the area's mobile team: one team
#   per area, not per health centre as in methods/mobile-team.toml, so the
#   teams get half that preset's load per listed).
#
# Staff per unit:
{staff_summary()}

name = "jamtland-harjedalen"
description = "Region Jämtland Härjedalen: {total} listed in {len(UNITS)} units, mobile teams, a shared remote doctor for the small units, web booking in few units"
label_en = "Region Jämtland Härjedalen"
label_sv = "Region Jämtland Härjedalen"

[simulation]
horizon_days = 364        # the default's: one year of 52 whole weeks
warmup_days = 56          # the default's
start_weekday = "monday"
start_month = 1
crn_key = "vardsim"

"""
    body = [header]
    for key, name, listed, _, _, _, kind in UNITS:
        body.append(unit_block(key, name, listed, kind))
    body.append("# ---- Mobile teams by area ----\n")
    for area in AREAS:
        body.append(mobile_block(area))
    body.append(categories)
    body.append(age_groups())
    return "\n".join(body)


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is stale: run python3 scripts/regions/jamtland.py", file=sys.stderr)
            sys.exit(1)
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(UNITS)} units, {sum(u[2] for u in UNITS)} listed")


if __name__ == "__main__":
    main()
