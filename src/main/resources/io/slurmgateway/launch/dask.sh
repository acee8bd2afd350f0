# Written by Slurm Gateway: the dask launcher's part of cluster.sh. The scheduler on the first node, a worker per node,
# and the payload, a Python program, with DASK_SCHEDULER_ADDRESS set.
FW_HEAD_PORTS=2   # the scheduler, its dashboard (HTTP)
FW_WORKER_PORTS=2 # the worker, its nanny

fw_check() { # a Python without Dask shows as the scheduler ending at once, with its error at the end of head.log
  command -v "$SLURM_GATEWAY_PYTHON" > /dev/null || { say "no $SLURM_GATEWAY_PYTHON on this node"; return 1; }
}

fw_head() {
  local extra
  list extra SLURM_GATEWAY_DASK_SCHEDULER_ARGS
  exec "$SLURM_GATEWAY_PYTHON" -m distributed.cli.dask_scheduler --host "$address" --port "${head_ports[0]}" \
    --dashboard-address "$address:${head_ports[1]}" "${extra[@]}"
}

fw_head_ready() { http_get "$address" "${head_ports[1]}" /health 2>/dev/null | grep -q '^ok'; }

fw_published() { publish daskDashboard "http://$address:${head_ports[1]}/status"; }

fw_joined() { # the scheduler's count of workers
  http_get "$address" "${head_ports[1]}" /json/counts.json | grep -o '"workers": *[0-9]*' | grep -o '[0-9]*$'
}

fw_worker() {
  local extra memory_limit
  list extra SLURM_GATEWAY_DASK_WORKER_ARGS
  if [ -n "${SLURM_GATEWAY_DASK_WORKER_MEMORY:-}" ]; then memory_limit=$SLURM_GATEWAY_DASK_WORKER_MEMORY
  elif [ -n "${SLURM_MEM_PER_NODE:-}" ]; then memory_limit=$(( SLURM_MEM_PER_NODE * 1024 * 1024 ))
  else memory_limit=auto; fi
  exec "$SLURM_GATEWAY_PYTHON" -m distributed.cli.dask_worker \
    "tcp://$SLURM_GATEWAY_HEAD_ADDRESS:${SLURM_GATEWAY_HEAD_PORTS%% *}" \
    --host "$address" --worker-port "${worker_ports[0]}" --nanny-port "${worker_ports[1]}" --no-dashboard \
    --nthreads "${SLURM_GATEWAY_DASK_WORKER_THREADS:-${SLURM_CPUS_ON_NODE:-$(nproc)}}" \
    --memory-limit "$memory_limit" --local-directory "$scratch" --name "$NODE" "${extra[@]}"
}

fw_payload() {
  export DASK_SCHEDULER_ADDRESS="tcp://$address:${head_ports[0]}"
  exec "$SLURM_GATEWAY_PYTHON" "$SLURM_GATEWAY_PAYLOAD" "$@"
}
