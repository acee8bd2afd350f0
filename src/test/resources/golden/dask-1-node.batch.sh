#!/bin/bash
#SBATCH --job-name=sg-3f2504e0-4f89-41d3-9a0c-0305e82c3301
#SBATCH --chdir=/home/u/runs/3f2504e0-4f89-41d3-9a0c-0305e82c3301
#SBATCH --output=/home/u/runs/3f2504e0-4f89-41d3-9a0c-0305e82c3301/stdout.log
#SBATCH --error=/home/u/runs/3f2504e0-4f89-41d3-9a0c-0305e82c3301/stderr.log
#SBATCH --partition=debug
#SBATCH --time=30
#SBATCH --nodes=1
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --signal=B:USR1@60
# Written by Slurm Gateway for run 3f2504e0-4f89-41d3-9a0c-0305e82c3301. Values below are single-quoted data.
export KEY='value'
export SLURM_GATEWAY_DASK_WORKER_ARGS='--nworkers=1'
export SLURM_GATEWAY_DASK_WORKER_MEMORY='1073741824'
export SLURM_GATEWAY_DASK_WORKER_THREADS='2'
export SLURM_GATEWAY_FRAMEWORK='dask'
export SLURM_GATEWAY_HEAD_TIMEOUT='120'
export SLURM_GATEWAY_MODE='slurm'
export SLURM_GATEWAY_PAYLOAD='./payload'
export SLURM_GATEWAY_PYTHON='/usr/bin/python3'
export SLURM_GATEWAY_PYTHON_ACTIVATE='/opt/venv/bin/activate'
export SLURM_GATEWAY_REGISTRATION_TIMEOUT='300'
export SLURM_GATEWAY_RUN_ID='3f2504e0-4f89-41d3-9a0c-0305e82c3301'
# The staged files, as the gateway wrote them; Slurm keeps its own copy of this script.
printf '%s  %s\n' '11c0e31aafa8b8bfdbc2dbe3cfdcce0acf989ccf97b19e958c3011c7e016c91e' './job.sh' '87cf59d0adf3e56c25354cb4e48f855870b965589b32a4161e26a5795d5b2448' './framework.sh' 'dbe3361d67195d4a208f6edb00299bbf1f9dc72d3aba36f9a49bf7441041b0c1' './claim-ports.sh' 'caf026f25d7140209f98072605307a438914b9ce6f3c14b23d15d9667241de52' './payload' | sha256sum --check --status --strict - || {
  echo 'slurm-gateway: a staged file of run 3f2504e0-4f89-41d3-9a0c-0305e82c3301 changed after it was staged; nothing of the run was executed' >&2
  exit 97
}
# The job runs in a process group of its own; SIGUSR1, sent to this shell 60 s before the time limit, goes on to that whole group.
job=
forward() {
  [ -n "$job" ] && kill -s USR1 -- "-$job" 2>/dev/null && printf '%s %(%s)T\n' USR1 -1 >> ./signals.log
}
trap forward USR1 # before the job starts, so that this shell never dies of the signal
set -m
'/bin/bash' './job.sh' '--size' '10' &
job=$!
set +m # the job keeps its group; no job notices on its standard error
wait "$job"
status=$?
while :; do
  if kill -0 "$job" 2>/dev/null; then wait "$job"; status=$?; continue; fi # cut short by the signal
  wait "$job" # it has ended: asked again, bash answers with its status (or 127 once it was given)
  again=$?
  [ "$again" -ne 127 ] && status=$again
  break
done
exit "$status"
