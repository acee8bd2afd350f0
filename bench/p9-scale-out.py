#!/usr/bin/env python3
"""P9: 1,000 runs posted concurrently through two gateway instances (one PostgreSQL), first POST -> last terminal state,
against the same 1,000 jobs submitted directly with sbatch over one multiplexed ssh connection and followed with one
squeue per second. Rounds alternate which goes first; reports each round, the medians and their ratio.

Usage: bench/p9-scale-out.sh (starts the two gateways and the ssh master connection, then calls this)."""
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

RUNS = int(os.environ.get("P9_RUNS", "1000"))
ROUNDS = int(os.environ.get("P9_ROUNDS", "2"))
CONCURRENCY = int(os.environ.get("P9_CONCURRENCY", "32"))
PORTS = [int(port) for port in os.environ["P9_PORTS"].split(",")]
SCHEMA = os.environ["P9_SCHEMA"]
SSH = os.environ["P9_SSH"].split()
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qAt", "-c"]
ENDED = ("COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED", "SUBMIT_FAILED")
SLURM_ENDED = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE",
               "PREEMPTED"}


def sql(statement):
    return subprocess.run(PSQL + [statement], capture_output=True, text=True, check=True).stdout.strip()


def post(i, tag):
    body = json.dumps({"asset": "bench/p9", "mode": "slurm", "payload": {"script": f"echo {tag}-{i}"}})
    conn = http.client.HTTPConnection("127.0.0.1", PORTS[i % len(PORTS)], timeout=120)
    try:
        conn.request("POST", "/api/v1/runs", body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        return json.loads(data)["id"] if response.status == 202 else None
    except (OSError, ValueError):
        return None
    finally:
        conn.close()


def through_gateways(round_number):
    tag = f"p9-{round_number}"
    start = time.time()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        ids = list(pool.map(lambda i: post(i, tag), range(RUNS)))
    accepted = [run for run in ids if run]
    listed = ",".join(f"'{run}'" for run in accepted)
    while True:
        ended, last = sql(f"SELECT count(*), extract(epoch FROM max(finished_at)) FROM {SCHEMA}.run"
                          f" WHERE id IN ({listed}) AND state IN {ENDED}").split("|")
        if int(ended) == len(accepted):
            break
        time.sleep(0.5)
    completed = int(sql(f"SELECT count(*) FROM {SCHEMA}.run WHERE id IN ({listed}) AND state = 'COMPLETED'"))
    errors = (RUNS - len(accepted)) + (len(accepted) - completed)
    duplicates = count_duplicates(["sg-" + run for run in accepted])
    return float(last) - start, errors, duplicates


def count_duplicates(names):
    """Names that accounting holds more than one job for (waits until it holds one for each)."""
    for _ in range(120):
        jobs = {}
        for chunk in range(0, len(names), 200):
            out = subprocess.run(
                ["sacct", "--allusers", "--allocations", "--noheader", "--parsable2", "--starttime=now-1days",
                 "--name=" + ",".join(names[chunk:chunk + 200]), "--format=JobName,JobID"],
                capture_output=True, text=True, check=True).stdout
            for line in out.splitlines():
                name, _, job = line.partition("|")
                jobs.setdefault(name, set()).add(job)
        if all(name in jobs for name in names):
            return sum(1 for name in names if len(jobs[name]) > 1)
        time.sleep(1)
    sys.exit("accounting never listed every run's job")


def sbatch(i, tag):
    command = (f"sbatch --parsable --job-name={tag}-{i} --output=bench-p9-direct/{tag}-{i}.out"
               f" --wrap='echo {tag}-{i}'")
    out = subprocess.run(SSH + [command], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip().isdigit() else None


def direct(round_number):
    tag = f"p9-direct-{round_number}-{os.getpid()}"
    subprocess.run(SSH + ["mkdir -p bench-p9-direct"], check=True)
    start = time.time()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        job_ids = list(pool.map(lambda i: sbatch(i, tag), range(RUNS)))
    submitted = [job for job in job_ids if job]
    pending = set(submitted)
    last = start
    while pending:  # one squeue per second for all the jobs still followed
        tick = time.time()
        out = subprocess.run(SSH + ["squeue --noheader --states=all --format=%i\\|%T --jobs=" + ",".join(pending)],
                             capture_output=True, text=True).stdout
        states = dict(line.split("|", 1) for line in out.split() if "|" in line)
        done = {job for job in pending if states.get(job, "COMPLETED") in SLURM_ENDED}
        if done:
            last = time.time()
            pending -= done
        time.sleep(max(0.0, 1.0 - (time.time() - tick)))
    failed = 0
    for chunk in range(0, len(submitted), 200):
        out = subprocess.run(["sacct", "--allusers", "--noheader", "--parsable2", "--allocations",
                              "--jobs=" + ",".join(submitted[chunk:chunk + 200]), "--format=State"],
                             capture_output=True, text=True).stdout
        failed += sum(1 for state in out.split() if state != "COMPLETED")
    return last - start, (RUNS - len(submitted)) + failed, 0


gateway_times, direct_times = [], []
for round_number in range(ROUNDS):
    order = [("gateway", through_gateways), ("direct", direct)]
    if round_number % 2:
        order.reverse()
    for name, measure in order:
        seconds, errors, duplicates = measure(round_number)
        (gateway_times if name == "gateway" else direct_times).append(seconds)
        print(f"round {round_number + 1} {name:8s}: {RUNS} runs, first POST/sbatch -> last terminal {seconds:7.1f} s,"
              f" errors {errors}, duplicates {duplicates}", flush=True)

g, d = statistics.median(gateway_times), statistics.median(direct_times)
print(f"median: two gateways {g:.1f} s, direct sbatch + squeue/s {d:.1f} s, ratio {g / d:.2f}x (target <= 1.5x)")
