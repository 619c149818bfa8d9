#!/usr/bin/env bash
# A vardsim sweep as a Slurm job array: each array task runs one shard of the
# grid's points; a second job, started when every shard has succeeded, merges
# them. Edit the settings below, then submit from the repository root:
#
#   sbatch scripts/slurm/sweep-array.sh
#
# See docs/cluster.md. Tested settings for NAISS systems (Tetralith, Dardel)
# differ only in the account and partition lines.
#
#SBATCH --job-name=vardsim-sweep
#SBATCH --account=naiss2026-00-000      # your project (projinfo shows it)
#SBATCH --array=1-8                     # shards 1..N; N = SHARDS below
#SBATCH --cpus-per-task=8               # replications run in parallel inside a shard
#SBATCH --time=02:00:00
#SBATCH --output=slurm-%A_%a.out

set -euo pipefail

SWEEP=scenarios/sweeps/doctors-and-phone-nurses.toml   # sweep file (or a scenario + --grid flags)
OUT=${OUT:-$PWD/output/cluster}                         # on a shared file system
SHARDS=${SLURM_ARRAY_TASK_COUNT:-8}
VARDSIM=${VARDSIM:-$PWD/target/release/vardsim}         # build once: cargo build --release

K=${SLURM_ARRAY_TASK_ID:?run this with sbatch --array}

# Every shard writes to its own folder; a shard that is requeued or rerun
# continues where it stopped (--resume keeps its finished points).
"$VARDSIM" sweep "$SWEEP" \
  --shard "$K/$SHARDS" \
  --threads "${SLURM_CPUS_PER_TASK:-1}" \
  --out "$OUT/shard-$K" \
  --resume

# The last array task to start submits the merge, to run after all succeed.
if [[ "$K" == "$SHARDS" ]]; then
  sbatch --account="${SLURM_JOB_ACCOUNT:-naiss2026-00-000}" \
    --dependency="afterok:${SLURM_ARRAY_JOB_ID}" \
    --job-name=vardsim-merge --time=00:10:00 --output=slurm-%j-merge.out \
    --wrap "\"$VARDSIM\" merge $OUT/shard-*/* --out \"$OUT/merged\""
fi
