"""P5 outcome lag and P7 log throughput on the rig (started by p7-log-throughput.sh). For each size, a run prints that
many megabytes to stdout as fast as `yes` can; then:

- outcome lag: the run's finishedAt (the gateway's clock) minus the job's End in Slurm accounting (whole seconds,
  so the lag is over-stated by up to 1 s);
- copy: the megabytes per second from the moment the job starts printing (it writes the time to stderr first; the
  rig is this machine, so the clocks agree) until a read at the last offset says X-Log-Complete;
- follow: megabytes per second of an SSE follow of the whole stored log from offset 0;
- baseline: `cat` of the same stdout.log over the same multiplexed ssh connection, to /dev/null.
"""
import datetime
import json
import os
import shlex
import statistics
import subprocess
import time
import http.client

from gateway_http import PORT, request

SSH = shlex.split(os.environ["P7_SSH"])
SIZES = [int(size) for size in os.environ.get("P7_SIZES", "0 50 500").split()]
REPEATS = int(os.environ.get("P7_REPEATS", "3"))
MB = 1024 * 1024


def post(size_mb):
    # it runs for 3 s first, so that the gateway follows it as RUNNING, then notes when it starts printing (stderr)
    script = "sleep 3; date +%%s.%%N >&2; yes 0123456789abcdef | head -c %d" % (size_mb * MB)
    body = json.dumps({"asset": "bench/p7", "mode": "slurm", "payload": {"script": script},
                       "resources": {"timeLimit": "10"}})
    status, data = request("POST", "/api/v1/runs", body)
    assert status == 202, (status, data)
    return json.loads(data)["id"]


def run(run_id):
    status, data = request("GET", "/api/v1/runs/" + run_id)
    assert status == 200, (status, data)
    return json.loads(data)


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def wait_complete(run_id, size):
    """Polls a read at the last offset until the log says it is complete; returns when (client clock)."""
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        conn.request("GET", "/api/v1/runs/%s/logs/stdout?offset=%d" % (run_id, size))
        response = conn.getresponse()
        response.read()
        complete = response.getheader("X-Log-Complete") == "true"
        conn.close()
        if complete:
            return time.time()
        time.sleep(0.01)


def follow(run_id):
    """Follows the stored log over SSE from offset 0 to its end; returns the seconds it took."""
    start = time.time()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    conn.request("GET", "/api/v1/runs/%s/logs/stdout" % run_id, headers={"Accept": "text/event-stream"})
    response = conn.getresponse()
    while response.read(1 << 20):
        pass
    conn.close()
    return time.time() - start


def slurm_end(job_id):
    out = subprocess.run(SSH + ["sacct", "-n", "-P", "-X", "-o", "End", "-j", job_id],
                         capture_output=True, text=True, check=True).stdout.strip()
    return datetime.datetime.fromisoformat(out).timestamp()  # the rig's local time, which is this machine's


def ssh_cat(run_id):
    start = time.time()
    subprocess.run(SSH + ["cat", "bench-p7/%s/stdout.log" % run_id], stdout=subprocess.DEVNULL, check=True)
    return time.time() - start


def measure(size_mb):
    size = size_mb * MB
    run_id = post(size_mb)
    while run(run_id)["state"] not in ("COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT", "SUBMIT_FAILED"):
        time.sleep(0.02)
    complete_at = wait_complete(run_id, size)
    final = run(run_id)
    assert final["state"] == "COMPLETED", final
    lag = instant(final["finishedAt"]) - slurm_end(final["slurmJobId"])
    status, marker = request("GET", "/api/v1/runs/%s/logs/stderr" % run_id)
    copy_seconds = complete_at - float(marker.decode().strip())
    follow_seconds = follow(run_id)
    cat_seconds = ssh_cat(run_id)
    return lag, copy_seconds, follow_seconds, cat_seconds


def main():
    print("| Output | Outcome lag (finishedAt - sacct End) | Copy into store | SSE follow | ssh cat (baseline) |")
    print("|---|---|---|---|---|")
    for size_mb in SIZES:
        rows = [measure(size_mb) for _ in range(REPEATS)]
        lag = statistics.median(row[0] for row in rows)
        copy = statistics.median(row[1] for row in rows)
        follow_s = statistics.median(row[2] for row in rows)
        cat = statistics.median(row[3] for row in rows)
        rate = (lambda seconds: "%.1f MB/s" % (size_mb / seconds)) if size_mb else (lambda seconds: "–")
        print("| %d MB | %.2f s | %s | %s | %s |" % (size_mb, lag, rate(copy), rate(follow_s), rate(cat)), flush=True)


if __name__ == "__main__":
    main()
