#!/usr/bin/env python3
"""P5: the cost of live usage on the rig. JOBS jobs run (each holding 16 MB); the gateway, with live-usage-interval
set, samples them all with one sstat per interval. Reported: how many sstat commands the gateway ran in a window of
SECONDS against the number of intervals in it, their mean latency (from the gateway's own histogram), and the time
until every run showed liveUsage. The baseline, in the same run over one ssh connection: the median of ROUNDS of one
sstat for all jobs, against asking sstat job by job (what a per-run design would cost each interval).

Usage: bench/p5-live-usage.sh (starts the gateway against the rig and calls this)."""
import json
import os
import re
import statistics
import subprocess
import sys
import time

from gateway_http import request

jobs = int(os.environ.get("P5_JOBS", "50"))


def duration(text):
    """A Spring duration as this script is given one: 500ms, 5s, 1m."""
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m)", text).groups()
    return float(number) * {"ms": 0.001, "s": 1, "m": 60}[unit]


interval = duration(os.environ.get("P5_INTERVAL", "5s"))
seconds = int(os.environ.get("P5_SECONDS", "60"))
rounds = int(os.environ.get("P5_ROUNDS", "9"))
ssh = os.environ["P5_SSH"].split()
HOLDER = "python3 -c 'import time; b = bytearray(16 << 20); b[::4096] = b\"x\" * len(b[::4096]); time.sleep(3600)'"


def run(run_id):
    return json.loads(request("GET", "/api/v1/runs/" + run_id)[1])


def sstat_series():
    """The gateway's sstat count and total seconds so far."""
    text = request("GET", "/actuator/prometheus")[1].decode()
    def value(name):
        found = re.search(r'^' + name + r'\{cluster="rig",command="sstat",outcome="success"\} (\S+)$', text, re.M)
        return float(found.group(1)) if found else 0.0
    return value("gateway_slurm_command_duration_seconds_count"), value("gateway_slurm_command_duration_seconds_sum")


def timed(command):
    start = time.perf_counter()
    subprocess.run(ssh + command, check=True, capture_output=True)
    return time.perf_counter() - start


ids = []
for _ in range(jobs):
    spec = {"asset": "bench/p5", "mode": "slurm", "payload": {"script": HOLDER},
            "resources": {"partition": "shared", "memory": "64M", "timeLimit": "30"}}
    status, body = request("POST", "/api/v1/runs", json.dumps(spec))
    if status != 202:
        sys.exit(f"POST failed: {status} {body}")
    ids.append(json.loads(body)["id"])
posted = time.time()
try:
    while True:
        runs = [run(i) for i in ids]
        failed = [r for r in runs if r["finishedAt"]]
        if failed:
            sys.exit(f"a run ended early: {failed[0]['state']} {failed[0]['reason']}")
        if all(r["liveUsage"] for r in runs):
            break
        time.sleep(0.5)
    sampled = time.time() - posted
    rss = statistics.median(r["liveUsage"]["rssBytes"] for r in runs)
    job_ids = [r["slurmJobId"] for r in runs]

    count_before, sum_before = sstat_series()
    time.sleep(seconds)
    count_after, sum_after = sstat_series()
    samples = count_after - count_before
    gateway_mean = (sum_after - sum_before) / samples if samples else float("nan")

    sstat = ["sstat", "--noheader", "--parsable2", "--allsteps", "--format=JobID,MaxRSS,TRESUsageInTot"]
    batched = statistics.median(timed(sstat + ["--jobs=" + ",".join(job_ids)]) for _ in range(rounds))
    one_by_one = statistics.median(sum(timed(sstat + ["--jobs=" + job]) for job in job_ids) for _ in range(rounds))
finally:
    for i in ids:
        request("POST", f"/api/v1/runs/{i}/cancel", "")

print(f"jobs running: {jobs}; live-usage-interval {interval:g} s; every run showed liveUsage {sampled:.1f} s after"
      f" posting; median rssBytes {rss / 2**20:.1f} MiB (16 MiB held + python)")
print(f"gateway: {samples:.0f} sstat in {seconds} s (intervals in the window: {seconds / interval:.1f}),"
      f" mean {gateway_mean * 1000:.0f} ms each, for all {jobs} jobs")
print(f"over ssh, median of {rounds}: one sstat for all {jobs} jobs {batched * 1000:.0f} ms;"
      f" job by job {one_by_one * 1000:.0f} ms ({one_by_one / batched:.1f}x)")
