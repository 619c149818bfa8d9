#!/usr/bin/env bash
# Times the drop-in clinic of scenarios/validation/mmc.toml (M/M/3, ten
# simulated years per replication) in vardsim and in SimPy, one thread each,
# on the same number of replications, and prints both and the ratio.
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
t0=$(date +%s.%N)
"$bin" run "$root/scenarios/validation/mmc.toml" -r "$reps" -t 1 -s 1 -o "$out" -f json > "$out/summary.json"
t1=$(date +%s.%N)
v=$(python3 - "$out/summary.json" "$t0" "$t1" "$reps" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
per = (float(sys.argv[3]) - float(sys.argv[2])) / int(sys.argv[4])
print(f"{per:.4f}")
print(f"vardsim: {sys.argv[4]} replications: mean wait {m['dropin_wait_minutes_mean']['mean']:.1f} min, "
      f"waited {100 * m['dropin_wait_probability']['mean']:.1f} %; {per:.3f} s per replication (run command, end to end)")
PY
)
vs=$(echo "$v" | head -1)
echo "$v" | tail -1
s=$("$py" "$here/clinic.py" "$reps")
echo "$s"
ss=$(echo "$s" | sed -E 's/.*; ([0-9.]+) s per replication/\1/')
python3 -c "print(f'vardsim is {float(\"$ss\") / float(\"$vs\"):.0f}x faster per replication')"
