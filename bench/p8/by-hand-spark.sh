#!/bin/bash
# P8's baseline: a Spark standalone cluster started by hand in the allocation, as lean as a user would write it
# (fixed ports, no claims, no scratch directories), waiting for the same things as the spark launcher: the master's
# UI answering, then one ALIVE worker per node. Prints "bring-up: S s" (script start to payload start) on stderr.
start=${EPOCHREALTIME/./}
export SPARK_HOME=$1 JAR=$2
export SPARK_SCALA_VERSION=2.12
read -r -a opts < "$SPARK_HOME/conf/java-module-options"
cp="$SPARK_HOME/conf/:$SPARK_HOME/jars/*"
host=$(hostname)
nodes=$SLURM_JOB_NUM_NODES
get() { timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "GET /json/ HTTP/1.0\r\n\r\n" >&3 && cat <&3' "$host" 38080 2>/dev/null; }
java "${opts[@]}" -Xmx1g -cp "$cp" org.apache.spark.deploy.master.Master --host "$host" --port 37077 --webui-port 38080 > master.log 2>&1 &
master=$!
until get | grep -q '"status" *: *"ALIVE"'; do (( SECONDS < 120 )) || exit 3; sleep 0.2; done
srun --overlap --nodes="$nodes" --ntasks="$nodes" --ntasks-per-node=1 java "${opts[@]}" -Xmx1g -cp "$cp" \
  org.apache.spark.deploy.worker.Worker --host "$host" --cores "$SLURM_CPUS_ON_NODE" --memory 1000M --work-dir "$PWD/work" \
  "spark://$host:37077" > workers.log 2>&1 &
workers=$!
until [ "$(get | grep -c '"state" *: *"ALIVE"')" -ge "$nodes" ]; do (( SECONDS < 120 )) || exit 3; sleep 0.2; done
now=${EPOCHREALTIME/./}
printf 'bring-up: %d.%06d s\n' $(( (now - start) / 1000000 )) $(( (now - start) % 1000000 )) >&2
java "${opts[@]}" -Xmx1g -cp "$cp" org.apache.spark.deploy.SparkSubmit --master "spark://$host:37077" \
  --class io.slurmgateway.examples.SparkPi --conf "spark.driver.host=$host" --conf spark.executor.memory=512m "$JAR" 2
status=$?
kill "$workers" "$master"
wait
exit $status
