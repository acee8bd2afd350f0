#!/usr/bin/env bash
# P8 on the rig: bring-up overhead of the spark and dask launchers (job script start -> payload start) on 1 and 2
# nodes, against the same framework started by hand in the same allocation (bench/p8/by-hand-*.sh); medians of
# alternated repeats and their ratio. Needs: sudo scripts/slurm-rig.sh up (Spark and Dask on the nodes) and a built
# jar (./mvnw -q -DskipTests package). Env: P8_REPEATS (5), P8_NODES ("1 2"), P8_LAUNCHERS ("spark dask").
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/rig-gateway.sh
remote=bench-p8-$$
rig_gateway "$remote"
P8_SSH="${SSH[*]}" P8_REMOTE_DIR="/home/hpcuser/$remote" GATEWAY_PORT=$PORT python3 bench/p8-launcher-bringup.py
