# shellcheck shell=bash
# Sourced by scripts/image-check.sh and scripts/compose-check.sh: what both need to build and run images on a Debian
# machine without a Docker engine, with buildah and podman. The caller sets CHECK_DIR and LOG_DIR first.

# ------------------------------------------------------------------------------------------------- reporting
SUMMARY=() TIMINGS=() FAILED=0 PHASE=""
pass() { SUMMARY+=("PASS  $1"); echo "  PASS  $1"; }
fail() { SUMMARY+=("FAIL  $1"); echo "  FAIL  $1" >&2; FAILED=1; }
# check DESCRIPTION COMMAND...: records the command's success or failure without stopping the script
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# run_phase NAME FUNCTION: times the phase; a failing command inside it ends the script through the EXIT trap
run_phase() {
  local name=$1 t0=$SECONDS
  shift
  PHASE=$name
  echo "== $name"
  "$@"
  TIMINGS+=("$(printf '%-8s %5ds' "$name" $((SECONDS - t0)))")
  PHASE=""
}

# report TITLE EXIT_STATUS: for the EXIT trap; a phase cut short counts as a failure. Exits 0 on PASS, 1 on FAIL.
report() {
  local title=$1 rc=$2 line
  if [[ -n $PHASE ]]; then
    SUMMARY+=("FAIL  phase '$PHASE' stopped (exit $rc); its log is under $LOG_DIR")
    FAILED=1
  fi
  echo
  echo "================================ $title summary"
  for line in "${SUMMARY[@]}"; do echo "$line"; done
  echo "-- timings"
  for line in "${TIMINGS[@]}"; do echo "$line"; done
  if [[ $FAILED -eq 0 ]]; then
    echo "RESULT: PASS"
    exit 0
  fi
  echo "RESULT: FAIL"
  exit 1
}

# ---------------------------------------------------------------------------------------------------- storage
# use_storage RUN_ROOT: an image store of the check's own under $CHECK_DIR/storage, apart from the host's default one,
# as STORE (options for buildah and podman) and pod (podman on it). containers-storage records its driver on
# creation: an existing store keeps it; a new one takes overlay when the kernel mounts it on this filesystem, vfs
# (full copies per layer: slower, bigger, always works) otherwise. RUN_ROOT (locks, mount state) must be one per store.
use_storage() {
  local driver="" d probe
  for d in overlay vfs; do
    [[ -d $CHECK_DIR/storage/$d-images ]] && driver=$d && break
  done
  if [[ -z $driver ]]; then
    probe=$(mktemp -d "$CHECK_DIR/overlay-probe.XXXXXX")
    mkdir -p -- "$probe/l" "$probe/u" "$probe/w" "$probe/m"
    driver=vfs
    if mount -t overlay overlay -o "lowerdir=$probe/l,upperdir=$probe/u,workdir=$probe/w" "$probe/m" 2>/dev/null; then
      umount "$probe/m"
      driver=overlay
    fi
    rm -rf -- "$probe"
  fi
  DRIVER=$driver
  STORE=(--root "$CHECK_DIR/storage" --runroot "$1" --storage-driver "$DRIVER")
}
pod() { podman "${STORE[@]}" "$@"; }

# ------------------------------------------------------------------------------------------------ base images
# unmounts whatever a failed debootstrap left mounted (proc, sys) below DIR, so that rm cannot reach into it
unmount_below() {
  local dir=$1 target
  while read -r target; do
    if [[ $target == "$dir"/* ]]; then umount -l -- "$target" 2>/dev/null || true; fi
  done < <(findmnt -rn -o TARGET | sort -r)
}

# rootfs_container ROOTFS: prints a new buildah working container holding ROOTFS's files, to configure and commit
rootfs_container() {
  local ctr mnt
  ctr=$(buildah "${STORE[@]}" from --pull=never scratch)
  mnt=$(buildah "${STORE[@]}" mount "$ctr")
  cp -a -- "$1/." "$mnt/"
  buildah "${STORE[@]}" umount "$ctr" >/dev/null
  echo "$ctr"
}

# ------------------------------------------------------------------------------------------------- podman run
# capability number CAP_SYS_RESOURCE (24) in the effective set: needed to raise rlimits past the current hard ones
has_cap_sys_resource() {
  local eff
  eff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
  (( (16#$eff >> 24) & 1 ))
}

# podman's own defaults suit an ordinary host (cgroup v2, crun). choose_run_opts sets RUN_OPTS with two adjustments
# for hosts like a sandbox VM:
#  - without CAP_SYS_RESOURCE the rlimits podman asks for as root (nofile 1048576, nproc) cannot be set: ask for
#    what this process has (4096 processes are many times what a check starts);
#  - on cgroup v1 (legacy or hybrid) crun refuses hybrid layouts, so runc; conmon stays in the caller's cgroups and
#    the containers' cgroups are nested under the caller's own (memory) cgroup rather than a new top-level
#    /libpod_parent, so that they stay within the caller's accounting. The cgroup directories this creates in the
#    hierarchies are noted in CREATED_CGROUP_DIRS and removed again by cleanup_cgroups.
RUN_OPTS=() CGROUP_PARENT="" CREATED_CGROUP_DIRS=()
choose_run_opts() {
  local nofile h path p parts
  RUN_OPTS=() CGROUP_PARENT=""
  if ! has_cap_sys_resource; then
    nofile=$(ulimit -Hn)
    [[ $nofile == unlimited || $nofile -gt 1048576 ]] && nofile=1048576
    RUN_OPTS+=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=4096:4096")
  fi
  [[ -f /sys/fs/cgroup/cgroup.controllers ]] && return 0
  RUN_OPTS+=(--runtime runc --cgroups no-conmon)
  CGROUP_PARENT=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
  if [[ -z $CGROUP_PARENT || $CGROUP_PARENT == / ]]; then
    CGROUP_PARENT=""
    return 0
  fi
  RUN_OPTS+=(--cgroup-parent "$CGROUP_PARENT")
  # the directories of CGROUP_PARENT that do not exist yet in each hierarchy, deepest first
  IFS=/ read -ra parts <<<"${CGROUP_PARENT#/}"
  for h in /sys/fs/cgroup/*/; do
    path=${h%/}
    for p in "${parts[@]}"; do
      path=$path/$p
      [[ -d $path ]] || CREATED_CGROUP_DIRS=("$path" "${CREATED_CGROUP_DIRS[@]}")
    done
  done
}

cleanup_cgroups() {
  local d
  # rmdir removes only empty cgroups: nothing that holds a process or another cgroup
  for d in "${CREATED_CGROUP_DIRS[@]}"; do rmdir -- "$d" 2>/dev/null || true; done
  CREATED_CGROUP_DIRS=()
}
