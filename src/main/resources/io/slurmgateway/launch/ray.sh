# Written by Slurm Gateway: the ray launcher's part of cluster.sh. `ray start --head` on the first node, `ray start` on
# every other node (the head is a node of the cluster itself), both with --block so that they stay this job's
# processes, and the payload, a Python program, with RAY_ADDRESS set.
FW_HEAD_PORTS=24   # GCS, dashboard, client server, node manager, object manager, agent gRPC, agent HTTP, metrics, 16 workers
FW_WORKER_PORTS=21 # node manager, object manager, agent gRPC, agent HTTP, metrics, 16 workers
FW_WORKER_ON_HEAD_NODE=0

fw_check() {
  command -v "$SLURM_GATEWAY_RAY" > /dev/null || { say "no $SLURM_GATEWAY_RAY command on this node: Ray is not installed"; return 1; }
}

ray_resources() { # ray_resources NAME: the array NAME gets this node's share of the allocation and the run's options
  local -n into=$1
  into=(--num-cpus="${SLURM_CPUS_ON_NODE:-$(nproc)}")
  [ -n "${SLURM_GATEWAY_RAY_GPUS_PER_NODE:-}" ] && into+=(--num-gpus="$SLURM_GATEWAY_RAY_GPUS_PER_NODE")
  [ -n "${SLURM_GATEWAY_RAY_OBJECT_STORE_MEMORY:-}" ] && into+=(--object-store-memory="$SLURM_GATEWAY_RAY_OBJECT_STORE_MEMORY")
  return 0
}

fw_head() {
  local extra resources
  list extra SLURM_GATEWAY_RAY_HEAD_ARGS
  ray_resources resources
  exec "$SLURM_GATEWAY_RAY" start --head --block --node-ip-address="$address" --port="${head_ports[0]}" \
    --include-dashboard=true --dashboard-host="$address" --dashboard-port="${head_ports[1]}" \
    --ray-client-server-port="${head_ports[2]}" --node-manager-port="${head_ports[3]}" \
    --object-manager-port="${head_ports[4]}" --dashboard-agent-grpc-port="${head_ports[5]}" \
    --dashboard-agent-listen-port="${head_ports[6]}" --metrics-export-port="${head_ports[7]}" \
    --min-worker-port="${head_ports[8]}" --max-worker-port="${head_ports[23]}" --temp-dir="$scratch" \
    "${resources[@]}" "${extra[@]}"
}

fw_head_ready() { (exec 3<>"/dev/tcp/$address/${head_ports[0]}") 2>/dev/null; }

fw_published() { publish rayDashboard "http://$address:${head_ports[1]}"; }

fw_joined() { # the nodes `ray status` lists as active, the head's included
  "$SLURM_GATEWAY_RAY" status --address="$address:${head_ports[0]}" 2>/dev/null \
    | awk '/^Active:/ { active = 1; next } /^[A-Z][a-z]+.*:$/ { active = 0 } active && / node_/ { n++ } END { print n + 0 }'
}

fw_worker() {
  local extra resources
  list extra SLURM_GATEWAY_RAY_WORKER_ARGS
  ray_resources resources
  exec "$SLURM_GATEWAY_RAY" start --block --address="$SLURM_GATEWAY_HEAD_ADDRESS:${SLURM_GATEWAY_HEAD_PORTS%% *}" \
    --node-ip-address="$address" --node-manager-port="${worker_ports[0]}" \
    --object-manager-port="${worker_ports[1]}" --dashboard-agent-grpc-port="${worker_ports[2]}" \
    --dashboard-agent-listen-port="${worker_ports[3]}" --metrics-export-port="${worker_ports[4]}" \
    --min-worker-port="${worker_ports[5]}" --max-worker-port="${worker_ports[20]}" \
    "${resources[@]}" "${extra[@]}"
}

fw_payload() {
  export RAY_ADDRESS="$address:${head_ports[0]}"
  exec "$SLURM_GATEWAY_PYTHON" "$SLURM_GATEWAY_PAYLOAD" "$@"
}
