#!/usr/bin/env python3
"""P6: Dagster Pipes messages relayed per second on the rig, from one job writing COUNT messages and from JOBS
concurrent jobs writing COUNT/JOBS each, with the gateway's heap sampled throughout. Each figure is the median of
REPEATS runs. The baseline, measured in the same run, is copying the same messages file with `cat` over one ssh
connection: the floor of moving those bytes off the cluster, with nothing parsed or stored.

Usage: bench/p6-pipes-relay.sh (starts the gateway against the rig and calls this)."""
import collections
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime

from gateway_http import request

count = int(os.environ.get("P6_MESSAGES", "100000"))
jobs = int(os.environ.get("P6_JOBS", "100"))
repeats = int(os.environ.get("P6_REPEATS", "3"))
ssh = os.environ["P6_SSH"].split()
writer = open(os.path.join(os.path.dirname(__file__), "pipes-writer.py")).read()

heap_samples = []
retained = collections.defaultdict(list)
sampling = True


USED = re.compile(r'^jvm_memory_used_bytes\{area="heap".*\} (\S+)$', re.M)


def heap_used():
    status, body = request("GET", "/actuator/prometheus")
    return sum(float(v) for v in USED.findall(body.decode())) if status == 200 else None


def sample_heap():
    """Heap in use, garbage included, every 0.2 s."""
    while sampling:
        used = heap_used()
        if used is not None:
            heap_samples.append((time.time(), used))
        time.sleep(0.2)


def retained_heap():
    """Heap in use right after a full collection: what the gateway keeps once the runs are relayed."""
    subprocess.run(["jcmd", os.environ["P6_GATEWAY_PID"], "GC.run"], check=True, capture_output=True)
    time.sleep(0.5)
    return heap_used()


def submit(messages):
    spec = {"asset": "bench/p6", "mode": "slurm", "payload": {"script": writer}, "args": [str(messages)],
            "resources": {"partition": "shared", "memory": "32M"},
            "dagster": {"pipesContext": {}}}
    status, body = request("POST", "/api/v1/runs", json.dumps(spec))
    if status != 202:
        sys.exit(f"POST failed: {status} {body}")
    return json.loads(body)["id"]


def wait(run_id):
    while True:
        status, body = request("GET", "/api/v1/runs/" + run_id)
        run = json.loads(body)
        if run["finishedAt"]:
            if run["state"] != "COMPLETED":
                sys.exit(f"run {run_id} ended {run['state']}: {run['reason']}")
            return run
        time.sleep(0.1)


def relayed(run_id):
    """How many PIPES events the run has, paging through its events."""
    after, pipes = 0, 0
    while True:
        status, body = request("GET", f"/api/v1/runs/{run_id}/events?after={after}&limit=1000")
        page = json.loads(body)
        if not page:
            return pipes
        after = page[-1]["seq"]
        pipes += sum(1 for event in page if event["type"] == "PIPES")


def at(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def scenario(job_count, per_job):
    """Messages per second from the first job's start to the last run's end, and that window."""
    ids = [submit(per_job) for _ in range(job_count)]
    runs = [wait(run_id) for run_id in ids]
    # a job that ends between two polls is never seen RUNNING: its submission time stands in
    start = min(at(run["startedAt"] or run["submittedAt"]) for run in runs)
    end = max(at(run["finishedAt"]) for run in runs)
    total = sum(relayed(run_id) for run_id in ids)
    expected = job_count * (per_job + 2)
    if total != expected:
        sys.exit(f"relayed {total} messages, expected {expected}")
    retained[(job_count, per_job)].append(retained_heap())
    return total / (end - start), start, end, ids[0]


def baseline(run_id):
    """Seconds to copy one run's messages file off the cluster with cat over the open ssh connection."""
    path = f"bench-p6/{run_id}/messages.jsonl"
    begin = time.perf_counter()
    size = len(subprocess.run(ssh + ["cat", path], check=True, capture_output=True).stdout)
    return size, time.perf_counter() - begin


threading.Thread(target=sample_heap, daemon=True).start()
time.sleep(2)
small, small_windows = [], []
single, spread, copies = [], [], []
single_windows, spread_windows = [], []
for repeat in range(repeats):
    rate, start, end, _ = scenario(1, count // 100)
    small.append(rate)
    small_windows.append((start, end))
    rate, start, end, run_id = scenario(1, count)
    single.append(rate)
    single_windows.append((start, end))
    size, seconds = baseline(run_id)
    copies.append((count + 2) / seconds)
    rate, start, end, _ = scenario(jobs, count // jobs)
    spread.append(rate)
    spread_windows.append((start, end))
    print(f"repeat {repeat + 1}: 1 job {single[-1]:.0f} msg/s, {jobs} jobs {spread[-1]:.0f} msg/s,"
          f" cat baseline {copies[-1]:.0f} msg/s ({size / 1e6:.1f} MB)", flush=True)
sampling = False


def heap(label, windows, key):
    used = [used / 1e6 for when, used in heap_samples if any(start <= when <= end for start, end in windows)]
    print(f"  {label:30s} in use median {statistics.median(used):4.0f}, max {max(used):4.0f} ({len(used)} samples);"
          f" after a full GC once relayed: {statistics.median(retained[key]) / 1e6:4.0f}")


print()
print(f"messages relayed per second (median of {repeats}; from the first job's start to the last run's end):")
print(f"  1 job x {count // 100} messages:          {statistics.median(small):8.0f} msg/s")
print(f"  1 job x {count} messages:        {statistics.median(single):8.0f} msg/s")
print(f"  {jobs} jobs x {count // jobs} messages:      {statistics.median(spread):8.0f} msg/s")
print(f"  baseline, ssh cat of the file:   {statistics.median(copies):8.0f} msg/s"
      f"  (gateway 1 job / baseline = {statistics.median(single) / statistics.median(copies):.3f})")
print(f"gateway heap (MB, -Xmx{os.environ.get('P6_HEAP', '128m')}), sampled every 0.2 s while the runs relayed:")
heap(f"1 job x {count // 100} messages:", small_windows, (1, count // 100))
heap(f"1 job x {count} messages:", single_windows, (1, count))
heap(f"{jobs} jobs x {count // jobs} messages:", spread_windows, (jobs, count // jobs))
