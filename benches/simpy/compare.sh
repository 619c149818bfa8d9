#!/usr/bin/env bash
# Times the drop-in clinic of scenarios/validation/mmc.toml (M/M/3, ten
# simulated years per replication) in vardsim and in SimPy, one thread each,
# on the same number of replications, and prints both and the ratios, by
# wall time and by CPU time (the steadier of the two on a shared machine).
#   benches/simpy/install.sh                 # once: SimPy into benches/simpy/.venv
#   benches/simpy/compare.sh [REPLICATIONS]  # default 5
# Uses target/release/vardsim (cargo build --release); not run by the tests.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
reps="${1:-5}"
bin="${VARDSIM_BIN:-$root/target/release/vardsim}"
py="$here/.venv/bin/python"
[ -x "$bin" ] || { echo "no $bin: run cargo build --release (or set VARDSIM_BIN)" >&2; exit 2; }
[ -x "$py" ] || { echo "no SimPy: run $here/install.sh" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# vardsim's run command end to end, its wall and CPU time per replication.
v=$(python3 - "$bin" "$root/scenarios/validation/mmc.toml" "$reps" "$out" <<'PY'
import json, resource, subprocess, sys, time
binary, scenario, reps, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cpu = lambda r: r.ru_utime + r.ru_stime
t0, c0 = time.perf_counter(), cpu(resource.getrusage(resource.RUSAGE_CHILDREN))
run = subprocess.run([binary, "run", scenario, "-r", str(reps), "-t", "1", "-s", "1",
                      "-o", out, "-f", "json"], check=True, stdout=subprocess.PIPE)
wall = (time.perf_counter() - t0) / reps
used = (cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - c0) / reps
m = json.loads(run.stdout)["metrics"]
print(f"{wall:.4f} {used:.4f}")
print(f"vardsim: {reps} replications: mean wait {m['dropin_wait_minutes_mean']['mean']:.1f} min, "
      f"waited {100 * m['dropin_wait_probability']['mean']:.1f} %; {wall:.3f} s per replication "
      f"({used:.3f} s of CPU; run command, end to end)")
PY
)
echo "$v" | tail -1
s=$("$py" "$here/clinic.py" "$reps")
echo "$s"
python3 - "$(echo "$v" | head -1)" "$s" <<'PY'
import re, sys
wall, cpu = map(float, sys.argv[1].split())
m = re.search(r"; ([0-9.]+) s per replication \(([0-9.]+) s of CPU\)", sys.argv[2])
s_wall, s_cpu = float(m.group(1)), float(m.group(2))
print(f"vardsim is {s_wall / wall:.0f}x faster per replication by wall time, {s_cpu / cpu:.0f}x by CPU time")
PY
