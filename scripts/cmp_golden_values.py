"""Every (metric, unit, by, group) value and CI of the baseline summary.json
and every (replication, metric, by, group, unit, value) row of
replications.csv is identical in the new run; lists added keys."""
import csv, json, pathlib, sys
base, new = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
bad = 0
for b in sorted(base.glob("*/*/summary.json")):
    n = new / b.relative_to(base)
    bj, nj = json.loads(b.read_text()), json.loads(n.read_text())
    def rows(j):
        out = {}
        for k, m in j["metrics"].items():
            out[(k, m["unit"], None, None)] = (m["mean"], m["ci95_low"], m["ci95_high"])
        units = {k: m["unit"] for k, m in j["metrics"].items()}
        for r in j["breakdown"]:
            out[(r["metric"], units.get(r["metric"]), r["by"], r["group"])] = (r["mean"], r["ci95_low"], r["ci95_high"])
        return out
    br, nr = rows(bj), rows(nj)
    missing = [k for k in br if k not in nr]
    changed = [k for k in br if k in nr and br[k] != nr[k]]
    added = sorted({k[0] for k in nr if k not in br})
    # replications.csv: old rows all present, with the same values
    def csvrows(p):
        with open(p) as f:
            return {(r["replication"], r["metric"], r["by"], r["group"], r["unit"]): r["value"] for r in csv.DictReader(f)}
    bc, nc = csvrows(b.parent / "replications.csv"), csvrows(n.parent / "replications.csv")
    cmiss = [k for k in bc if k not in nc]
    cchg = [k for k in bc if k in nc and bc[k] != nc[k]]
    status = "same values" if not (missing or changed or cmiss or cchg) else "CHANGED"
    bad += status != "same values"
    print(f"{status}: {b.parent.parent.name}: {len(br)} summary values, {len(bc)} csv rows; "
          f"missing {len(missing)+len(cmiss)}, changed {len(changed)+len(cchg)}; new metrics {len(added)}")
    for k in (missing + changed)[:5]:
        print("   ", k, br[k], nr.get(k))
    for k in (cmiss + cchg)[:5]:
        print("   csv", k, bc[k], nc.get(k))
print("added keys (last file):", ", ".join(added))
sys.exit(1 if bad else 0)
