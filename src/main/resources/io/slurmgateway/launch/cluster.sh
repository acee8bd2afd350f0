#!/bin/bash
# Written by Slurm Gateway: the job script of the spark, dask and ray launchers, one skeleton for all three;
# ./framework.sh holds the few functions that differ. Every value arrives as an environment variable or an argument
# and is used as data: nothing here is built from a client's input.
#
# As the job (SLURM_GATEWAY_ROLE unset), on the allocation's first node:
#   1. claims ports on this node (./claim-ports.sh) and starts the head, in a process group of its own;
#   2. waits until the head is ready (SLURM_GATEWAY_HEAD_TIMEOUT seconds), failing at once when it died;
#   3. starts the workers: srun with one task per node runs this script again with SLURM_GATEWAY_ROLE=worker (in
#      local mode, one worker on this machine);
#   4. waits until every node's worker has joined (SLURM_GATEWAY_REGISTRATION_TIMEOUT), failing at once when the
#      workers or the head died;
#   5. runs the payload in the foreground with the cluster's address exported, and ends with its exit code;
#   6. on every way out (the payload's end, a failure, a cancel, the time limit) stops the workers and the head and
#      whatever they started, by process id, so never another job's processes; gathers their logs into framework/ in
#      the run's directory and frees the ports.
# Addresses the run publishes (dashboards, UIs) are appended to endpoints.log as "NAME URL" lines.
set -u
STARTED=${EPOCHREALTIME/./} # microseconds, without starting a process
SIGNALS=(USR1 USR2 TERM INT HUP QUIT ALRM URG XCPU)
NODE=${SLURMD_NODENAME:-$(hostname)}
GRACE=${SLURM_GATEWAY_STOP_GRACE:-10}

say() { printf 'slurm-gateway[%s %(%H:%M:%S)T]: %s\n' "$NODE" -1 "$*" >&2; }
fail() { say "$*"; exit 1; }

# list NAME VARIABLE: the array NAME gets the variable's lines, one item each (none when it is unset or empty)
list() {
  local -n items=$1
  items=()
  if [ -n "${!2:-}" ]; then mapfile -t items <<< "${!2}"; fi
}

# the address this node's processes listen on and publish: the configured interface's IPv4 address, or the host name
node_address() {
  if [ -z "${SLURM_GATEWAY_NETWORK_INTERFACE:-}" ]; then
    hostname
    return
  fi
  local address
  address=$(ip -o -4 addr show dev "$SLURM_GATEWAY_NETWORK_INTERFACE" 2>/dev/null | awk '{ split($4, a, "/"); print a[1]; exit }')
  [ -n "$address" ] || return 1
  echo "$address"
}

# whether process $1 runs (a zombie does not)
alive() {
  local stat
  { read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# process $1 and its descendants, children first
tree_of() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do tree_of "$child"; done
  echo "$1"
}

# stops process $1 and everything it started: SIGTERM to all, SIGKILL to what is left after $GRACE seconds
stop_tree() {
  local pids pid left tick
  pids=$(tree_of "$1")
  kill -TERM $pids 2>/dev/null
  for (( tick = 0; tick < GRACE * 10; tick++ )); do
    left=()
    for pid in $pids; do alive "$pid" && left+=("$pid"); done
    [ "${#left[@]}" -eq 0 ] && return 0
    sleep 0.1
  done
  say "still running after ${GRACE} s, killed: ${left[*]}"
  kill -KILL "${left[@]}" 2>/dev/null
}

# claim COUNT: sets ports (an array) to COUNT ports claimed on this node for this process
claimed=()
claim() {
  local line
  line=$(/bin/bash ./claim-ports.sh "$1" "$$") || return 1
  read -r -a ports <<< "$line"
  claimed+=("${ports[@]}")
}

release_ports() {
  local port
  for port in "${claimed[@]}"; do rm -f -- "${SLURM_GATEWAY_PORTS_DIR:-/tmp/slurm-gateway-ports}/$port"; done
  claimed=()
}

# a directory on this node's local disk for the framework's files, gathered into framework/ when it stops
make_scratch() {
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/sg-XXXXXXXX") || fail "cannot create a directory in ${TMPDIR:-/tmp}"
}

gather_scratch() { # gather_scratch NAME: copies the logs of $scratch to framework/NAME and removes it
  [ -n "${scratch:-}" ] && [ -d "$scratch" ] || return 0
  mkdir -p "framework/$1"
  (cd "$scratch" && find . -type f \( -name '*.log' -o -name '*.out' -o -name '*.err' -o -name stdout -o -name stderr \) \
    -size -64M -exec cp --parents -t "$OLDPWD/framework/$1" {} + 2>/dev/null)
  rm -rf -- "$scratch"
}

# http_get HOST PORT PATH: the response to a plain HTTP/1.0 GET, within 5 seconds (for readiness and worker counts)
http_get() {
  timeout 5 /bin/bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "GET %s HTTP/1.0\r\n\r\n" "$2" >&3 && cat <&3' "$@"
}

publish() { # publish NAME URL: an address the run shows
  printf '%s %s\n' "$1" "$2" >> endpoints.log
  say "$1: $2"
}

# wait_until WHAT SECONDS PID LOG CHECK...: runs CHECK until it succeeds; fails when PID ended (showing the end of
# LOG, where the process wrote why), the job is asked to stop, or SECONDS pass
wait_until() {
  local what=$1 seconds=$2 pid=$3 log=$4 deadline
  shift 4
  deadline=$(( SECONDS + seconds ))
  until "$@"; do
    [ -z "$stopping" ] || fail "asked to stop (SIG$stopping) while waiting for $what"
    if ! alive "$pid"; then
      say "$what: the process ended before it was ready; the end of $log:"
      tail -n 20 "$log" >&2
      exit 1
    fi
    (( SECONDS < deadline )) || fail "$what: not ready after $seconds s (see framework/ in the run's directory)"
    sleep 0.2
  done
}

pre_start() {
  if [ -n "${SLURM_GATEWAY_PRE_START:-}" ]; then
    set +u
    source "$SLURM_GATEWAY_PRE_START" || fail "the pre-start lines failed"
    set -u
  fi
}

activate_python() {
  if [ -n "${SLURM_GATEWAY_PYTHON_ACTIVATE:-}" ]; then
    set +u
    source "$SLURM_GATEWAY_PYTHON_ACTIVATE" || fail "sourcing $SLURM_GATEWAY_PYTHON_ACTIVATE failed"
    set -u
  fi
}

# ---- a worker: one per node, started by srun (or by the job in local mode) ----------------------------------------
worker_pid=
stop_worker() {
  [ -n "$worker_pid" ] && stop_tree "$worker_pid"
  gather_scratch "$NODE"
  release_ports
}

run_worker() {
  trap stop_worker EXIT
  # USR1 is the job's request to stop (srun passes it on, where TERM would make it kill the step at once); TERM, INT
  # and HUP come from Slurm at a cancel or the time limit
  trap 'exit 0' USR1
  trap 'exit 143' TERM INT HUP
  address=$(node_address) || fail "no IPv4 address on interface $SLURM_GATEWAY_NETWORK_INTERFACE"
  pre_start
  activate_python
  claim "$FW_WORKER_PORTS" || fail "no free ports for the worker on this node"
  worker_ports=("${ports[@]}")
  make_scratch
  say "worker on $address, ports ${worker_ports[*]}"
  fw_worker > "framework/worker-$NODE.log" 2>&1 &
  worker_pid=$!
  wait "$worker_pid"
  status=$?
  say "worker ended with $status"
  exit "$status"
}

# ---- the job ------------------------------------------------------------------------------------------------------
head_pid=
workers_pid=
payload_running=
stopping=

cleanup() {
  status=$?
  trap - "${SIGNALS[@]}"
  if [ -n "$workers_pid" ]; then
    kill -USR1 "$workers_pid" 2>/dev/null # srun passes it on to every worker, which stops its own processes
    local tick
    for (( tick = 0; tick < (GRACE + 5) * 10; tick++ )); do alive "$workers_pid" || break; sleep 0.1; done
    alive "$workers_pid" && stop_tree "$workers_pid"
    wait "$workers_pid" 2>/dev/null
  fi
  [ -n "$head_pid" ] && stop_tree "$head_pid"
  gather_scratch head
  release_ports
  say "cleaned up; the job ends with $status"
  exit "$status"
}

# A signal the job gets while the payload runs is the payload's (Slurm sends TERM to every process; a pre-timeout
# signal comes through the job's process group): the payload decides, and cleanup follows its end. Before it runs,
# TERM, INT and HUP stop the job.
on_signal() {
  if [ -z "$payload_running" ] && [[ $1 == TERM || $1 == INT || $1 == HUP ]]; then stopping=$1; fi
}

joined_all() {
  local joined
  alive "$head_pid" || fail "the $SLURM_GATEWAY_FRAMEWORK head ended while the workers joined"
  joined=$(fw_joined 2>/dev/null)
  [[ $joined =~ ^[0-9]+$ ]] && (( joined >= nodes ))
}

run_job() {
  mkdir -p framework
  : > endpoints.log
  trap cleanup EXIT
  local signal
  for signal in "${SIGNALS[@]}"; do trap "on_signal $signal" "$signal"; done
  if [ "$SLURM_GATEWAY_MODE" = slurm ]; then nodes=${SLURM_JOB_NUM_NODES:-1}; else nodes=1; fi
  address=$(node_address) || fail "no IPv4 address on interface $SLURM_GATEWAY_NETWORK_INTERFACE"
  pre_start
  activate_python
  fw_check || exit 1

  claim "$FW_HEAD_PORTS" || fail "no free ports for the head on this node"
  head_ports=("${ports[@]}")
  make_scratch
  say "head on $address, ports ${head_ports[*]}; $nodes node(s)"
  set -m
  fw_head > framework/head.log 2>&1 &
  head_pid=$!
  set +m # the head keeps its own group, out of reach of signals meant for the payload; no job notices
  wait_until "the $SLURM_GATEWAY_FRAMEWORK head" "$SLURM_GATEWAY_HEAD_TIMEOUT" "$head_pid" framework/head.log \
    fw_head_ready
  export SLURM_GATEWAY_HEAD_ADDRESS=$address SLURM_GATEWAY_HEAD_PORTS="${head_ports[*]}"
  fw_published

  local workers=$nodes first=0
  [ "${FW_WORKER_ON_HEAD_NODE:-1}" = 1 ] || { workers=$(( nodes - 1 )); first=1; }
  if (( workers > 0 )); then
    set -m
    if [ "$SLURM_GATEWAY_MODE" = slurm ]; then
      SLURM_GATEWAY_ROLE=worker srun --overlap --nodes="$workers" --ntasks="$workers" --ntasks-per-node=1 \
        --relative="$first" --kill-on-bad-exit=0 /bin/bash "$0" > framework/workers.log 2>&1 &
    else
      SLURM_GATEWAY_ROLE=worker /bin/bash "$0" > framework/workers.log 2>&1 &
    fi
    workers_pid=$!
    set +m
  fi
  wait_until "$nodes node(s) joining the $SLURM_GATEWAY_FRAMEWORK cluster" "$SLURM_GATEWAY_REGISTRATION_TIMEOUT" \
    "${workers_pid:-$head_pid}" framework/workers.log joined_all
  local now=${EPOCHREALTIME/./} took
  printf -v took '%d.%06d' $(( (now - STARTED) / 1000000 )) $(( (now - STARTED) % 1000000 ))
  say "all $nodes node(s) joined; bring-up: $took s; the payload starts"

  payload_running=1
  ( fw_payload "$@" )
  status=$?
  payload_running=
  say "the payload ended with $status"
  exit "$status"
}

source ./framework.sh
if [ "${SLURM_GATEWAY_ROLE:-}" = worker ]; then run_worker; else run_job "$@"; fi
