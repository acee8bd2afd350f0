#!/usr/bin/env bash
# P1 on the rig: POST -> recorded job id through the gateway, against sbatch over one multiplexed ssh connection.
# Needs: sudo scripts/slurm-rig.sh up, and a built jar (./mvnw -q -DskipTests package). Env: P1_PAIRS, P1_WARMUP,
# BENCH_JAVA_HOME (default: the java on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/rig-gateway.sh
rig_gateway bench-p1

"${SSH[@]}" 'mkdir -p bench-p1-direct && printf "#!/bin/bash\n#SBATCH --output=/dev/null\ntrue\n" > bench-p1-direct/batch.sh'

# the files the gateway stages for a `true` run, for the by-hand staging comparison
printf '#!/bin/bash\n#SBATCH --output=/dev/null\nexec /bin/bash ./job.sh\n' > "$WORK/batch.sh"
printf '#!/bin/bash\nexec /bin/bash ./payload\n' > "$WORK/job.sh"
printf 'true\n' > "$WORK/payload"
P1_SSH="${SSH[*]}" P1_BASELINE_SCRIPT=bench-p1-direct/batch.sh GATEWAY_PORT=$PORT \
P1_SFTP="sftp -q -P 2222 -i $RIG/ssh/id_ed25519 -o BatchMode=yes -o UserKnownHostsFile=$RIG/ssh/known_hosts -o ControlPath=$CONTROL hpcuser@127.0.0.1" \
P1_LOCAL_FILES="$WORK/batch.sh $WORK/job.sh $WORK/payload" \
  python3 bench/p1-submit-latency.py
