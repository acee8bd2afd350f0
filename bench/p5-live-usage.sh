#!/usr/bin/env bash
# P5 on the rig: what live usage costs. With JOBS running jobs, the gateway samples all of them with one sstat every
# live-usage-interval; measured against the same sstat asked job by job over one ssh connection, in the same run.
# Needs: sudo scripts/slurm-rig.sh up, and a built jar (./mvnw -q -DskipTests package). Env: P5_JOBS (50),
# P5_INTERVAL (5s), P5_SECONDS (60, the window the gateway is watched), P5_ROUNDS (9), BENCH_JAVA_HOME.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/rig-gateway.sh
rig_gateway bench-p5 -- --gateway.clusters.rig.live-usage-interval="${P5_INTERVAL:-5s}"

P5_SSH="${SSH[*]}" GATEWAY_PORT=$PORT python3 bench/p5-live-usage.py
