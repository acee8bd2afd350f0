#!/usr/bin/env bash
# compose-check.sh — proves, on a Debian machine with no Docker engine and no compose, what can be proven here about
# the Slurm cluster image of docker-compose.yml (deploy/compose/slurm) and its `setup` and `login` roles. Run as root.
#
# 1. base    a debian:bookworm-slim stand-in (Docker Hub is out of reach): debootstrap minbase of bookworm with the
#            official image's apt sources (bookworm, -updates, -security) and its "slim" dpkg excludes, imported with
#            buildah. Cached in the check's storage while it exists.
# 2. build   `buildah build` of the unchanged deploy/compose/slurm/Dockerfile, only BASE_IMAGE overridden.
# 3. setup   the `setup` role with podman and fresh named volumes mounted where docker-compose.yml mounts them; then,
#            on the volumes, every file's owner and mode (the gateway's as uid 10001, 0400 where secret; the munge key
#            as the image's munge user; hpcuser's home, .ssh and authorized_keys), the known_hosts pin under the name
#            `login`, the token digest, the gateway (uid 10001) reading its secrets as mounted, and that a second run
#            changes nothing (names, owners, modes, checksums).
# 4. login   the `login` role (hostname login, its compose volumes, no network but loopback): its munged answers;
#            sshd's effective config; then OpenSSH from a second container in the login container's network
#            namespace, as the gateway connects: uid 10001, the gateway-secrets volume mounted read-only at
#            /run/secrets/gateway, its id_ed25519 and known_hosts with StrictHostKeyChecking=yes and HostKeyAlias=login
#            -> `id -un` is hpcuser, `sbatch --version` runs, munge works for hpcuser, an SFTP put/rm works (the
#            gateway stages files over SFTP); and refusals: a wrong key, root (even with the gateway's key in root's
#            authorized_keys, and sshd logs why), a host key other than the pinned one.
#
# NOT proven: the Slurm daemons (slurmdbd, slurmctld, slurmd need MariaDB and a network between hostnames: not run
# here), that sbatch/squeue reach a controller or that jobs run, the gateway itself (sshj, not OpenSSH), the
# mariadb, postgres and gateway services, compose itself (depends_on ordering, healthchecks as compose runs them, the project's volume naming, hostname resolution of `login` on the compose network), the real
# debian:bookworm-slim (a debootstrap stand-in), and Docker's runtime (podman/runc, chroot-isolated build here).
#
# Environment: CHECK_DIR (default /var/tmp/slurm-gateway-compose-check), MIRROR (http://deb.debian.org/debian),
#              KEEP=1 leaves containers and volumes in place, CONTEXT=<dir> builds another copy of
#              deploy/compose/slurm (to try a proposed fix; a PASS then says nothing about the repository's files).
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHECK_DIR=${CHECK_DIR:-/var/tmp/slurm-gateway-compose-check}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
KEEP=${KEEP:-0}
CONTEXT=${CONTEXT:-$REPO_DIR/deploy/compose/slurm}
BASE_IMAGE=localhost/compose-check-debian:bookworm-slim
IMAGE=localhost/slurm-gateway-cluster:compose-check
GATEWAY_UID=10001 HPC_UID=1001
[[ $(id -u) -eq 0 ]] || { echo "compose-check.sh: run as root" >&2; exit 2; }
for tool in buildah podman runc debootstrap jq; do
  command -v "$tool" >/dev/null || { echo "compose-check.sh: needs $tool (apt-get install $tool)" >&2; exit 2; }
done
LOG_DIR=$CHECK_DIR/logs
mkdir -p -- "$LOG_DIR" "$CHECK_DIR/tmp" "$CHECK_DIR/debs"
export TMPDIR=$CHECK_DIR/tmp # buildah's temporary files: under the check's directory, not the host's /var/tmp

# shared with image-check.sh: reporting, the check's own image store, base-image and podman helpers
# shellcheck source=scripts/lib/container-check.sh
source "$REPO_DIR/scripts/lib/container-check.sh"
CONTAINERS=() VOLUMES=()
# the run root on tmpfs, one per CHECK_DIR: two stores must never share one
use_storage "/run/slurm-gateway-compose-check-$(sha256sum <<<"$CHECK_DIR" | cut -c1-12)"
choose_run_opts
RUN_OPTS+=(--log-driver k8s-file)

cleanup() {
  local rc=$? d
  if [[ $KEEP == 1 ]]; then
    echo "KEEP=1: left containers ${CONTAINERS[*]:-none}, volumes ${VOLUMES[*]:-none} (podman ${STORE[*]} ...)"
  else
    for d in "${CONTAINERS[@]}"; do pod rm -f -t 2 "$d" >/dev/null 2>&1 || true; done
    for d in "${VOLUMES[@]}"; do pod volume rm -f "$d" >/dev/null 2>&1 || true; done
    cleanup_cgroups
  fi
  report compose-check "$rc"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------------- 1. base
make_base() {
  local rootfs=$CHECK_DIR/rootfs ctr
  if buildah "${STORE[@]}" inspect --type image "$BASE_IMAGE" >/dev/null 2>&1; then pass "stand-in $BASE_IMAGE (cached)"; return; fi
  rm -rf --one-file-system -- "$rootfs"
  echo "  debootstrap bookworm minbase (log: $LOG_DIR/debootstrap.log)"
  debootstrap --variant=minbase --cache-dir="$CHECK_DIR/debs" bookworm "$rootfs" "$MIRROR" >"$LOG_DIR/debootstrap.log" 2>&1
  unmount_below "$rootfs"
  # what debian:bookworm-slim has beyond a minbase: deb822 sources with updates and security, the slim excludes
  rm -f -- "$rootfs/etc/apt/sources.list"
  printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$MIRROR" >"$rootfs/etc/apt/sources.list.d/debian.sources"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/groff/*' \
    'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' 'path-exclude /usr/share/man/*' \
    >"$rootfs/etc/dpkg/dpkg.cfg.d/docker"
  rm -rf -- "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  ctr=$(rootfs_container "$rootfs")
  buildah "${STORE[@]}" config --os linux --arch amd64 --cmd bash \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  buildah "${STORE[@]}" commit --quiet --rm --format docker "$ctr" "$BASE_IMAGE" >/dev/null
  rm -rf --one-file-system -- "$rootfs"
  pass "stand-in $BASE_IMAGE made (debootstrap bookworm minbase from $MIRROR)"
}

# --------------------------------------------------------------------------------------------------- 2. build
build_image() {
  echo "  buildah build (log: $LOG_DIR/build.log)"
  # chroot isolation and the host network: no OCI runtime or cgroup needed, apt-get reaches deb.debian.org
  buildah "${STORE[@]}" build --isolation chroot --network host --format docker --layers --pull=never --force-rm \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" --file "$CONTEXT/Dockerfile" --tag "$IMAGE" \
    "$CONTEXT" >"$LOG_DIR/build.log" 2>&1 || { tail -n 30 "$LOG_DIR/build.log" >&2; return 1; }
  pass "$CONTEXT/Dockerfile builds unchanged on the stand-in ($IMAGE)"
}

# --------------------------------------------------------------------------------------------------- 3. setup
declare -A VOL=()
# each volume by its compose name: the setup role's mount points (docker-compose.yml, service setup)
declare -A SETUP_AT=([munge-key]=/volumes/munge [login-host-key]=/volumes/hostkeys [gateway-secrets]=/volumes/gateway
  [mariadb-secret]=/volumes/mariadb [postgres-secret]=/volumes/postgres [admin-token]=/volumes/token [home]=/volumes/home)
vdir() { pod volume inspect --format '{{.Mountpoint}}' "${VOL[$1]}"; }
# expect VOLUME RELPATH UID:GID MODE: the file's owner and mode, as the host sees the volume (no user namespace)
expect() {
  local got
  got=$(stat -c '%u:%g %a' -- "$(vdir "$1")/$2" 2>/dev/null) || got=missing
  check "$1:${2:-.} is $3 mode $4 (got $got)" test "$got" == "$3 $4"
}
# the state of every volume: names, types, owners, modes, contents' checksums
snapshot() {
  local v
  for v in "${!SETUP_AT[@]}"; do
    (cd "$(vdir "$v")" && find . -printf "$v %p %y %U:%G %m\n" | sort && find . -type f -print0 | sort -z | xargs -0r sha256sum | sed "s|^|$v |")
  done | sort
}
SETUP_ARGS=()
logged() { local log=$1; shift; "$@" >"$log" 2>&1; } # logged LOG COMMAND...: the command's output into LOG
run_setup() {
  pod run --rm --name "compose-check-$$-setup" --network none "${RUN_OPTS[@]}" "${SETUP_ARGS[@]}" "$IMAGE" setup
}

setup_role() {
  local v munge g t h p gw=$GATEWAY_UID:$GATEWAY_UID
  for v in "${!SETUP_AT[@]}"; do
    VOL[$v]=compose-check-$$-$v
    pod volume create "${VOL[$v]}" >/dev/null
    VOLUMES+=("${VOL[$v]}")
    SETUP_ARGS+=(--volume "${VOL[$v]}:${SETUP_AT[$v]}")
  done
  check "setup role exits 0 (log: $LOG_DIR/setup-1.log)" logged "$LOG_DIR/setup-1.log" run_setup
  munge=$(pod run --rm --network none "${RUN_OPTS[@]}" --entrypoint id "$IMAGE" -u munge):$(pod run --rm \
    --network none "${RUN_OPTS[@]}" --entrypoint id "$IMAGE" -g munge)
  expect munge-key munge.key "$munge" 400
  check "munge key is 1024 bytes" test "$(stat -c %s -- "$(vdir munge-key)/munge.key")" -eq 1024
  expect login-host-key ssh_host_ed25519_key 0:0 600
  expect gateway-secrets known_hosts "$gw" 444
  expect gateway-secrets id_ed25519 "$gw" 400
  expect gateway-secrets id_ed25519.pub 0:0 644
  for p in spring.datasource.password gateway.security.tokens.admin.sha256 gateway.security.tokens.admin.roles; do
    expect gateway-secrets "properties/$p" "$gw" 400
  done
  expect mariadb-secret password 0:0 444
  expect postgres-secret password 0:0 444
  expect admin-token admin-token 0:0 400
  expect home hpcuser "$HPC_UID:$HPC_UID" 700
  expect home hpcuser/.ssh "$HPC_UID:$HPC_UID" 700
  expect home hpcuser/.ssh/authorized_keys "$HPC_UID:$HPC_UID" 600
  g=$(vdir gateway-secrets) t=$(vdir admin-token) h=$(vdir login-host-key)
  check "known_hosts pins the generated host key under the name login" \
    test "$(cat -- "$g/known_hosts")" == "login $(cut -d' ' -f1,2 -- "$h/ssh_host_ed25519_key.pub")"
  check "authorized_keys of hpcuser is the gateway's public key" cmp -s -- "$g/id_ed25519.pub" "$(vdir home)/hpcuser/.ssh/authorized_keys"
  check "id_ed25519.pub belongs to id_ed25519" \
    test "$(ssh-keygen -y -f "$g/id_ed25519" | cut -d' ' -f1,2)" == "$(cut -d' ' -f1,2 -- "$g/id_ed25519.pub")"
  check "admin token looks like sgw_<43 base64url>" grep -qxE 'sgw_[A-Za-z0-9_-]{43}' -- "$t/admin-token"
  check "token digest file = sha256 of the token" \
    test "$(cat -- "$g/properties/gateway.security.tokens.admin.sha256")" == "$(tr -d '\n' <"$t/admin-token" | sha256sum | cut -d' ' -f1)"
  check "the gateway's datasource password is the postgres password" \
    cmp -s -- "$g/properties/spring.datasource.password" "$(vdir postgres-secret)/password"
  check "the token's roles are admin" test "$(cat -- "$g/properties/gateway.security.tokens.admin.roles")" == admin
  # as the gateway container mounts them: uid 10001, read-only at /run/secrets/gateway
  check "uid $GATEWAY_UID reads its key, known_hosts and properties from /run/secrets/gateway" \
    pod run --rm --network none "${RUN_OPTS[@]}" --user "$gw" --volume "${VOL[gateway-secrets]}:/run/secrets/gateway:ro" \
    --entrypoint bash "$IMAGE" -c 'cat -- "$@" >/dev/null' _ /run/secrets/gateway/id_ed25519 /run/secrets/gateway/known_hosts \
    /run/secrets/gateway/properties/spring.datasource.password /run/secrets/gateway/properties/gateway.security.tokens.admin.sha256
  local before after
  before=$(snapshot)
  check "second setup run exits 0 (log: $LOG_DIR/setup-2.log)" logged "$LOG_DIR/setup-2.log" run_setup
  after=$(snapshot)
  check "second setup run changes nothing ($(grep -c . <<<"$before") names/owners/modes/checksums compared)" test "$before" == "$after"
  [[ $before == "$after" ]] || diff <(echo "$before") <(echo "$after") >&2 || true
}

# --------------------------------------------------------------------------------------------------- 4. login
LOGIN=""
# the gateway's OpenSSH view of the login node: its key and known_hosts as mounted in the gateway, the pin by name
SSH_OPTS=(-o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o HostKeyAlias=login -o ConnectTimeout=10
  -o UserKnownHostsFile=/run/secrets/gateway/known_hosts -o GlobalKnownHostsFile=/dev/null -o LogLevel=ERROR)
# client SCRIPT ARGS...: bash SCRIPT as uid 10001 with the gateway-secrets volume as the gateway mounts it, in the login
# container's network namespace (127.0.0.1 is the login node)
client() {
  pod run --rm --network "container:$LOGIN" "${RUN_OPTS[@]}" --user "$GATEWAY_UID:$GATEWAY_UID" \
    --volume "${VOL[gateway-secrets]}:/run/secrets/gateway:ro" --entrypoint bash "$IMAGE" -c "$@" 2>&1
}
# refused MESSAGE OUTPUT: ssh said MESSAGE and ended with 255 (its own failure, not the remote command's)
refused() { grep -qF -- "$1" <<<"$2" && grep -qx exit=255 <<<"$2"; }
login_role() {
  local i ok=0 out
  LOGIN=compose-check-$$-login
  CONTAINERS+=("$LOGIN")
  # docker-compose.yml's login service: hostname and volumes; no network but loopback
  pod run -d --name "$LOGIN" --hostname login --network none "${RUN_OPTS[@]}" \
    --volume "${VOL[munge-key]}:/etc/munge/shared:ro" --volume "${VOL[login-host-key]}:/etc/ssh/cluster-keys:ro" \
    --volume "${VOL[home]}:/home" "$IMAGE" login >/dev/null
  for i in $(seq 30); do # the compose healthcheck's command, up to 30 s
    if pod exec "$LOGIN" bash -c 'exec 3<>/dev/tcp/127.0.0.1/22 && head -c 4 <&3 | grep -q SSH-' 2>/dev/null; then ok=1; break; fi
    [[ $(pod inspect --format '{{.State.Status}}' "$LOGIN") == running ]] || break
    sleep 1
  done
  pod logs "$LOGIN" >"$LOG_DIR/login.log" 2>&1 || true
  if [[ $ok != 1 ]]; then
    fail "login role: sshd answers SSH- on port 22 (the container is $(pod inspect --format '{{.State.Status}} exit {{.State.ExitCode}}' \
      "$LOGIN"): $(grep -v 'level=' "$LOG_DIR/login.log" | tail -n 1))"
    return 0
  fi
  pass "login role: sshd answers SSH- on 127.0.0.1:22 (compose healthcheck) after ${i}s"
  check "munged in the login container answers (munge -n | unmunge as root)" \
    bash -c 'podman "$@" 2>&1 | grep -q "^STATUS: *Success"' _ "${STORE[@]}" exec "$LOGIN" bash -c 'munge -n | unmunge'
  out=$(pod exec "$LOGIN" sshd -T 2>&1) || true
  for i in "permitrootlogin no" "passwordauthentication no" "kbdinteractiveauthentication no" "pubkeyauthentication yes" \
    "allowusers hpcuser" "hostkey /etc/ssh/cluster/ssh_host_ed25519_key"; do
    check "sshd -T: $i" grep -qx -- "$i" <<<"$out"
  done
  check "sshd has exactly one host key" test "$(grep -c '^hostkey ' <<<"$out")" -eq 1

  # shellcheck disable=SC2016 # expanded by the client's bash
  out=$(client 'ssh -i /run/secrets/gateway/id_ed25519 "$@" hpcuser@127.0.0.1 "id -un; sbatch --version; munge -n | unmunge | grep ^STATUS:"' \
    _ "${SSH_OPTS[@]}") || true
  while IFS= read -r i; do echo "    | $i"; done <<<"$out"
  check "as the gateway: ssh hpcuser@login (pinned host key, gateway's key) runs id -un -> hpcuser" \
    test "$(sed -n 1p <<<"$out")" == hpcuser
  check "as the gateway: sbatch --version on the login node -> $(sed -n 2p <<<"$out")" grep -qE '^slurm(-wlm)? 22\.05\.' <<<"$(sed -n 2p <<<"$out")"
  check "as the gateway: munge works for hpcuser on the login node" grep -qE '^STATUS: +Success' <<<"$(sed -n 3p <<<"$out")"

  # the gateway stages files over SFTP (sshj): a write and a removal in hpcuser's home
  # shellcheck disable=SC2016
  out=$(client 'printf "put /etc/hostname .compose-check\nls -l .compose-check\nrm .compose-check\n" |
    sftp -b - -i /run/secrets/gateway/id_ed25519 "$@" hpcuser@127.0.0.1; echo "exit=$?"' _ "${SSH_OPTS[@]}") || true
  check "as the gateway: SFTP put/rm in hpcuser's home works" grep -qx exit=0 <<<"$out"
  grep -qx exit=0 <<<"$out" || while IFS= read -r i; do echo "    | $i"; done <<<"$out"

  # shellcheck disable=SC2016
  out=$(client 'ssh-keygen -q -t ed25519 -N "" -f /tmp/k >/dev/null && ssh -i /tmp/k "$@" hpcuser@127.0.0.1 true; echo "exit=$?"' _ "${SSH_OPTS[@]}") || true
  check "a key other than the gateway's is refused for hpcuser ($(tr '\n' ' ' <<<"$out"))" \
    refused "Permission denied (publickey)" "$out"
  # root with the gateway's key in root's own authorized_keys: only sshd's PermitRootLogin/AllowUsers can refuse it
  pod exec "$LOGIN" bash -c 'install -d -m 0700 /root/.ssh && install -m 0600 /home/hpcuser/.ssh/authorized_keys /root/.ssh/authorized_keys'
  # shellcheck disable=SC2016
  out=$(client 'ssh -i /run/secrets/gateway/id_ed25519 "$@" root@127.0.0.1 true; echo "exit=$?"' _ "${SSH_OPTS[@]}") || true
  pod exec "$LOGIN" rm -f /root/.ssh/authorized_keys
  check "root login is refused even with an authorized key ($(tr '\n' ' ' <<<"$out"))" \
    refused "Permission denied" "$out"
  out=$(pod logs "$LOGIN" 2>&1 | grep -E 'User root from .* not allowed|ROOT LOGIN REFUSED' | tail -n 1) || true
  check "sshd says why: ${out:-no refusal of root logged}" test -n "$out"
  # the pin is checked: a known_hosts naming another key for login makes the gateway's connection fail
  # shellcheck disable=SC2016
  out=$(client 'ssh-keygen -q -t ed25519 -N "" -f /tmp/h >/dev/null && printf "login %s\n" "$(cut -d" " -f1,2 /tmp/h.pub)" >/tmp/kh &&
    ssh -o UserKnownHostsFile=/tmp/kh -o LogLevel=INFO -i /run/secrets/gateway/id_ed25519 "$@" hpcuser@127.0.0.1 true; echo "exit=$?"' \
    _ "${SSH_OPTS[@]}") || true
  check "a host key other than the pinned one is rejected (StrictHostKeyChecking=yes)" \
    refused "Host key verification failed" "$out"
  pod logs "$LOGIN" >"$LOG_DIR/login.log" 2>&1 || true
}

SUMMARY+=("SKIP  Slurm daemons (slurmdbd, slurmctld, slurmd): need MariaDB and a network between hostnames; not proven")
echo "storage: $CHECK_DIR/storage (driver $DRIVER), logs: $LOG_DIR"
run_phase base make_base
run_phase build build_image
run_phase setup setup_role
run_phase login login_role
