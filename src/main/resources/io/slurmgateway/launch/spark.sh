# Written by Slurm Gateway: the spark launcher's part of cluster.sh. A standalone master on the first node, a worker
# per node, and the payload JAR submitted to them in client mode. Spark's JVMs start from $SPARK_HOME/jars directly,
# as its bin/spark-class would start them.
FW_HEAD_PORTS=3   # the master, its web UI, the application's UI
FW_WORKER_PORTS=2 # the worker, its web UI

fw_check() {
  [ -n "${SPARK_HOME:-}" ] || { say "no Spark on this cluster: its launchers.spark.home is not configured"; return 1; }
  [ -d "$SPARK_HOME/jars" ] || { say "$SPARK_HOME/jars does not exist: launchers.spark.home is not a Spark home"; return 1; }
  export SPARK_HOME SPARK_SCALA_VERSION
}

spark_java() { # runs a Spark class in this process: the configured java, its options, Spark's class path
  local options
  list options SLURM_GATEWAY_JAVA_OPTIONS
  exec "$SLURM_GATEWAY_JAVA" "${options[@]}" -cp "$SPARK_HOME/conf/:$SPARK_HOME/jars/*" "$@"
}

node_cores() { echo "${SLURM_CPUS_ON_NODE:-$(nproc)}"; }

node_memory_mb() { # what Slurm gave this job on the node, else the node's memory less 1 GB for everything else
  if [ -n "${SLURM_MEM_PER_NODE:-}" ]; then echo "$SLURM_MEM_PER_NODE"; return; fi
  local total
  total=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
  echo $(( total > 2048 ? total - 1024 : 1024 ))
}

fw_head() {
  spark_java -Xmx1g org.apache.spark.deploy.master.Master \
    --host "$address" --port "${head_ports[0]}" --webui-port "${head_ports[1]}"
}

fw_head_ready() { http_get "$address" "${head_ports[1]}" /json/ 2>/dev/null | grep -q '"status" *: *"ALIVE"'; }

fw_published() { publish sparkMasterUi "http://$address:${head_ports[1]}"; }

fw_joined() { http_get "$address" "${head_ports[1]}" /json/ | grep -c '"state" *: *"ALIVE"'; }

fw_worker() {
  spark_java -Xmx1g org.apache.spark.deploy.worker.Worker \
    --host "$address" --port "${worker_ports[0]}" --webui-port "${worker_ports[1]}" \
    --cores "$(node_cores)" --memory "$(node_memory_mb)M" --work-dir "$scratch" \
    "spark://$SLURM_GATEWAY_HEAD_ADDRESS:${SLURM_GATEWAY_HEAD_PORTS%% *}"
}

fw_payload() {
  local conf submit arguments=() item memory
  list conf SLURM_GATEWAY_SPARK_CONF
  list submit SLURM_GATEWAY_SPARK_SUBMIT_ARGS
  for item in "${conf[@]}"; do arguments+=(--conf "$item"); done
  memory=$(node_memory_mb)
  memory=$(( memory > 1024 ? memory - 512 : 512 ))
  publish sparkUi "http://$address:${head_ports[2]}"
  spark_java -Xmx1g org.apache.spark.deploy.SparkSubmit \
    --master "spark://$address:${head_ports[0]}" --deploy-mode client \
    --class "$SLURM_GATEWAY_SPARK_MAIN_CLASS" \
    --conf "spark.ui.port=${head_ports[2]}" --conf spark.port.maxRetries=0 --conf "spark.driver.host=$address" \
    --conf "spark.executor.memory=${SLURM_GATEWAY_SPARK_EXECUTOR_MEMORY:-${memory}m}" \
    --conf "spark.executor.cores=${SLURM_GATEWAY_SPARK_EXECUTOR_CORES:-$(node_cores)}" \
    "${arguments[@]}" "${submit[@]}" "$SLURM_GATEWAY_PAYLOAD" "$@"
}
