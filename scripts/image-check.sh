#!/usr/bin/env bash
# image-check.sh — proves, on a Debian machine with no Docker engine, that the repository's Dockerfile builds and
# that the image it makes runs: non-root, on a read-only root filesystem, Tomcat up, its HEALTHCHECK answering.
# Run as root.
#
#   scripts/image-check.sh                 all phases
#   scripts/image-check.sh --prepare-only  phases 1-2 only (tools and stand-in base images), no build, no run
#   scripts/image-check.sh --no-build      skip the build, check the image the last run built
#
# 1. tools     installs what is missing from Debian: buildah (build), podman + crun/runc (run), debootstrap, jq.
# 2. bases     the Dockerfile's default bases (eclipse-temurin:21-jdk / :21-jre) live on Docker Hub, which this
#              machine may not reach, so two stand-ins are made from Debian packages with debootstrap (minbase of
#              $SUITE, the first Debian suite with OpenJDK 21) and imported with buildah:
#                $JDK_IMAGE  openjdk-21-jdk-headless, curl, wget (as the Temurin JDK image has them), and the
#                            host's locally added CAs (/usr/local/share/ca-certificates), for hosts whose egress
#                            goes through a TLS-intercepting proxy: without them ./mvnw cannot reach Maven Central
#                $JRE_IMAGE  openjdk-21-jre-headless only: no curl, so the healthcheck must get by with bash
#              Both have java on PATH and JAVA_HOME set by the image config, bash, coreutils, groupadd/useradd.
#              Cached: made once, reused while they exist in the check's storage.
# 3. build     `buildah build` of the unchanged Dockerfile with only BUILD_IMAGE/RUNTIME_IMAGE overridden,
#              Docker image format (the OCI format would drop HEALTHCHECK), the host network (Maven Central),
#              intermediate layers and the RUN --mount=type=cache Maven cache kept for the next run.
# 4. config    the image's config: User, Entrypoint, Healthcheck, ExposedPorts, Volumes; its size and layers.
# 5. run       `podman run --read-only` with a tmpfs /tmp, a named volume /app/data, no network but loopback and a
#              1 GiB memory limit: the JVM runs as uid 10001, cannot write to the root filesystem even as root,
#              writes its database to the volume and Tomcat's files to /tmp, logs "Tomcat started on port",
#              `podman healthcheck run` (the image's own HEALTHCHECK command) passes and the same script fails
#              against a closed port; then `podman stop` must end it gracefully on SIGTERM.
#
# What a PASS does not prove: that the image builds and runs on eclipse-temurin (Ubuntu 24.04, Temurin 21) rather
# than the Debian OpenJDK 21 stand-ins; that it builds under BuildKit (buildah runs the RUN steps with chroot
# isolation, not in a container); that the gateway is reachable through a published port (the run has no network,
# and without tokens or OIDC the gateway listens on loopback only by design); the authenticated configuration.
#
# Everything lives under $CHECK_DIR (its own containers-storage root, the buildah temp and cache-mount
# directory, the .deb cache; the store's run root is /run/slurm-gateway-image-check), nothing in the host's
# default image store; `rm -rf $CHECK_DIR` forgets it all.
#
# Environment:
#   CHECK_DIR      state directory (default /var/tmp/slurm-gateway-image-check)
#   SUITE          Debian suite of the stand-in bases (trixie)     MIRROR  Debian mirror (http://deb.debian.org/debian)
#   IMAGE          tag of the built image (localhost/slurm-gateway:image-check)
#   START_TIMEOUT  seconds to wait for "Tomcat started on port" (300: two busy cores are slow)
#   MEMORY         the container's memory limit (1g)
#   NO_CACHE=1     rebuild every step (buildah --no-cache); the Maven cache mount is kept
#   KEEP=1         leave the test container and its volume for inspection
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHECK_DIR=${CHECK_DIR:-/var/tmp/slurm-gateway-image-check}
SUITE=${SUITE:-trixie}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
IMAGE=${IMAGE:-localhost/slurm-gateway:image-check}
START_TIMEOUT=${START_TIMEOUT:-300}
MEMORY=${MEMORY:-1g}
NO_CACHE=${NO_CACHE:-0}
KEEP=${KEEP:-0}
JDK_IMAGE=localhost/gateway-check-jdk:21
JRE_IMAGE=localhost/gateway-check-jre:21
# the Dockerfile's ARG UID; the checks below expect the image to run as this user
EXPECTED_UID=10001

MODE=all
case ${1:-} in
  '') ;;
  --prepare-only) MODE=prepare ;;
  --no-build) MODE=nobuild ;;
  *) echo "usage: scripts/image-check.sh [--prepare-only | --no-build]" >&2; exit 2 ;;
esac
[[ $(id -u) -eq 0 ]] || { echo "image-check.sh: run as root (debootstrap, buildah and podman need it here)" >&2; exit 2; }
[[ $START_TIMEOUT =~ ^[0-9]+$ ]] || { echo "START_TIMEOUT must be a number of seconds" >&2; exit 2; }

LOG_DIR=$CHECK_DIR/logs
mkdir -p -- "$CHECK_DIR" "$LOG_DIR" "$CHECK_DIR/tmp" "$CHECK_DIR/debs"
# buildah keeps its temporary files and the RUN --mount=type=cache directories under TMPDIR (default /var/tmp):
# under the check's directory they persist between runs and are removed with it
export TMPDIR=$CHECK_DIR/tmp

# shared with compose-check.sh: reporting, the check's own image store, base-image and podman helpers
# shellcheck source=scripts/lib/container-check.sh
source "$REPO_DIR/scripts/lib/container-check.sh"
CONTAINER=""
VOLUME=""

cleanup() {
  local rc=$?
  [[ -n $CONTAINER || -n $VOLUME ]] && remove_container
  report image-check "$rc"
}
trap cleanup EXIT

# --------------------------------------------------------------------------------------------- phase 1: tools
is_installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]; }

install_tools() {
  # podman pulls in conmon and a network backend; crun is its default OCI runtime, runc the one used on cgroup v1
  # (see choose_run_opts)
  local pkg missing=()
  for pkg in buildah podman crun runc debootstrap jq; do
    is_installed "$pkg" || missing+=("$pkg")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "  all present"
    return
  fi
  echo "  installing: ${missing[*]}"
  # a stale package list is the usual reason an install fails: refresh once and retry
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOG_DIR/apt.log" 2>&1; then
    apt-get update -qq >>"$LOG_DIR/apt.log" 2>&1
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1
  fi
}

# ------------------------------------------------------------------------------------- phase 2: stand-in bases
# the locally added CAs of this host (Debian's place for them), as one fingerprint: "none" when there are none
HOST_CA_DIR=/usr/local/share/ca-certificates
host_cas() {
  local certs=()
  [[ -d $HOST_CA_DIR ]] && mapfile -t certs < <(find "$HOST_CA_DIR" -type f -name '*.crt' | sort)
  if [[ ${#certs[@]} -eq 0 ]]; then
    echo none
  else
    cat -- "${certs[@]}" | sha256sum | cut -c1-16
  fi
}

# make_base IMAGE PACKAGES [host-cas]: a $SUITE minbase with PACKAGES (comma list), imported as IMAGE with java on
# PATH; with host-cas, the host's locally added CAs are trusted too (system bundle and Java's cacerts)
make_base() {
  local image=$1 packages=$2 with_cas=${3:-} name rootfs log java java_home ctr cas=none label
  [[ $with_cas == host-cas ]] && cas=$(host_cas)
  label=$(buildah "${STORE[@]}" inspect --type image "$image" 2>/dev/null |
    jq -r '.Docker.config.Labels["io.slurmgateway.image-check.host-cas"] // "none"') || label=missing
  if [[ $label == "$cas" ]]; then
    pass "stand-in base $image (cached)"
    return
  fi
  # an image made for another set of host CAs is made again
  [[ $label == missing ]] || buildah "${STORE[@]}" rmi "$image" >/dev/null
  name=${image##*/}
  name=${name%%:*}
  rootfs=$CHECK_DIR/rootfs/$name
  log=$LOG_DIR/debootstrap-$name.log
  mkdir -p -- "$CHECK_DIR/rootfs"
  unmount_below "$rootfs"
  rm -rf --one-file-system -- "$rootfs"
  echo "  $image: debootstrap $SUITE minbase + $packages (log: $log)"
  # --cache-dir keeps the downloaded .debs, shared by both bases and reused if an image is ever remade
  debootstrap --variant=minbase --include="$packages" --cache-dir="$CHECK_DIR/debs" \
    "$SUITE" "$rootfs" "$MIRROR" >"$log" 2>&1
  unmount_below "$rootfs"
  # the alternatives links are absolute paths inside the rootfs: resolve them there, not on the host
  java=$(chroot "$rootfs" readlink -f /usr/bin/java)
  java_home=${java%/bin/java}
  [[ -x $rootfs$java_home/bin/java ]] || { echo "  no java in $rootfs ($java)" >&2; return 1; }
  # apt lists and caches are not part of the Temurin images either
  rm -rf -- "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  if [[ $cas != none ]]; then
    find "$HOST_CA_DIR" -type f -name '*.crt' -exec cp -t "$rootfs/usr/local/share/ca-certificates/" -- {} +
  fi
  ctr=$(rootfs_container "$rootfs")
  # what the Dockerfile relies on from eclipse-temurin: JAVA_HOME and java on PATH from the image config
  buildah "${STORE[@]}" config --os linux --arch amd64 \
    --env "JAVA_HOME=$java_home" \
    --env "PATH=$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --env LANG=C.UTF-8 \
    --cmd /bin/bash \
    --label "org.opencontainers.image.description=stand-in for eclipse-temurin made by scripts/image-check.sh: Debian $SUITE, $packages" \
    --label "io.slurmgateway.image-check.host-cas=$cas" \
    "$ctr"
  if [[ $cas != none ]]; then
    # in the container, with /proc: its ca-certificates-java hook runs java to add them to Java's cacerts too
    buildah "${STORE[@]}" run --isolation chroot "$ctr" -- update-ca-certificates >>"$log" 2>&1
    echo "    trusts the host's CAs: $(cd "$HOST_CA_DIR" && find . -type f -name '*.crt' -printf '%P ')"
  fi
  # from the image config's PATH, as the Dockerfile's RUN steps will: java, and what the runtime stage and the
  # healthcheck use besides (bash, groupadd, useradd, head)
  buildah "${STORE[@]}" run --isolation chroot "$ctr" -- \
    bash -c 'java -version 2>&1 | head -n 1 && command -v groupadd useradd head >/dev/null' | sed 's/^/    /'
  buildah "${STORE[@]}" commit --quiet --rm --format docker "$ctr" "$image" >/dev/null
  rm -rf --one-file-system -- "$rootfs"
  pass "stand-in base $image made: $(buildah "${STORE[@]}" images --format '{{.Size}}' "$image")"
}

prepare_bases() {
  echo "  storage: $CHECK_DIR/storage (driver $DRIVER)"
  make_base "$JDK_IMAGE" openjdk-21-jdk-headless,ca-certificates,curl,wget host-cas
  make_base "$JRE_IMAGE" openjdk-21-jre-headless,ca-certificates
}

# --------------------------------------------------------------------------------------------- phase 3: build
build_image() {
  local args=(
    # chroot isolation: the RUN steps need no OCI runtime and no cgroup (crun refuses this host's hybrid cgroup
    # layout, and runc would put them outside the caller's cgroups); RUN --mount=type=cache works with it
    --isolation chroot
    # Maven Central from the RUN steps, whatever the container networks on this host are
    --network host
    # the OCI format has no HEALTHCHECK; Docker's format keeps it, as `docker build` does
    --format docker
    # layer cache as with Docker: a second run rebuilds from the first changed step
    --layers
    # the bases are the local stand-ins: never ask a registry
    --pull=never
    # no working containers left behind by a failed step
    --force-rm
    --build-arg "BUILD_IMAGE=$JDK_IMAGE"
    --build-arg "RUNTIME_IMAGE=$JRE_IMAGE"
    --file "$REPO_DIR/Dockerfile"
    --tag "$IMAGE"
  )
  local previous now
  [[ $NO_CACHE == 1 ]] && args+=(--no-cache)
  previous=$(podman "${STORE[@]}" images -q --no-trunc "$IMAGE" 2>/dev/null || true)
  echo "  buildah build (log: $LOG_DIR/build.log)"
  # nice: the machine may be shared, and Maven inside the build takes every core it is given
  nice -n 10 buildah "${STORE[@]}" build "${args[@]}" "$REPO_DIR" 2>&1 | tee "$LOG_DIR/build.log"
  pass "Dockerfile builds: $IMAGE (bases $JDK_IMAGE, $JRE_IMAGE)"
  # the previous build's image, now untagged, is of no further use (`image prune` would also drop the build
  # stage's cached layers, which the next build reuses)
  now=$(podman "${STORE[@]}" images -q --no-trunc "$IMAGE")
  if [[ -n $previous && $previous != "$now" ]]; then
    podman "${STORE[@]}" rmi "$previous" >/dev/null 2>&1 || true
  fi
}

# -------------------------------------------------------------------------------------------- phase 4: config
CONFIG=""
# cfg JQ-FILTER [JQ-ARGS...]: true when the filter holds for the image's config
cfg() {
  local filter=$1
  shift
  jq -e "$@" "$filter" <<<"$CONFIG" >/dev/null
}

check_config() {
  if ! CONFIG=$(buildah "${STORE[@]}" inspect --type image "$IMAGE" 2>/dev/null | jq -e '.Docker.config'); then
    fail "image $IMAGE exists (build it first: run without --no-build)"
    return 1
  fi
  jq '{User, Entrypoint, Cmd, WorkingDir, Env, ExposedPorts, Volumes, Healthcheck}' <<<"$CONFIG"
  # shellcheck disable=SC2016 # $u is jq's variable
  check "config: User is $EXPECTED_UID:$EXPECTED_UID" cfg '.User == $u' --arg u "$EXPECTED_UID:$EXPECTED_UID"
  check "config: Entrypoint is java org.springframework.boot.loader.launch.JarLauncher" \
    cfg '.Entrypoint == ["java", "org.springframework.boot.loader.launch.JarLauncher"]'
  check "config: Healthcheck is CMD /usr/local/bin/gateway-healthcheck" \
    cfg '.Healthcheck.Test == ["CMD", "/usr/local/bin/gateway-healthcheck"]'
  check "config: ExposedPorts has 8080/tcp" cfg '.ExposedPorts | has("8080/tcp")'
  check "config: Volumes are /app/data and /tmp" cfg '.Volumes | keys == ["/app/data", "/tmp"]'
  echo "  size: $(podman "${STORE[@]}" images --format '{{.Size}}' "$IMAGE"); layers (newest first):"
  podman "${STORE[@]}" history --format '{{.Size}}\t{{.CreatedBy}}' "$IMAGE" | cut -c1-150 | sed 's/^/    /'
}

# ----------------------------------------------------------------------------------------------- phase 5: run

# gateway_log FILE: the container's output (the JVM writes to both streams) without podman's own complaints about
# the missing systemd, which go to podman.log
gateway_log() {
  pod logs "$CONTAINER" 2>&1 | sed '/^time=".*level=/d' >"$1" || true
}

run_image() {
  local log=$LOG_DIR/gateway.log deadline state pid uids gids hc rc attempt
  choose_run_opts
  CONTAINER=slurm-gateway-image-check-$$
  VOLUME=slurm-gateway-image-check-data-$$
  # a named volume, as `docker run -v name:/app/data`: a new volume takes /app/data's content and owner from the image
  pod volume create "$VOLUME" >/dev/null
  echo "  podman run ${RUN_OPTS[*]} --read-only --tmpfs /tmp -v $VOLUME:/app/data --network none --memory $MEMORY $IMAGE"
  # --read-only: the root filesystem is mounted read-only; --tmpfs /tmp and the volume are the only writable places.
  # --network none: loopback only, which is all the healthcheck uses, and no clash with a port on the host.
  # --memory: a realistic limit (the JVM sizes its heap from it). --health-interval disable: podman would time the
  # checks with systemd timers, absent here; `podman healthcheck run` below runs the image's check on demand.
  if ! pod run -d --name "$CONTAINER" "${RUN_OPTS[@]}" \
    --read-only --tmpfs /tmp --volume "$VOLUME:/app/data" --network none --memory "$MEMORY" \
    --log-driver k8s-file --health-interval disable "$IMAGE" >/dev/null 2>>"$LOG_DIR/podman.log"; then
    fail "container starts (podman: $(tail -n 1 "$LOG_DIR/podman.log"))"
    return 0
  fi
  pass "container starts: podman run --read-only (${RUN_OPTS[*]:-podman defaults})"

  deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    gateway_log "$log"
    if grep -q 'Tomcat started on port' "$log"; then
      pass "gateway starts: $(grep -o 'Tomcat started on port.*' "$log" | head -n 1) (after $((SECONDS + START_TIMEOUT - deadline))s)"
      break
    fi
    state=$(pod inspect --format '{{.State.Status}}' "$CONTAINER")
    if [[ $state != running ]]; then
      fail "gateway starts: the container is $state before Tomcat started (log: $log)"
      tail -n 40 "$log" >&2
      return 0
    fi
    if (( SECONDS >= deadline )); then
      fail "gateway starts: no 'Tomcat started on port' within ${START_TIMEOUT}s (log: $log)"
      tail -n 40 "$log" >&2
      return 0
    fi
    sleep 2
  done

  # the JVM is the container's PID 1; with no user namespace its uid on the host is its uid in the container
  pid=$(pod inspect --format '{{.State.Pid}}' "$CONTAINER")
  uids=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$pid/status")
  gids=$(awk '/^Gid:/ { print $2, $3, $4, $5 }' "/proc/$pid/status")
  check "runs as uid/gid $EXPECTED_UID, not root: $(cat "/proc/$pid/comm") has real/effective/saved/fs uid $uids, gid $gids" \
    test "$uids" == "$EXPECTED_UID $EXPECTED_UID $EXPECTED_UID $EXPECTED_UID" -a "$gids" == "$EXPECTED_UID $EXPECTED_UID $EXPECTED_UID $EXPECTED_UID"
  # as root inside, to show that the mount refuses the write, not merely file permissions
  check "root filesystem is read-only: even root cannot create /app/probe" \
    bash -c '! podman "$@" 2>/dev/null' _ "${STORE[@]}" exec --user 0 "$CONTAINER" touch /app/probe
  check "the gateway writes its database into the /app/data volume" \
    bash -c 'podman "$@" 2>/dev/null | grep -q "^gateway\.mv\.db$"' _ "${STORE[@]}" exec "$CONTAINER" ls /app/data
  # Tomcat's work directories and the JVM's perf data live in /tmp: the tmpfs takes them, as the volume would
  check "the gateway's scratch files are in the /tmp tmpfs (Tomcat's work directory)" \
    bash -c 'podman "$@" 2>/dev/null | grep -q "^tomcat"' _ "${STORE[@]}" exec "$CONTAINER" ls /tmp

  # `podman healthcheck run` executes the HEALTHCHECK command from the image's config, inside the container.
  # Liveness turns CORRECT just after startup is logged; like Docker within --start-period, early failures
  # do not count: up to 10 tries, 2 s apart
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    hc=$(pod healthcheck run "$CONTAINER" 2>>"$LOG_DIR/podman.log") && rc=0 || rc=$?
    [[ $rc -eq 0 ]] && break
    sleep 2
  done
  check "HEALTHCHECK (/usr/local/bin/gateway-healthcheck) passes: podman healthcheck run exit $rc at try $attempt${hc:+ ($hc)}" \
    test "$rc" -eq 0
  # and it is not vacuous: pointed at a port where nothing listens, the same script fails
  check "the healthcheck fails when nothing answers (SERVER_PORT=1)" \
    bash -c '! podman "$@" >/dev/null 2>&1' _ "${STORE[@]}" exec -e SERVER_PORT=1 "$CONTAINER" /usr/local/bin/gateway-healthcheck

  # docker stop: SIGTERM, then SIGKILL after the grace period; 143 = ended by SIGTERM, 137 = killed
  pod stop -t 45 "$CONTAINER" >/dev/null 2>>"$LOG_DIR/podman.log"
  gateway_log "$log"
  rc=$(pod inspect --format '{{.State.ExitCode}}' "$CONTAINER")
  # shellcheck disable=SC2016 # expanded by the inner bash
  check "stops on SIGTERM within 45s (exit code $rc), graceful shutdown logged" \
    bash -c '[[ $1 == 143 || $1 == 0 ]] && grep -q "Graceful shutdown complete" "$2"' _ "$rc" "$log"
  remove_container
}

remove_container() {
  if [[ $KEEP == 1 ]]; then
    echo "  KEEP=1: container $CONTAINER and volume $VOLUME left in place (podman ${STORE[*]} ...)"
    CONTAINER=""
    VOLUME=""
    cleanup_cgroups
    return
  fi
  if [[ -n $CONTAINER ]]; then
    podman "${STORE[@]}" rm -f -v -t 5 "$CONTAINER" >/dev/null 2>>"$LOG_DIR/podman.log" || true
    CONTAINER=""
  fi
  if [[ -n $VOLUME ]]; then
    podman "${STORE[@]}" volume rm -f "$VOLUME" >/dev/null 2>>"$LOG_DIR/podman.log" || true
    VOLUME=""
  fi
  cleanup_cgroups
}

run_phase tools install_tools
use_storage /run/slurm-gateway-image-check
run_phase bases prepare_bases
[[ $MODE == prepare ]] && exit 0
[[ $MODE == nobuild ]] || run_phase build build_image
run_phase config check_config
run_phase run run_image
