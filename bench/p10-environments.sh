#!/usr/bin/env bash
# P10 on the rig: an environment pack's first use through the gateway (PUT of the pack, then a run naming it, until
# its payload starts with the pack unpacked and sourced), against scp of the same file plus tar -x over one
# multiplexed ssh connection; then what a cached pack adds to POST -> job id, against the same run without one.
# Needs: sudo scripts/slurm-rig.sh up, and a built jar (./mvnw -q -DskipTests package). Env: P10_PACK_MB (200),
# P10_REPS (5), P10_FIRST_WARMUP (1), P10_PAIRS (20), P10_WARMUP (3), P10_FILES (8), P10_GATEWAY_ARGS (more gateway
# options), BENCH_JAVA_HOME (default: the java on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/rig-gateway.sh
remote=bench-p10-$$
# the gateway's blob store and local cache default to ./data under the working directory: keep them in a scratch
# directory of this run; the cluster's cache is a directory of this run too, removed between repetitions
P10_LOCAL=$(mktemp -d)
rig_gateway "$remote" -- --gateway.blobs.dir="$P10_LOCAL/blobs" --gateway.blobs.local-cache.dir="$P10_LOCAL/cache" \
  --gateway.clusters.rig.cache.dir="$remote-cache" ${P10_GATEWAY_ARGS:-}
p10_cleanup() {
  "${SSH[@]}" "rm -rf $remote-cache $remote-direct $remote" 2>/dev/null || true
  rm -rf "$P10_LOCAL"
}
trap 'p10_cleanup; rig_gateway_cleanup' EXIT

P10_SSH="${SSH[*]}" GATEWAY_PORT=$PORT P10_LOCAL_DIR="$P10_LOCAL/pack" \
P10_SCP="scp -q -P 2222 -i $RIG/ssh/id_ed25519 -o BatchMode=yes -o UserKnownHostsFile=$RIG/ssh/known_hosts \
         -o ControlPath=$CONTROL" \
P10_CACHE_DIR="$remote-cache" P10_DIRECT_DIR="$remote-direct" \
  python3 bench/p10-environments.py
