#!/usr/bin/env bash
# A vardsim sweep as a Slurm job array: each array task runs one shard of the
# grid's points; a second job, started when every shard has succeeded, merges
# them. Set the account (and the array size) below or on the command line,
# then submit from the repository root:
#
#   sbatch scripts/slurm/sweep-array.sh
#   SWEEP=my-sweep.toml OUT=/proj/x/sweeps sbatch --array=1-32 scripts/slurm/sweep-array.sh
#
# Options given to sbatch override the #SBATCH lines; the settings below come
# from the environment, which sbatch passes to the job. See docs/cluster.md
# (sizing for NAISS systems such as Tetralith and Dardel, and a local
# single-node cluster for trying it out: tests/it/cluster.rs runs this script).
#
#SBATCH --job-name=vardsim-sweep
#SBATCH --account=naiss2026-00-000      # your project (projinfo shows it)
#SBATCH --array=1-8                     # shards 1..N
#SBATCH --cpus-per-task=8               # replications run in parallel inside a shard
#SBATCH --time=02:00:00
#SBATCH --output=slurm-%A_%a.out

set -euo pipefail

SWEEP=${SWEEP:-scenarios/sweeps/doctors-and-phone-nurses.toml}  # sweep file or scenario
read -r -a SWEEP_ARGS <<<"${SWEEP_ARGS:-}"   # more sweep flags: --grid, --set, -r, --metric …
OUT=${OUT:-$PWD/output/cluster}              # on a shared file system (not node-local /scratch)
VARDSIM=${VARDSIM:-$PWD/target/release/vardsim}  # build once: cargo build --release
# N: the array's highest index unless given (set it when rerunning some tasks only).
SHARDS=${SHARDS:-${SLURM_ARRAY_TASK_MAX:?run this with sbatch --array=1-N}}

K=${SLURM_ARRAY_TASK_ID:?run this with sbatch --array=1-N}

# Every shard writes to its own folder; a shard that is requeued or rerun
# continues where it stopped (--resume keeps its finished points).
"$VARDSIM" sweep "$SWEEP" ${SWEEP_ARGS[@]+"${SWEEP_ARGS[@]}"} \
  --shard "$K/$SHARDS" \
  --threads "${SLURM_CPUS_PER_TASK:-1}" \
  --out "$OUT/shard-$K" \
  --resume

# Task N submits the merge, which waits until every task of the array has
# succeeded (afterok on the array job), in the same account and partition.
if [[ "$K" == "$SHARDS" ]]; then
  where=()
  [[ -n "${SLURM_JOB_ACCOUNT:-}" ]] && where+=(--account="$SLURM_JOB_ACCOUNT")
  [[ -n "${SLURM_JOB_PARTITION:-}" ]] && where+=(--partition="$SLURM_JOB_PARTITION")
  sbatch ${where[@]+"${where[@]}"} \
    --dependency="afterok:${SLURM_ARRAY_JOB_ID}" \
    --job-name=vardsim-merge --cpus-per-task=1 --time=00:10:00 \
    --output="$OUT/slurm-%j-merge.out" \
    --wrap "\"$VARDSIM\" merge \"$OUT\"/shard-*/* --out \"$OUT/merged\""
fi
