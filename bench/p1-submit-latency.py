#!/usr/bin/env python3
"""P1: time from POST /api/v1/runs to the run's recorded Slurm job id, against the same kind of sbatch run directly
over one multiplexed `ssh -o ControlMaster` connection. Interleaved pairs; reports medians and their ratio.

Usage: bench/p1-submit-latency.sh (starts the gateway against the rig and calls this)."""
import http.client
import json
import os
import statistics
import subprocess
import sys
import time

port = int(os.environ.get("GATEWAY_PORT", "8090"))
pairs = int(os.environ.get("P1_PAIRS", "40"))
warmup = int(os.environ.get("P1_WARMUP", "10"))
ssh = os.environ["P1_SSH"].split()          # ssh command with the ControlPath options, ending in user@host
baseline_script = os.environ["P1_BASELINE_SCRIPT"]
sftp = os.environ["P1_SFTP"].split()        # sftp command riding on the same ControlMaster connection
local_files = os.environ["P1_LOCAL_FILES"].split()   # batch.sh, job.sh, payload as the gateway writes them

conn = http.client.HTTPConnection("127.0.0.1", port)
body = json.dumps({"asset": "bench/p1", "mode": "slurm", "payload": {"script": "true"}})


run_ids = []


def gateway_once():
    start = time.perf_counter()
    conn.request("POST", "/api/v1/runs", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    run = json.loads(response.read())
    if response.status != 202:
        sys.exit(f"POST failed: {response.status} {run}")
    while True:
        conn.request("GET", "/api/v1/runs/" + run["id"])
        current = json.loads(conn.getresponse().read())
        if current.get("slurmJobId"):
            run_ids.append(run["id"])
            return time.perf_counter() - start
        if current["state"] in ("SUBMIT_FAILED", "FAILED", "CANCELLED"):
            sys.exit(f"run ended {current['state']}: {current['reason']}")
        time.sleep(0.002)  # a tight loop would take a core from the gateway it measures (2 cores here)


def direct_once():
    start = time.perf_counter()
    out = subprocess.run(ssh + ["sbatch --parsable " + baseline_script], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0 or not out.stdout.strip().isdigit():
        sys.exit(f"direct sbatch failed: {out.stderr}")
    return elapsed


staged_count = 0


def staged_once():
    """What the gateway does, by hand over the same multiplexed connection: sftp the three files, then sbatch."""
    global staged_count
    staged_count += 1
    directory = f"bench-p1-staged/{os.getpid()}-{staged_count}"
    commands = f"-mkdir bench-p1-staged\nmkdir {directory}\n" + "".join(
        f"put {f} {directory}/{os.path.basename(f)}\n" for f in local_files)
    start = time.perf_counter()
    subprocess.run(sftp[:-1] + ["-b", "-", sftp[-1]], input=commands, capture_output=True, text=True, check=True)
    out = subprocess.run(ssh + [f"sbatch --parsable {directory}/batch.sh"], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"staged sbatch failed: {out.stderr}")
    return elapsed


for _ in range(warmup):
    gateway_once()
    direct_once()
    staged_once()
gateway, direct, staged = [], [], []
runs = [(gateway_once, gateway), (direct_once, direct), (staged_once, staged)]
for i in range(pairs):
    # rotate which goes first, so none always meets a busier controller
    for measure, into in runs[i % 3:] + runs[:i % 3]:
        into.append(measure())
    time.sleep(0.05)

g, d = statistics.median(gateway), statistics.median(direct)
print(f"P1 pairs={pairs} (after {warmup} warm-up pairs)")
print(f"  gateway POST -> job id recorded : median {g*1000:7.1f} ms  (p10 {sorted(gateway)[pairs//10]*1000:.1f}, p90 {sorted(gateway)[pairs*9//10]*1000:.1f})")
print(f"  ssh ControlMaster + sbatch      : median {d*1000:7.1f} ms  (p10 {sorted(direct)[pairs//10]*1000:.1f}, p90 {sorted(direct)[pairs*9//10]*1000:.1f})")
print(f"  ratio of medians                : {g/d:.2f}x  (target <= 1.2x)")
st = statistics.median(staged)
print(f"  for scale: sftp the same 3 files + sbatch over the same connection: median {st*1000:.1f} ms;"
      f" gateway / that = {g/st:.2f}x")


def seconds(timestamp):
    from datetime import datetime
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


# where the gateway's time goes, from its own event timestamps (server clock)
claim, submit = [], []
for run_id in run_ids[-pairs:]:
    conn.request("GET", f"/api/v1/runs/{run_id}/events")
    at = {e["data"].get("to"): seconds(e["at"]) for e in json.loads(conn.getresponse().read()) if e["type"] == "STATE"}
    claim.append(at["STAGING"] - at["ACCEPTED"])
    submit.append(at["QUEUED"] - at["STAGING"])
print(f"  of which accepted -> claimed     : median {statistics.median(claim)*1000:7.1f} ms")
print(f"  of which claimed -> job recorded : median {statistics.median(submit)*1000:7.1f} ms  (SFTP staging + sbatch)")
