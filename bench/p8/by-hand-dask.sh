#!/bin/bash
# P8's baseline: a Dask cluster started by hand in the allocation, as lean as a user would write it (fixed ports, no
# claims, no scratch directories), waiting for the same things as the dask launcher: the scheduler's /health, then
# one worker per node in its counts. Prints "bring-up: S s" (script start to payload start) on stderr.
start=${EPOCHREALTIME/./}
host=$(hostname)
nodes=$SLURM_JOB_NUM_NODES
get() { timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "GET %s HTTP/1.0\r\n\r\n" "$2" >&3 && cat <&3' "$host" 38787 "$1" 2>/dev/null; }
python3 -m distributed.cli.dask_scheduler --host "$host" --port 38786 --dashboard-address "$host:38787" > scheduler.log 2>&1 &
scheduler=$!
until get /health | grep -q '^ok'; do (( SECONDS < 120 )) || exit 3; sleep 0.2; done
srun --overlap --nodes="$nodes" --ntasks="$nodes" --ntasks-per-node=1 python3 -m distributed.cli.dask_worker \
  "tcp://$host:38786" --host "$host" --nthreads "$SLURM_CPUS_ON_NODE" --no-dashboard > workers.log 2>&1 &
workers=$!
until [ "$(get /json/counts.json | grep -o '"workers": *[0-9]*' | grep -o '[0-9]*$')" -ge "$nodes" ] 2>/dev/null; do (( SECONDS < 120 )) || exit 3; sleep 0.2; done
now=${EPOCHREALTIME/./}
printf 'bring-up: %d.%06d s\n' $(( (now - start) / 1000000 )) $(( (now - start) % 1000000 )) >&2
DASK_SCHEDULER_ADDRESS="tcp://$host:38786" python3 -c 'import os; from distributed import Client; print(len(Client(os.environ["DASK_SCHEDULER_ADDRESS"]).scheduler_info()["workers"]))'
status=$?
kill "$workers" "$scheduler"
wait
exit $status
