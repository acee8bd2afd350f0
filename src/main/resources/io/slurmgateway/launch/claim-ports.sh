# Claims COUNT consecutive TCP ports on this node for one job, so that two jobs that start services on one node (a
# Spark master, a Dask scheduler, a Ray head and their workers) never pick the same ports, whichever users run them.
# Arguments: COUNT HOLDER_PID. Prints the ports, space-separated, on one line.
#
# A claim is one file per port in $SLURM_GATEWAY_PORTS_DIR (default /tmp/slurm-gateway-ports, mode 1777 like /tmp),
# created with noclobber, which is atomic between processes and users alike; it holds the holder's pid and start time
# (so a reused pid is not mistaken for the holder). A claim whose holder has ended is stale and is taken over, so a
# job killed before its cleanup frees its ports at the next claim. The caller removes its files when it stops.
# A port is also skipped while any socket on this node uses it (/proc/net/tcp and tcp6), whoever opened it.
# Candidates run from SLURM_GATEWAY_PORTS_FROM to SLURM_GATEWAY_PORTS_TO (default 20000-29999, below Linux's ephemeral
# range), in blocks of COUNT, starting at a block chosen by the holder's pid so that concurrent claims rarely meet.
# No process is started: everything here is a bash builtin, since a node may take 10 ms to start each.
# Exit status: 0, 2 for bad arguments, 3 when no block is free.
set -u
count=${1:-}
holder=${2:-}
from=${SLURM_GATEWAY_PORTS_FROM:-20000}
to=${SLURM_GATEWAY_PORTS_TO:-29999}
dir=${SLURM_GATEWAY_PORTS_DIR:-/tmp/slurm-gateway-ports}
number='^[1-9][0-9]{0,5}$'
[[ $count =~ $number && $holder =~ $number && $from =~ $number && $to =~ $number ]] \
  || { echo "claim-ports: usage: COUNT HOLDER_PID (and numeric SLURM_GATEWAY_PORTS_FROM/TO)" >&2; exit 2; }
(( count <= 64 && from + count - 1 <= to && to <= 65535 )) || { echo "claim-ports: bad range or count" >&2; exit 2; }

started_at() { # sets $started to a process's start time: field 22 of /proc/PID/stat, after the command name's ")"
  local stat fields
  started=
  { read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  read -r -a fields <<< "$stat"
  started=${fields[19]}
}
started_at "$holder" || { echo "claim-ports: no process $holder" >&2; exit 2; }
me=$started

if [ ! -d "$dir" ]; then
  mkdir -m 1777 -- "$dir" 2>/dev/null || [ -d "$dir" ] || { echo "claim-ports: cannot create $dir" >&2; exit 3; }
fi

declare -A used=()
for table in /proc/net/tcp /proc/net/tcp6; do
  [ -r "$table" ] || continue
  while read -r _ local _; do
    [[ $local == *:* ]] || continue
    used[$((16#${local##*:}))]=1
  done < "$table"
done

stale() { # whether the claim file $1 belongs to a process that has ended
  local pid start
  { read -r pid start < "$1"; } 2>/dev/null || return 1 # unreadable or being written: treat as held
  [[ $pid =~ $number ]] || return 0
  started_at "$pid" || return 0
  [ "$started" != "$start" ]
}

blocks=$(( (to - from + 1) / count ))
first_block=$(( holder % blocks ))
for (( i = 0; i < blocks; i++ )); do
  start=$(( from + ((first_block + i) % blocks) * count ))
  taken=()
  for (( port = start; port < start + count; port++ )); do
    [ -z "${used[$port]:-}" ] || break
    claim=$dir/$port
    if [ -e "$claim" ] && stale "$claim"; then
      rm -f -- "$claim" 2>/dev/null # another user's stale claim in the sticky directory stays; the port is skipped
    fi
    set -C # the claim: creating the file fails when it exists, atomically
    { printf '%s %s\n' "$holder" "$me" > "$claim"; } 2>/dev/null
    created=$?
    set +C
    [ "$created" -eq 0 ] || break
    taken+=("$port")
  done
  if [ "${#taken[@]}" -eq "$count" ]; then
    echo "${taken[*]}"
    exit 0
  fi
  for port in "${taken[@]}"; do rm -f -- "$dir/$port"; done
done
echo "claim-ports: no $count free consecutive ports between $from and $to" >&2
exit 3
