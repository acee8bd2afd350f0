#!/bin/bash
# One entrypoint for every role of the compose cluster (docker-compose.yml names the role as the command):
#   setup        generates what the stack shares, once: munge key, login host key, the gateway's SSH key and the
#                known_hosts that pins the host key, database passwords, an API token and its digest
#   slurmdbd     accounting, on MariaDB       slurmctld   the controller      slurmd   a compute node ($NODE_NAME)
#   login        sshd for the gateway, with Slurm's commands
#   show-token   prints the generated API token (it is never logged)
set -euo pipefail

GATEWAY_UID=10001 # the gateway image's user

write_file() { # write_file PATH OWNER MODE : standard input to PATH, replaced at once
  mkdir -p "$(dirname "$1")"
  cat > "$1.tmp"
  chown "$2" "$1.tmp"
  chmod "$3" "$1.tmp"
  mv "$1.tmp" "$1"
}

secret_file() { # secret_file PATH OWNER MODE : writes standard input to PATH unless it exists (a generated secret)
  [ -s "$1" ] && { cat > /dev/null; return; }
  write_file "$@"
}

random_text() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='; }

setup() {
  # Generated secrets are made once and kept; what is derived from them (the pin, the gateway's copies, the digest)
  # is written again at every start, so that it follows a secret whose volume was removed and made anew.
  # munge: the key every Slurm daemon and command shares
  head -c 1024 /dev/urandom | secret_file /volumes/munge/munge.key munge:munge 0400
  # the login node's host key; the gateway pins it through known_hosts
  if [ ! -s /volumes/hostkeys/ssh_host_ed25519_key ]; then
    ssh-keygen -q -t ed25519 -N '' -C login -f /volumes/hostkeys/ssh_host_ed25519_key
  fi
  printf 'login %s\n' "$(cut -d' ' -f1,2 /volumes/hostkeys/ssh_host_ed25519_key.pub)" \
    | write_file /volumes/gateway/known_hosts "$GATEWAY_UID:$GATEWAY_UID" 0444
  # the gateway's key for hpcuser, readable by the gateway's user only
  if [ ! -s /volumes/gateway/id_ed25519 ]; then
    ssh-keygen -q -t ed25519 -N '' -C slurm-gateway -f /tmp/id_ed25519
    secret_file /volumes/gateway/id_ed25519 "$GATEWAY_UID:$GATEWAY_UID" 0400 < /tmp/id_ed25519
    cp /tmp/id_ed25519.pub /volumes/gateway/id_ed25519.pub
    rm -f /tmp/id_ed25519 /tmp/id_ed25519.pub
  fi
  mkdir -p /volumes/home/hpcuser/.ssh
  cp /volumes/gateway/id_ed25519.pub /volumes/home/hpcuser/.ssh/authorized_keys
  chown -R 1001:1001 /volumes/home/hpcuser
  chmod 0700 /volumes/home/hpcuser /volumes/home/hpcuser/.ssh
  chmod 0600 /volumes/home/hpcuser/.ssh/authorized_keys
  # database passwords: the MariaDB and PostgreSQL images read theirs from a file after dropping root (0444 in a
  # volume only they and their one client mount); the gateway reads its copy as a Spring config tree property
  [ -s /volumes/mariadb/password ] || random_text | secret_file /volumes/mariadb/password root:root 0444
  [ -s /volumes/postgres/password ] || random_text | secret_file /volumes/postgres/password root:root 0444
  write_file /volumes/gateway/properties/spring.datasource.password "$GATEWAY_UID:$GATEWAY_UID" 0400 \
    < /volumes/postgres/password
  # an admin API token: the gateway gets its SHA-256 only
  if [ ! -s /volumes/token/admin-token ]; then
    random_text | sed 's/^/sgw_/' | secret_file /volumes/token/admin-token root:root 0400
  fi
  printf '%s' "$(tr -d '\n' < /volumes/token/admin-token)" | sha256sum | cut -d' ' -f1 \
    | write_file /volumes/gateway/properties/gateway.security.tokens.admin.sha256 "$GATEWAY_UID:$GATEWAY_UID" 0400
  printf 'admin' | write_file /volumes/gateway/properties/gateway.security.tokens.admin.roles \
    "$GATEWAY_UID:$GATEWAY_UID" 0400
  echo "setup: keys, passwords and the admin token are in place (docker compose run --rm setup show-token)"
}

start_munge() {
  install -o munge -g munge -m 0400 /etc/munge/shared/munge.key /etc/munge/munge.key
  runuser -u munge -- /usr/sbin/munged
}

case "${1:-}" in
  setup) setup ;;
  show-token) cat /volumes/token/admin-token ;;
  slurmdbd)
    start_munge
    { cat /etc/slurm/slurmdbd.conf.template; printf 'StoragePass=%s\n' "$(cat /run/secrets/mariadb/password)"; } \
      > /etc/slurm/slurmdbd.conf
    chown slurm:slurm /etc/slurm/slurmdbd.conf
    chmod 0600 /etc/slurm/slurmdbd.conf
    exec /usr/sbin/slurmdbd -D
    ;;
  slurmctld)
    start_munge
    # hpcuser's account, as on the rig, once this controller has registered its cluster with slurmdbd (before
    # that, adding an account fails with "no cluster defined")
    (
      until sacctmgr -n -P list cluster format=cluster 2> /dev/null | grep -qx localcluster; do sleep 1; done
      if [ -z "$(sacctmgr -n -P show assoc where user=hpcuser format=account 2>/dev/null)" ]; then
        sacctmgr -i add account rigacct Description=rig Organization=rig > /dev/null 2>&1 || true
        sacctmgr -i add user hpcuser Account=rigacct DefaultAccount=rigacct > /dev/null 2>&1 || true
      fi
    ) &
    exec /usr/sbin/slurmctld -D
    ;;
  slurmd)
    start_munge
    exec /usr/sbin/slurmd -D -N "${NODE_NAME:?NODE_NAME names the node}"
    ;;
  login)
    start_munge
    install -o root -g root -m 0600 /etc/ssh/cluster-keys/ssh_host_ed25519_key /etc/ssh/cluster/ssh_host_ed25519_key
    exec /usr/sbin/sshd -D -e
    ;;
  *)
    echo "usage: cluster-entrypoint setup|show-token|slurmdbd|slurmctld|slurmd|login" >&2
    exit 2
    ;;
esac
