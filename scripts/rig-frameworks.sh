#!/usr/bin/env bash
# rig-frameworks.sh — the frameworks the launchers start inside a Slurm allocation, installed where the rig's nodes
# (this machine) and its users can run them, as a cluster's software modules would be. Called by slurm-rig.sh up;
# idempotent and quick once done. Run as root.
#
#   Dask   Debian's python3-distributed (dask 2022.12), for /usr/bin/python3
#   Spark  $FRAMEWORKS_DIR/spark-$SPARK_VERSION: a SPARK_HOME whose jars/ come from Maven Central (no Spark
#          distribution can be downloaded here), through this repository's Maven wrapper and its local repository,
#          so a second machine-wide install costs nothing; run it with SPARK_SCALA_VERSION=2.12, and start its JVMs
#          with the options in conf/java-module-options (JDK 17 needs them; a distribution's bin/ adds them)
#   Pi     $FRAMEWORKS_DIR/examples/spark-pi.jar, built from examples/spark-pi/SparkPi.java
#
# Environment: FRAMEWORKS_DIR (/opt/slurm-rig), SPARK_VERSION (3.5.8; Scala 2.12, JDK 17).
# Facts behind the Spark choices: shared/reference/SPARK-LOCAL.md.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FRAMEWORKS_DIR=${FRAMEWORKS_DIR:-/opt/slurm-rig}
SPARK_VERSION=${SPARK_VERSION:-3.5.8}
SPARK_HOME=$FRAMEWORKS_DIR/spark-$SPARK_VERSION
PI_JAR=$FRAMEWORKS_DIR/examples/spark-pi.jar

say() { printf '[frameworks] %s\n' "$*"; }
fail() { echo "rig-frameworks: $*" >&2; exit 1; }

install_dask() {
  dpkg-query -W -f='${Status}' python3-distributed 2>/dev/null | grep -q 'install ok installed' && return
  say "installing python3-distributed (Dask)"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-distributed > "$FRAMEWORKS_DIR/apt.log" 2>&1 \
    || { tail -20 "$FRAMEWORKS_DIR/apt.log"; fail "apt-get install python3-distributed failed"; }
  /usr/bin/python3 -c 'import distributed' || fail "python3-distributed is installed but does not import"
}

install_spark() {
  if [ "$(cat "$SPARK_HOME/.complete" 2>/dev/null)" = "$SPARK_VERSION" ]; then return; fi
  say "assembling Spark $SPARK_VERSION in $SPARK_HOME from Maven Central"
  local staging; staging=$(mktemp -d "$FRAMEWORKS_DIR/.spark-XXXXXX")
  "$REPO_DIR/mvnw" -B -q -f "$REPO_DIR/scripts/rig-frameworks/spark-home.pom.xml" package \
    -Dspark.version="$SPARK_VERSION" -Djars="$staging/jars" > "$FRAMEWORKS_DIR/maven.log" 2>&1 \
    || { tail -20 "$FRAMEWORKS_DIR/maven.log"; rm -rf "$staging"; fail "collecting Spark's jars failed"; }
  rm -rf "$REPO_DIR/scripts/rig-frameworks/target"
  echo "$SPARK_VERSION" > "$staging/RELEASE"
  # the JVM options a Spark JVM needs on JDK 17, as this Spark version lists them (what its bin/ scripts would add)
  mkdir -p "$staging/conf"
  printf '%s\n' 'public class ModuleOptions { public static void main(String[] a) {' \
    '  System.out.println(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions()); } }' \
    > "$staging/ModuleOptions.java"
  java -cp "$staging/jars/*" "$staging/ModuleOptions.java" > "$staging/conf/java-module-options" \
    || { rm -rf "$staging"; fail "reading Spark's JVM module options failed"; }
  rm "$staging/ModuleOptions.java"
  chmod -R a+rX "$staging"
  rm -rf "$SPARK_HOME"
  mv "$staging" "$SPARK_HOME"
  echo "$SPARK_VERSION" > "$SPARK_HOME/.complete"
}

build_pi() {
  local source=$REPO_DIR/examples/spark-pi/SparkPi.java
  if [ -f "$PI_JAR" ] && [ "$PI_JAR" -nt "$source" ] && [ "$PI_JAR" -nt "$SPARK_HOME/.complete" ]; then return; fi
  say "building $PI_JAR"
  local classes; classes=$(mktemp -d)
  javac --release 17 -encoding UTF-8 -nowarn -cp "$SPARK_HOME/jars/*" -d "$classes" "$source" \
    || { rm -rf "$classes"; fail "compiling SparkPi failed"; }
  install -d -m 755 "$(dirname "$PI_JAR")"
  jar --create --file "$PI_JAR.tmp" -C "$classes" .
  chmod 644 "$PI_JAR.tmp"
  mv "$PI_JAR.tmp" "$PI_JAR"
  rm -rf "$classes"
}

[ "$(id -u)" = 0 ] || fail "must run as root"
install -d -m 755 "$FRAMEWORKS_DIR"
install_dask
install_spark
build_pi
say "Dask $(/usr/bin/python3 -c 'import distributed; print(distributed.__version__)'), Spark $SPARK_VERSION" \
    "in $SPARK_HOME, $PI_JAR"
