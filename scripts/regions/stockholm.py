#!/usr/bin/env python3
"""Writes scenarios/regions/stockholm.toml: a Stockholm-size region of 200
health centres with a shared regional telephone line and a shared digital
provider (the scale case of issue 17).

    python3 scripts/regions/stockholm.py                  # writes the scenario
    python3 scripts/regions/stockholm.py --check          # exits 1 if the file is stale
    python3 scripts/regions/stockholm.py --units 50 OUT   # the first 50 units, to OUT (benches)

Python 3 standard library only, deterministic (no randomness: sizes cycle
through a fixed table). The case mix and age groups are copied verbatim
from scenarios/default.toml, as are its planned visits and the weeks of the
staff that serve them (chronic-care nurses, assistant nurse), so the region
stays calibrated like the default and carries its workload per listed
patient; the other staff helpers are in staffing.py (they came from the
retired Jämtland generator, whose "town" units had the same ratios).
"""

import math
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import staffing as jh  # noqa: E402  (the shared staff helpers)

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "scenarios" / "regions" / "stockholm.toml"
DEFAULT = ROOT / "scenarios" / "default.toml"

UNITS_IN_REGION = 200

# Listed per health centre: one cycle of 25 sizes from 4 000 to 20 700
# (mean 12 350), repeated 8 times, so that every prefix of 25, 50, 100 or 200
# units has the same size mix (the bench compares them). 200 × 12 350 =
# 2 470 000 listed (SCB 2024: 2.47 M inhabitants in Region Stockholm; ≈200
# health centres, vardgivarguiden.se). The spread of sizes is an assumption.
SIZES = [4000 + round(i * 16700 / 24 / 50) * 50 for i in range(25)]
assert sum(SIZES) == 25 * 12350, sum(SIZES)

# Districts the units are named after (Stockholm's municipalities and city
# districts); unit i is in DISTRICTS[i % 25].
DISTRICTS = [
    "Södermalm", "Kungsholmen", "Vasastan", "Östermalm", "Norrmalm",
    "Bromma", "Hägersten", "Skärholmen", "Farsta", "Skarpnäck",
    "Enskede", "Rinkeby", "Spånga", "Hässelby", "Älvsjö",
    "Solna", "Sundbyberg", "Nacka", "Huddinge", "Botkyrka",
    "Järfälla", "Sollentuna", "Täby", "Haninge", "Södertälje",
]

# Every fourth unit has its telephone answered by the regional line
# (assumption: Stockholm's shared telephone service answers for part of
# the health centres; 1177's nurse line is outside the model).
LINE_EVERY = 4
# Every second unit has its 1177 e-service inbox answered by a regional
# digital provider (assumption: Stockholm's "digital vårdcentral" partners).
DIGITAL_EVERY = 2
# Units with web booking: two in three (assumption: more than Jämtland's 26 %).
WEB_EVERY = 3

# The default's planned visits (kallelse) each unit books itself, copied
# with their rates per listed patient (units.vc.planned.* in default.toml).
PLANNED = ["nurse_chronic_care", "doctor_annual_check", "samples"]

LINE = "regional_line"
DIGITAL = "digital_provider"


def units(n):
    """(key, name, listed, shared line?, digital provider?, web booking?) of the first n units."""
    out = []
    for i in range(n):
        district = DISTRICTS[i % len(DISTRICTS)]
        number = i // len(DISTRICTS) + 1
        out.append((
            f"vc{i + 1:03d}",
            f"{district} vårdcentral {number}",
            SIZES[i % len(SIZES)],
            i % LINE_EVERY == LINE_EVERY - 1,
            i % DIGITAL_EVERY == DIGITAL_EVERY - 1,
            i % WEB_EVERY != WEB_EVERY - 1,
        ))
    return out


def default_section(header):
    """The lines of scenarios/default.toml's table `header` (e.g.
    "[units.vc.planned.samples]") up to the next blank line, verbatim."""
    lines = DEFAULT.read_text(encoding="utf-8").splitlines()
    start = lines.index(header)
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    return lines[start:end]


def default_planned(key):
    """The default's planned visits (`units.vc.planned.*`: chronic-care
    check-ups by district nurses and doctors, samples by an assistant
    nurse), verbatim with the unit's key: rates are per listed patient, so
    they scale with the unit."""
    out = []
    for name in PLANNED:
        out.append("\n".join(default_section(f"[units.vc.planned.{name}]"))
                   .replace("[units.vc.", f"[units.{key}.") + "\n")
    return out


def default_group(key, group, value, comment):
    """The default's staff group `group` with its week verbatim, its count
    from `value` (a staff_table entry: a head count, or the weekdays of one
    part-time post)."""
    n, days = jh.count_or_days(value)
    shifts = [l.strip().rstrip(",").replace('"mon-fri"', f'"{days}"')
              for l in default_section(f"[units.vc.staff.{group}]")
              if l.strip().startswith("{")]
    profession = "district_nurse" if group == "nurse_chronic" else None
    return jh.group(key, group, n, shifts, profession=profession, comment=comment)


def unit_block(key, name, listed, line, digital, web):
    t = jh.staff_table(listed, "town")
    out = [f"# ---- {name}: {listed} listed"
           + (", telephone by the regional line" if line else "")
           + (", e-service by the digital provider" if digital else "")
           + (", web booking" if web else "") + " ----"]
    out.append(f'[units.{key}]\nname = "{name}"\nlisted = {listed}\n')
    out.append(f"[units.{key}.demand]\n{jh.DEMAND_COMMON}")
    out.append(f"[units.{key}.demand.phone]\nshare = {0.75 if web else 0.80:.2f}\n"
               f"hour_profile = {jh.PHONE_HOURS}\n")
    out.append(f"[units.{key}.demand.eservice]\nshare = 0.12\nhour_profile = {jh.ESERVICE_HOURS}\n")
    if web:
        out.append(f"[units.{key}.demand.web_booking]\nshare = 0.05   # the default's\n")
    out.append(f"[units.{key}.demand.walk_in]\nshare = 0.08\nhour_profile = {jh.WALKIN_HOURS}\n")
    out.append(f"""[units.{key}.phone]
mode = "callback"
hours = [{{ days = "mon-fri", start = "08:00", end = "16:00" }}]
callback_slot_minutes = 10
triage_minutes = {{ dist = "lognormal", mean = 6.6, sd = 3.8 }}   # ESTEEM RCT, Lancet 2014
""" + (f'answered_by = "{LINE}"\n' if line else ""))
    if digital:
        out.append(f'[units.{key}.eservice]\nanswered_by = "{DIGITAL}"\n')
    else:
        out.append(f"""[units.{key}.eservice]
answer_minutes = {{ dist = "lognormal", mean = 6, sd = 3 }}        # the default's (assumption)
""")
    out.append(jh.BOOKING.format(u=key, neutral="false"))
    out.extend(default_planned(key))
    out.append(f"""[units.{key}.dropin]
hours = [{{ days = "mon-fri", start = "08:00", end = "11:00" }}]   # the default's
at_closing = "see_all"
patience_minutes = {{ dist = "exponential", mean = 90 }}          # the default's (assumption)
""")
    n, _ = jh.count_or_days(t["doctor"])
    part = t["part-time doctor"]
    out.append(jh.group(key, "doctor", n, jh.doctor_shifts(web)))
    if part != "0":
        out.append(jh.group(key, "doctor_part_time", 1,
                            [s.replace('"mon-fri"', f'"{part}"').replace('"mon-thu"', f'"{part}"')
                             for s in jh.doctor_shifts(web)[:4]]
                            + [jh.shift(part, "15:00", "17:00", "visits", 30, "acute")],
                            profession="doctor"))
    if not line:
        n, _ = jh.count_or_days(t["phone nurse"])
        out.append(jh.group(key, "nurse_phone", n, [
            jh.shift("mon-fri", "08:00", "12:00", "telephone"),
            jh.shift("mon-fri", "13:00", "16:00", "telephone"),
        ], profession="district_nurse"))
        out.append(jh.group(key, "nurse_monday", int(t["Monday nurse"]), [
            jh.shift("mon", "08:00", "11:00", "telephone"),
            jh.shift("mon", "11:00", "12:00", "visits", 20),
            jh.shift("tue-fri", "08:00", "12:00", "visits", 20),
            jh.shift("mon-fri", "13:00", "16:00", "visits", 20),
        ], profession="district_nurse"))
    n, days = jh.count_or_days(t["visit nurse"])
    out.append(jh.group(key, "nurse_visits", n, [
        jh.shift(days, "08:00", "12:00", "visits", 20, "acute"),
        jh.shift(days, "13:00", "16:00", "visits", 20),
    ], profession="district_nurse"))
    # Without its own inbox the drop-in nurse sees visits after the drop-in.
    after = ([jh.shift("mon-fri", "11:00", "12:00", "visits", 20),
              jh.shift("mon-fri", "13:00", "16:00", "visits", 20)] if digital else
             [jh.shift("mon-fri", "11:00", "12:00", "eservice"),
              jh.shift("mon-fri", "13:00", "16:00", "eservice")])
    out.append(jh.group(key, "nurse_dropin", 1,
                        [jh.shift("mon-fri", "08:00", "11:00", "dropin")] + after,
                        profession="district_nurse"))
    # The staff of the planned visits below, at the default's ratios: two
    # chronic-care nurses and one assistant nurse per 9 000 listed.
    f = listed / jh.DEFAULT_LISTED
    out.append(default_group(
        key, "nurse_chronic",
        str(max(1, round(2 * f))) if 2 * f >= 0.75 else jh.part_time_days(2 * f),
        "The default's chronic-care nurses (their planned check-ups; 2 per 9 000 listed)."))
    out.append(default_group(
        key, "assistant_nurse",
        str(max(1, round(f))) if f >= 0.75 else jh.part_time_days(f),
        "The default's assistant nurse (the planned samples; 1 per 9 000 listed)."))
    n, days = jh.count_or_days(t["physiotherapist"])
    out.append(jh.group(key, "physiotherapist", n, [
        jh.shift(days, "08:00", "12:00", "visits", 30),
        jh.shift(days, "13:00", "16:00", "visits", 30),
    ]))
    n, days = jh.count_or_days(t["counsellor"])
    out.append(jh.group(key, "counsellor", n, [
        jh.shift(days, "08:30", "12:00", "visits", 45),
        jh.shift(days, "13:00", "16:00", "visits", 45),
    ]))
    return "\n".join(out)


def line_block(served):
    """The regional telephone line: the telephone and Monday nurses the
    served units would have had, in one place (same rounding as a unit's)."""
    nurses = sum(math.ceil(2 * u[2] / jh.DEFAULT_LISTED) for u in served)
    monday = sum(math.ceil(u[2] / jh.DEFAULT_LISTED) for u in served)
    out = [f"# ---- The regional telephone line: answers {len(served)} units' calls ----",
           f'[units.{LINE}]\nname = "Regional telefonlinje"\nlisted = 0   # every caller belongs to a health centre\n',
           f"""[units.{LINE}.phone]
mode = "callback"
hours = [{{ days = "mon-fri", start = "08:00", end = "16:00" }}]
callback_slot_minutes = 10
triage_minutes = {{ dist = "lognormal", mean = 6.6, sd = 3.8 }}   # ESTEEM RCT, Lancet 2014
"""]
    out.append(jh.group(LINE, "nurse_phone", nurses, [
        jh.shift("mon-fri", "08:00", "12:00", "telephone"),
        jh.shift("mon-fri", "13:00", "16:00", "telephone"),
    ], profession="district_nurse",
        comment="The served units' telephone nurses (≈2 per 9 000 listed, rounded up per unit)."))
    out.append(jh.group(LINE, "nurse_monday", monday, [
        jh.shift("mon", "08:00", "12:00", "telephone"),
    ], profession="district_nurse", comment="Their Monday-morning nurses (Monday is the week's peak)."))
    return "\n".join(out)


def digital_block(served):
    """The digital provider: e-service nurses for the served units' inboxes
    (each unit's drop-in nurse answered 4 hours a day; here 8-hour days)."""
    nurses = math.ceil(len(served) * 4 / 8)
    out = [f"# ---- The regional digital provider: answers {len(served)} units' 1177 requests ----",
           f'[units.{DIGITAL}]\nname = "Digital vårdgivare"\nlisted = 0   # every request belongs to a health centre\n',
           f"""[units.{DIGITAL}.eservice]
answer_minutes = {{ dist = "lognormal", mean = 6, sd = 3 }}        # the default's (assumption)
"""]
    out.append(jh.group(DIGITAL, "nurse_eservice", nurses, [
        jh.shift("mon-fri", "08:00", "12:00", "eservice"),
        jh.shift("mon-fri", "13:00", "17:00", "eservice"),
    ], profession="district_nurse",
        comment="Four e-service hours a day per served unit, as a unit's own drop-in nurse had."))
    return "\n".join(out)


def render(n=UNITS_IN_REGION):
    default = DEFAULT.read_text(encoding="utf-8")
    lines = default.splitlines(keepends=True)
    start = next(i for i, l in enumerate(lines) if l.startswith("# Case mix"))
    case_mix = "".join(lines[start:])
    us = units(n)
    total = sum(u[2] for u in us)
    total_sv = f"{total:,}".replace(",", " ")
    line = [u for u in us if u[3]]
    digital = [u for u in us if u[4]]
    header = f"""# GENERATED by scripts/regions/stockholm.py — do not edit by hand.
# Regenerate: python3 scripts/regions/stockholm.py   (check: --check)
#
# A Stockholm-size region: {total:,} listed in {n} health centres (SCB 2024:
# 2.47 M inhabitants in Region Stockholm, ≈200 vårdcentraler), a shared
# regional telephone line answering {len(line)} of them and a regional digital
# provider answering {len(digital)} units' 1177 e-service requests. The scale case:
# how long one region-year takes and how much memory it needs
# (`cargo bench --bench region_scale`, docs/performance.md); its numbers
# are only as good as the default's calibration.
#
# - Listed per unit: a fixed cycle of 25 sizes from 4 000 to 20 700 (mean
#   12 350; assumption), so that the first 25, 50, 100 or 200 units have the
#   same size mix.
# - Staff per unit from the default's ratios per 9 000 listed, as in
#   scripts/regions/staffing.py.
# - The default's planned visits (chronic-care check-ups by district nurses
#   and doctors, samples by an assistant nurse; per listed patient) and the
#   staff that serve them (2 chronic-care nurses and 1 assistant nurse per
#   9 000 listed, the default's weeks), so a unit's workload is the default's.
# - Every {LINE_EVERY}th unit's calls are answered by the regional line, which has
#   the telephone nurses those units would have had; every {DIGITAL_EVERY}nd unit's
#   inbox by the digital provider (assumptions). Triage routes patients back
#   to their own unit's services.
# - Web booking in two of three units (assumption); the others' web share
#   phones instead.
# - Case mix and age groups: scenarios/default.toml, verbatim; its warm-up,
#   but a 364-day horizon with the warm-up inside it and no staff supply
#   (no leave, absence or holidays), as when the region was first written.

name = "stockholm"
description = "A Stockholm-size region: {total:,} listed in {n} health centres, a shared regional telephone line and a digital provider"
description_sv = "En region i Stockholms storlek: {total_sv} listade vid {n} vårdcentraler, en gemensam regional telefonlinje och en digital vårdgivare"
label_en = "Stockholm-size region"
label_sv = "Region i Stockholms storlek"

[simulation]
horizon_days = 364        # one year of 52 whole weeks, the warm-up included (the default measures a year after it: 420)
warmup_days = 56          # the default's
start_weekday = "monday"
start_month = 1
crn_key = "vardsim"

"""
    body = [header]
    for u in us:
        body.append(unit_block(*u))
    if line:
        body.append(line_block(line))
    if digital:
        body.append(digital_block(digital))
    body.append(case_mix)
    return "\n".join(body)


USAGE = """usage: stockholm.py               write scenarios/regions/stockholm.toml
       stockholm.py --check       exit 1 if the file is stale
       stockholm.py --units N OUT the first N units (1-{max}), to OUT"""


def refuse(why):
    """Exits 2 with `why` and the usage: an argument the script does not
    know is never ignored (it would rewrite the region's scenario instead)."""
    print(f"stockholm.py: {why}\n{USAGE.format(max=UNITS_IN_REGION)}", file=sys.stderr)
    sys.exit(2)


def main():
    args = sys.argv[1:]
    if args[:1] == ["--units"]:
        if len(args) != 3:
            refuse("--units takes a unit count and an output file")
        try:
            n = int(args[1])
        except ValueError:
            refuse(f"--units: expected a whole number of units, found {args[1]!r}")
        # The region has UNITS_IN_REGION units: more would be another region
        # (its header would still cite Stockholm's 2.47 M).
        if not 1 <= n <= UNITS_IN_REGION:
            refuse(f"--units: expected 1-{UNITS_IN_REGION} units (the region's), found {n}")
        pathlib.Path(args[2]).write_text(render(n), encoding="utf-8")
        return
    if args not in ([], ["--check"]):
        refuse(f"unknown arguments {' '.join(args)!r}")
    text = render()
    if args == ["--check"]:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is stale: run python3 scripts/regions/stockholm.py", file=sys.stderr)
            sys.exit(1)
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {UNITS_IN_REGION} units, {sum(u[2] for u in units(UNITS_IN_REGION)):,} listed")


if __name__ == "__main__":
    main()
