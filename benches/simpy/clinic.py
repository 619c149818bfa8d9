#!/usr/bin/env python3
"""The drop-in clinic of scenarios/validation/mmc.toml in SimPy: walk-ins
arrive as a Poisson stream (2.4 an hour), three nurses see them first come
first served, each visit exponential with mean 60 minutes, open round the
clock; ten years per replication after a 30-day warm-up. Prints the mean wait
(minutes) and the share who waited, as vardsim's `dropin_wait_minutes_mean`
and `dropin_wait_probability`, and the seconds per replication: wall time,
and CPU time (steadier on a shared machine).

    benches/simpy/.venv/bin/python benches/simpy/clinic.py [REPLICATIONS]

The same model as vardsim's, not the same random numbers: compare the
estimates with their confidence intervals, and the times.
"""

import random
import sys
import time

import simpy

ARRIVALS_PER_HOUR = 2.4
SERVICE_MEAN_MIN = 60.0
NURSES = 3
HORIZON_DAYS = 3650
WARMUP_DAYS = 30


def replication(seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    nurses = simpy.Resource(env, capacity=NURSES)
    warmup = WARMUP_DAYS * 24 * 60.0
    waits = []

    def patient(env):
        arrived = env.now
        with nurses.request() as req:
            yield req
            if arrived >= warmup:
                waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(1.0 / SERVICE_MEAN_MIN))

    def arrivals(env):
        while True:
            yield env.timeout(rng.expovariate(ARRIVALS_PER_HOUR / 60.0))
            env.process(patient(env))

    env.process(arrivals(env))
    env.run(until=HORIZON_DAYS * 24 * 60.0)
    return sum(waits) / len(waits), sum(1 for w in waits if w > 0) / len(waits), len(waits)


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    t0, c0 = time.perf_counter(), time.process_time()
    results = [replication(r + 1) for r in range(reps)]
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    mean_wait = sum(r[0] for r in results) / reps
    waited = sum(r[1] for r in results) / reps
    patients = sum(r[2] for r in results) / reps
    print(f"simpy: {reps} replications, {patients:.0f} patients each: mean wait {mean_wait:.1f} min, "
          f"waited {100 * waited:.1f} % (Erlang C: 64.7 min, 64.7 %); {elapsed / reps:.3f} s per replication "
          f"({cpu / reps:.3f} s of CPU)")


if __name__ == "__main__":
    main()
