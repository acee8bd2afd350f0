#!/usr/bin/env bash
# slurm-rig.sh up|down|status — a real two-node Slurm cluster with accounting and an SSH login node, on this
# one Debian/Ubuntu machine, for the gateway's Slurm tests, benchmarks and quickstart. Run as root.
#
#   munged -> [MariaDB] -> slurmdbd -> slurmctld -> slurmd c1, c2 -> sshd 127.0.0.1:2222 (users hpcuser and
#   hpcuser2, key only: the second is another tenant, for the tests of tenant identities)
#
#   Two more accounts, like the first but with untidy login shells, for the tests of remote commands:
#   hpctcsh   login shell tcsh, whose ~/.cshrc prints a banner on stdout and stderr
#   hpcbanner login shell bash, whose ~/.bashrc (which bash reads for ssh commands) and ~/.profile print banners on
#             stdout and stderr
#   Their users and keys are in $RIG_DIR/login-shells.yml as rig.login-shells.<tcsh|banner>.{user,private-key}
#   (a file of its own, which the gateway does not read).
#
# up      installs missing packages and the launchers' frameworks (Spark, Dask: scripts/rig-frameworks.sh), writes
#         every configuration, starts what is not running, waits until the nodes are idle and an SSH login works,
#         then writes $RIG_DIR/application-rig.yml (cluster "rig").
#         Idempotent: running it again only checks, and restarts Slurm if its generated configuration changed.
# down    stops, by pid, everything `up` started (MariaDB only if `up` started it), after cancelling all jobs.
# status  prints what runs; exit code 0 only when the whole rig is up.
#
# Environment:
#   RIG_DIR   state directory: keys, sshd files, pids, logs, the gateway configuration  (default: <repo>/.slurm-rig)
#   HOME_BASE where the SSH user's home is created (default: /home)
#   SSH_PORT  (2222)   SSH_USER (hpcuser)   TENANT_USER (hpcuser2)   TCSH_USER (hpctcsh)   BANNER_USER (hpcbanner)
#   NODES (2)   CPUS_PER_NODE (2)   MEM_PER_NODE (2048, MB)
#   FRAMEWORKS_DIR (/opt/slurm-rig)   SPARK_VERSION (3.5.8): where Spark and the examples go, see rig-frameworks.sh
#   CGROUPS   auto | 1 | 0: with cgroups a job over its memory ends OUT_OF_MEMORY, without it FAILED 0:9
#             (auto = on when a cgroup v1 memory controller is mounted)
# Facts and pitfalls behind each choice: shared/reference/SLURM-RIG.md.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RIG_DIR=${RIG_DIR:-$REPO_DIR/.slurm-rig}
SSH_PORT=${SSH_PORT:-2222}
SSH_USER=${SSH_USER:-hpcuser}
TENANT_USER=${TENANT_USER:-hpcuser2}
TCSH_USER=${TCSH_USER:-hpctcsh}
BANNER_USER=${BANNER_USER:-hpcbanner}
NODES=${NODES:-2}
CPUS_PER_NODE=${CPUS_PER_NODE:-2}
MEM_PER_NODE=${MEM_PER_NODE:-2048}
CGROUPS=${CGROUPS:-auto}
CLUSTER_NAME=rigcluster
DB_PASSWORD=slurmdbpass
SSH_DIR=$RIG_DIR/ssh
PID_DIR=$RIG_DIR/run
# the cluster user's home, as on a real cluster; outside the state directory so that sshd's StrictModes and the
# user itself can reach it wherever the repository is checked out
HOME_BASE=${HOME_BASE:-/home}
CONFIG_OUT=$RIG_DIR/application-rig.yml
LOGIN_SHELLS_OUT=$RIG_DIR/login-shells.yml
FRAMEWORKS_DIR=${FRAMEWORKS_DIR:-/opt/slurm-rig}
SPARK_VERSION=${SPARK_VERSION:-3.5.8}

started=$(date +%s%N)
say() { printf '[%5dms] %s\n' "$(( ($(date +%s%N) - started) / 1000000 ))" "$*"; }
fail() { echo "slurm-rig: $*" >&2; exit 1; }

# wait_until SECONDS WHAT COMMAND... : retries COMMAND every 0.1 s; fails naming WHAT on timeout
wait_until() {
  local deadline=$(( $(date +%s) + $1 )) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "timed out after ${deadline}s waiting for $what"
    sleep 0.1
  done
}
# alive PID : a running process; a zombie counts as dead (PID 1 here reaps orphans late)
alive() { local state; state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ "$state" != Z ]; }
# pid_in PIDFILE NAME : prints the pid when the file names a live process called NAME
pid_in() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(tr -dc 0-9 < "$1")
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && alive "$pid" && echo "$pid"
}
# stop_by_pid PIDFILE NAME : TERM, up to 20 s, then KILL
stop_by_pid() {
  local pid
  if pid=$(pid_in "$1" "$2"); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 200); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null
    say "stopped $2 ($pid)"
  fi
  rm -f "$1"
}

node_names() { local i; for i in $(seq 1 "$NODES"); do echo "c$i"; done; }

install_missing_packages() {
  # slurm-wlm is only a metapackage of slurmctld, slurmd and slurm-client; its recommends pull in ~50 packages
  local wanted=(slurmctld slurmd slurm-client slurmdbd munge openssh-server openssh-client tcsh) missing=() p
  # a database that already answers on 127.0.0.1:3306 is used as it is: only its client is needed
  if (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null; then wanted+=(mariadb-client); else wanted+=(mariadb-server); fi
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "installing ${missing[*]}"
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # keep the packages' maintainer scripts from starting daemons: this script starts them itself
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; own_policy=1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" > "$RIG_DIR/apt.log" 2>&1 \
    || { tail -20 "$RIG_DIR/apt.log"; fail "apt-get install failed (log: $RIG_DIR/apt.log)"; }
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  say "packages installed"
}

use_cgroups() {
  case "$CGROUPS" in
    1) return 0 ;;
    0) return 1 ;;
    *) [ -d /sys/fs/cgroup/memory ] && [ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ] ;;
  esac
}

# Slurm binds to what `hostname` resolves to; only when that is 127.0.0.1 can it be kept off other interfaces.
communication_parameters() {
  local resolved; resolved=$(getent ahostsv4 "$(hostname)" | awk 'NR==1{print $1}')
  if [ "$resolved" = 127.0.0.1 ]; then
    echo "CommunicationParameters=NoCtldInAddrAny,NoInAddrAny"
  else
    echo "slurm-rig: WARNING: $(hostname) resolves to '${resolved:-nothing}', not 127.0.0.1; the Slurm daemons" \
         "listen on all interfaces (sshd and MariaDB stay on 127.0.0.1)" >&2
    echo "# $(hostname) does not resolve to 127.0.0.1: Slurm binds all interfaces"
  fi
}

slurm_conf() {
  local port=17001 node
  cat <<EOF
# written by slurm-gateway scripts/slurm-rig.sh
ClusterName=$CLUSTER_NAME
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=6817
$(communication_parameters)
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd/%n
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd-%n.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd-%n.log
MailProg=/bin/true
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,bf_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
EnforcePartLimits=ALL
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=6819
JobCompType=jobcomp/none
ReturnToService=2
MinJobAge=300
KillWait=5
InactiveLimit=0
SlurmdParameters=config_overrides
EOF
  if use_cgroups; then
    printf 'ProctrackType=proctrack/cgroup\nTaskPlugin=task/cgroup\nJobAcctGatherParams=NoOverMemoryKill\n'
  else
    printf 'ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\nJobAcctGatherParams=OverMemoryKill\n'
  fi
  for node in $(node_names); do
    echo "NodeName=$node NodeHostname=localhost NodeAddr=127.0.0.1 Port=$port CPUs=$CPUS_PER_NODE Sockets=1" \
         "CoresPerSocket=$CPUS_PER_NODE ThreadsPerCore=1 RealMemory=$MEM_PER_NODE State=UNKNOWN"
    port=$((port + 1))
  done
  echo "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP"
  echo "PartitionName=long Nodes=ALL MaxTime=INFINITE State=UP"
  # many small jobs at once on the same cores, for benchmarks that need more concurrent jobs than the rig has CPUs
  echo "PartitionName=shared Nodes=ALL MaxTime=INFINITE State=UP OverSubscribe=FORCE:100"
}

# replace_if_changed FILE CONTENT : writes FILE when it differs; exit status 0 when it changed
replace_if_changed() {
  [ "$(cat "$1" 2>/dev/null)" = "$2" ] && return 1
  printf '%s\n' "$2" > "$1"
}

start_munge() {
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key; chmod 600 /etc/munge/munge.key
  install -d -o munge -g munge -m 755 /run/munge
  if ! pid_in /run/munge/munged.pid munged >/dev/null; then
    runuser -u munge -- /usr/sbin/munged --force
    touch "$PID_DIR/munged.owned"
    say "munged started"
  fi
  wait_until 10 munged bash -c 'munge -n | unmunge'
}

start_database() {
  local host=localhost sql=(mariadb -uroot)
  if mariadb-admin ping >/dev/null 2>&1; then :
  elif mariadb-admin -h127.0.0.1 -uroot ping >/dev/null 2>&1; then host=127.0.0.1; sql=(mariadb -h127.0.0.1 -uroot)
  else
    install -d -o mysql -g root /run/mysqld
    # the pid file goes where the mysql user may write it: mariadbd drops to that user before writing it
    setsid -f /usr/sbin/mariadbd --user=mysql --bind-address=127.0.0.1 --pid-file=/run/mysqld/mysqld.pid \
      < /dev/null > "$RIG_DIR/mariadb.log" 2>&1
    touch "$PID_DIR/mariadbd.owned"
    wait_until 60 MariaDB mariadb-admin ping
    say "MariaDB started"
  fi
  "${sql[@]}" <<EOF
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON slurm_acct_db.* TO 'slurm'@'localhost';
GRANT ALL PRIVILEGES ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
EOF
  local dbd_conf
  dbd_conf=$(cat <<EOF
AuthType=auth/munge
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=6819
CommunicationParameters=NoInAddrAny
SlurmUser=slurm
LogFile=/var/log/slurm/slurmdbd.log
PidFile=/run/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=$host
StorageUser=slurm
StoragePass=$DB_PASSWORD
StorageLoc=slurm_acct_db
EOF
)
  replace_if_changed /etc/slurm/slurmdbd.conf "$dbd_conf" && stop_by_pid /run/slurmdbd.pid slurmdbd
  chown slurm:slurm /etc/slurm/slurmdbd.conf; chmod 600 /etc/slurm/slurmdbd.conf  # slurmdbd refuses anything else
  if ! pid_in /run/slurmdbd.pid slurmdbd >/dev/null; then
    /usr/sbin/slurmdbd
    say "slurmdbd started"
  fi
  wait_until 60 slurmdbd sacctmgr -n list cluster
}

nodes_idle() {
  [ "$(sinfo -h -N -o '%N' | sort -u | wc -l)" = "$NODES" ] \
    && [ -z "$(sinfo -h -N -o '%T' | grep -Ev '^(idle|mixed|allocated|completing)$')" ]
}

start_slurm() {
  local changed=1 node cgroup_conf=""
  install -d -o slurm -g slurm /var/spool/slurmctld /var/log/slurm
  for node in $(node_names); do mkdir -p "/var/spool/slurmd/$node"; done
  replace_if_changed /etc/slurm/slurm.conf "$(slurm_conf)" || changed=0
  use_cgroups && cgroup_conf=$'CgroupPlugin=autodetect\nIgnoreSystemd=yes\nConstrainCores=no\nConstrainRAMSpace=yes\nConstrainSwapSpace=no'
  if [ -n "$cgroup_conf" ]; then replace_if_changed /etc/slurm/cgroup.conf "$cgroup_conf" && changed=1
  elif [ -e /etc/slurm/cgroup.conf ]; then rm -f /etc/slurm/cgroup.conf; changed=1; fi
  start_database
  if [ "$changed" = 1 ]; then
    for node in $(node_names); do stop_by_pid "/run/slurmd-$node.pid" slurmd; done
    stop_by_pid /run/slurmctld.pid slurmctld
  fi
  pid_in /run/slurmctld.pid slurmctld >/dev/null || { /usr/sbin/slurmctld; say "slurmctld started"; }
  for node in $(node_names); do
    pid_in "/run/slurmd-$node.pid" slurmd >/dev/null || { /usr/sbin/slurmd -N "$node"; say "slurmd $node started"; }
  done
  wait_until 30 slurmctld scontrol ping
  if ! (for _ in $(seq 100); do nodes_idle && exit 0; sleep 0.1; done; exit 1); then
    scontrol update nodename="$(node_names | paste -sd,)" state=resume 2>/dev/null || true  # DOWN left by a crash
    wait_until 30 "idle nodes" nodes_idle
  fi
  say "nodes: $(sinfo -h -N -o '%N=%T' | sort -u | paste -sd' ')"
}

# create_user USER KEY [SHELL] : a cluster account with its own home (mode 700, so no other account reads it), logging
# in with the key pair KEY and KEY.pub, and a Slurm association in account rigacct; SHELL is its login shell (bash)
create_user() {
  local user=$1 key=$2 shell=${3:-/bin/bash} home
  # password '*' rather than useradd's locked '!': sshd without PAM refuses key logins to locked accounts
  getent passwd "$user" >/dev/null || useradd -m -d "$HOME_BASE/$user" -s "$shell" -p '*' "$user"
  [ "$(getent passwd "$user" | cut -d: -f7)" = "$shell" ] || usermod -s "$shell" "$user"
  home=$(getent passwd "$user" | cut -d: -f6)
  chmod 700 "$home"
  runuser -u "$user" -- test -x "$home" || fail "$user cannot reach its home $home: make its parents traversable"
  [ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -C "$user@slurm-rig" -f "$key"
  install -d -m 700 -o "$user" -g "$user" "$home/.ssh"
  install -m 600 -o "$user" -g "$user" "$key.pub" "$home/.ssh/authorized_keys"
  if [ -z "$(sacctmgr -n -P show assoc where user="$user" format=account 2>/dev/null)" ]; then
    sacctmgr -i add account rigacct Description=rig Organization=rig >/dev/null 2>&1 || true
    sacctmgr -i add user "$user" Account=rigacct DefaultAccount=rigacct >/dev/null 2>&1 || true
  fi
}

# profile USER FILE TEXT : a shell start-up file in USER's home, owned by USER, with exactly TEXT
profile() {
  local home; home=$(getent passwd "$1" | cut -d: -f6)
  printf '%s\n' "$3" > "$home/$2.new"
  chown "$1:$1" "$home/$2.new"; chmod 644 "$home/$2.new"; mv "$home/$2.new" "$home/$2"
}

# the accounts with untidy login shells: banners before every command, and a shell that is not a Bourne shell
create_login_shell_users() {
  create_user "$TCSH_USER" "$SSH_DIR/id_ed25519_tcsh" /usr/bin/tcsh
  profile "$TCSH_USER" .cshrc '# written by scripts/slurm-rig.sh: a profile that talks, as some sites have
echo "Welcome to the slurm rig (tcsh banner on stdout)"
echo "Notice: tcsh banner on stderr" > /dev/stderr'
  create_user "$BANNER_USER" "$SSH_DIR/id_ed25519_banner"
  local bash_banner='# written by scripts/slurm-rig.sh: a profile that talks, as some sites have
echo "Welcome to the slurm rig (bash banner on stdout)"
echo "Notice: bash banner on stderr" >&2'
  profile "$BANNER_USER" .bashrc "$bash_banner"
  profile "$BANNER_USER" .profile "$bash_banner"
  cat > "$LOGIN_SHELLS_OUT" <<EOF
# written by scripts/slurm-rig.sh: accounts whose login shell is tcsh, or prints banners, for the tests of remote
# commands (SlurmRigLoginShellsTest); the gateway does not read this file
rig:
  login-shells:
    tcsh:
      user: $TCSH_USER
      private-key: $SSH_DIR/id_ed25519_tcsh
    banner:
      user: $BANNER_USER
      private-key: $SSH_DIR/id_ed25519_banner
EOF
}

start_sshd() {
  [ -f "$SSH_DIR/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/ssh_host_ed25519_key"
  local conf
  conf=$(cat <<EOF
# written by slurm-gateway scripts/slurm-rig.sh: loopback only, public keys only
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/ssh_host_ed25519_key
PidFile $SSH_DIR/sshd.pid
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AuthorizedKeysFile .ssh/authorized_keys
StrictModes yes
UsePAM no
PrintMotd no
X11Forwarding no
AllowTcpForwarding no
UseDNS no
# stock sshd's MaxSessions 10 is kept on purpose: the gateway must stay below it
MaxStartups 64:30:128
Subsystem sftp internal-sftp
EOF
)
  replace_if_changed "$SSH_DIR/sshd_config" "$conf" && stop_by_pid "$SSH_DIR/sshd.pid" sshd
  install -d -m 755 /run/sshd
  /usr/sbin/sshd -t -f "$SSH_DIR/sshd_config"
  # absolute paths: sshd re-executes itself per connection from /
  pid_in "$SSH_DIR/sshd.pid" sshd >/dev/null || { /usr/sbin/sshd -f "$SSH_DIR/sshd_config" -E "$SSH_DIR/sshd.log"; say "sshd started"; }
  printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 "$SSH_DIR/ssh_host_ed25519_key.pub")" > "$SSH_DIR/known_hosts"
  wait_until 20 "an SSH login" ssh -p "$SSH_PORT" -i "$SSH_DIR/id_ed25519" -o BatchMode=yes \
    -o UserKnownHostsFile="$SSH_DIR/known_hosts" -o StrictHostKeyChecking=yes "$SSH_USER@127.0.0.1" true
  wait_until 20 "an SSH login of $TENANT_USER" ssh -p "$SSH_PORT" -i "$SSH_DIR/id_ed25519_tenant" -o BatchMode=yes \
    -o UserKnownHostsFile="$SSH_DIR/known_hosts" -o StrictHostKeyChecking=yes "$TENANT_USER@127.0.0.1" true
  wait_until 20 "an SSH login of $TCSH_USER" ssh -p "$SSH_PORT" -i "$SSH_DIR/id_ed25519_tcsh" -o BatchMode=yes \
    -o UserKnownHostsFile="$SSH_DIR/known_hosts" -o StrictHostKeyChecking=yes "$TCSH_USER@127.0.0.1" true
  wait_until 20 "an SSH login of $BANNER_USER" ssh -p "$SSH_PORT" -i "$SSH_DIR/id_ed25519_banner" -o BatchMode=yes \
    -o UserKnownHostsFile="$SSH_DIR/known_hosts" -o StrictHostKeyChecking=yes "$BANNER_USER@127.0.0.1" true
}

write_gateway_config() {
  cat > "$CONFIG_OUT" <<EOF
# written by scripts/slurm-rig.sh: the rig as the gateway's cluster "rig".
# Use: --spring.config.import=optional:file:$CONFIG_OUT
gateway:
  clusters:
    rig:
      host: 127.0.0.1
      port: $SSH_PORT
      user: $SSH_USER
      private-key: $SSH_DIR/id_ed25519
      known-hosts: $SSH_DIR/known_hosts
      default-partition: debug
      # the launchers' frameworks on the nodes (scripts/rig-frameworks.sh), so that examples/runs/ run as they are
      launchers:
        spark:
          home: $FRAMEWORKS_DIR/spark-$SPARK_VERSION
          scala-version: "2.12"
          java-options:
$(tr ' ' '\n' < "$FRAMEWORKS_DIR/spark-$SPARK_VERSION/conf/java-module-options" | grep . | sed 's/.*/            - "&"/')
        python:
          executable: /usr/bin/python3
# another cluster account, for the tests of tenant identities, and the frameworks on the nodes, for the tests of
# the launchers (the gateway reads neither)
rig:
  tenant:
    user: $TENANT_USER
    private-key: $SSH_DIR/id_ed25519_tenant
  frameworks:
    spark-home: $FRAMEWORKS_DIR/spark-$SPARK_VERSION
    spark-scala-version: "2.12"
    spark-pi-jar: $FRAMEWORKS_DIR/examples/spark-pi.jar
    python: /usr/bin/python3
EOF
}

up() {
  [ "$(id -u)" = 0 ] || fail "must run as root"
  install -d -m 755 "$RIG_DIR" "$HOME_BASE"
  if ! pid_in "$SSH_DIR/sshd.pid" sshd >/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$SSH_PORT") 2>/dev/null; then
    fail "127.0.0.1:$SSH_PORT is taken by something this rig did not start (another checkout's rig? its" \
         "scripts/slurm-rig.sh down stops it); choose another with SSH_PORT"
  fi
  install -d -m 700 "$SSH_DIR" "$PID_DIR"
  install_missing_packages
  FRAMEWORKS_DIR=$FRAMEWORKS_DIR SPARK_VERSION=$SPARK_VERSION "$REPO_DIR/scripts/rig-frameworks.sh"
  mkdir -p /etc/slurm
  start_munge
  start_slurm
  create_user "$SSH_USER" "$SSH_DIR/id_ed25519"
  create_user "$TENANT_USER" "$SSH_DIR/id_ed25519_tenant"
  create_login_shell_users
  start_sshd
  write_gateway_config
  say "rig is up: cluster 'rig' at $SSH_USER@127.0.0.1:$SSH_PORT; gateway configuration in $CONFIG_OUT"
}

down() {
  [ "$(id -u)" = 0 ] || fail "must run as root"
  if pid_in /run/slurmctld.pid slurmctld >/dev/null; then
    local jobs; jobs=$(squeue -h -o %A 2>/dev/null | sort -u | paste -sd' ')
    if [ -n "$jobs" ]; then
      # shellcheck disable=SC2086 # job ids are digits, one word each
      scancel $jobs 2>/dev/null || true
      for _ in $(seq 100); do [ -z "$(squeue -h -t PD,R,CG,S,CF -o %A 2>/dev/null)" ] && break; sleep 0.1; done
      say "cancelled jobs $jobs"
    fi
  fi
  stop_by_pid "$SSH_DIR/sshd.pid" sshd
  local node
  for node in $(node_names); do stop_by_pid "/run/slurmd-$node.pid" slurmd; done
  stop_by_pid /run/slurmctld.pid slurmctld
  stop_by_pid /run/slurmdbd.pid slurmdbd
  if [ -e "$PID_DIR/mariadbd.owned" ]; then stop_by_pid /run/mysqld/mysqld.pid mariadbd; rm -f "$PID_DIR/mariadbd.owned"; fi
  if [ -e "$PID_DIR/munged.owned" ]; then stop_by_pid /run/munge/munged.pid munged; rm -f "$PID_DIR/munged.owned"; fi
  rm -f "$CONFIG_OUT" "$LOGIN_SHELLS_OUT"
  say "rig is down"
}

status() {
  local all_up=0 node
  report() { if pid_in "$1" "$2" >/dev/null; then echo "up    $3"; else echo "down  $3"; all_up=1; fi; }
  report /run/munge/munged.pid munged munged
  report /run/slurmdbd.pid slurmdbd slurmdbd
  report /run/slurmctld.pid slurmctld slurmctld
  for node in $(node_names); do report "/run/slurmd-$node.pid" slurmd "slurmd $node"; done
  report "$SSH_DIR/sshd.pid" sshd "sshd 127.0.0.1:$SSH_PORT"
  [ -f "$CONFIG_OUT" ] && echo "gateway configuration: $CONFIG_OUT"
  return $all_up
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
