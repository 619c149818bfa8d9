#!/usr/bin/env bash
# A private single-node Slurm cluster on this machine, for trying
# scripts/slurm/sweep-array.sh without an HPC account, and for the test
# tests/it/cluster.rs (docs/cluster.md). Needs Debian's packages:
#
#   apt-get install -y slurm-wlm munge
#
#   scripts/slurm/local-cluster.sh start [DIR]   # prints the SLURM_CONF to export
#   scripts/slurm/local-cluster.sh stop [DIR]
#
# Everything lives in DIR (default /tmp/vardsim-slurm): slurm.conf, its own
# munge key and socket, state, spool and logs. Nothing under /etc is touched
# and no system daemon is used, so it runs without systemd (containers, CI);
# `stop` ends exactly the three daemons `start` began, by their pid files.
# Run it as root (slurmd starts jobs as their user). Ports: VARDSIM_SLURM_PORT
# (default 6817) for slurmctld and the next one for slurmd.
set -euo pipefail

cmd=${1:?usage: local-cluster.sh start|stop [DIR]}
dir=${2:-/tmp/vardsim-slurm}
port=${VARDSIM_SLURM_PORT:-6817}

stop_pid_file() {
  local file=$1
  if [[ -s "$file" ]]; then
    local pid
    pid=$(cat "$file")
    if kill "$pid" 2>/dev/null; then
      # Wait for it to go, so that a restart finds its port free.
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$file"
  fi
}

case "$cmd" in
stop)
  stop_pid_file "$dir/slurmd.pid"
  stop_pid_file "$dir/slurmctld.pid"
  stop_pid_file "$dir/munged.pid"
  echo "stopped the cluster in $dir"
  ;;
start)
  for program in munged mungekey slurmctld slurmd sinfo; do
    command -v "$program" >/dev/null || {
      echo "error: $program not found; install Debian's packages: apt-get install -y slurm-wlm munge" >&2
      exit 1
    }
  done
  if [[ $(id -u) != 0 ]]; then
    echo "error: run this as root: slurmd starts each job as its user" >&2
    exit 1
  fi
  [[ -e "$dir/slurmctld.pid" ]] && "$0" stop "$dir" >/dev/null
  mkdir -p "$dir"/{state,spool,munge}
  chmod 700 "$dir" "$dir/munge"

  # munge: slurm's authentication, with a key of its own.
  [[ -s "$dir/munge/munge.key" ]] || mungekey --create --keyfile="$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munged.seed"

  # One node: this machine, with the CPUs and memory slurmd finds.
  host=$(hostname -s)
  node=$(slurmd -C | head -1)
  user=$(id -un)
  cat >"$dir/slurm.conf" <<EOF
# Written by scripts/slurm/local-cluster.sh: a single-node cluster for tests.
ClusterName=vardsim-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=$user
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# A merge whose shards failed is cancelled, not left pending for ever.
SchedulerParameters=kill_invalid_depend
MinJobAge=300
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$dir/slurm.conf
  slurmctld
  slurmd
  # Ready when the node takes jobs.
  for _ in $(seq 100); do
    state=$(sinfo -h -N -o %T 2>/dev/null | head -1 || true)
    [[ "$state" == idle || "$state" == mixed ]] && break
    sleep 0.2
  done
  if [[ "$state" != idle && "$state" != mixed ]]; then
    echo "error: the node is '${state:-not reported}' after 20 s; see $dir/slurmctld.log and $dir/slurmd.log" >&2
    exit 1
  fi
  echo "export SLURM_CONF=$dir/slurm.conf"
  ;;
*)
  echo "usage: local-cluster.sh start|stop [DIR]" >&2
  exit 2
  ;;
esac
