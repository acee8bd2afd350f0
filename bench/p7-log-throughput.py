"""P5 outcome lag and P7 log throughput on the rig (started by p7-log-throughput.sh). For each size, a run prints that
many megabytes to stdout as fast as `yes` can; then:

- outcome lag: the run's finishedAt (the gateway's clock) minus the job's End in Slurm accounting (whole seconds,
  so the lag is over-stated by up to 1 s);
- first byte: seconds from the moment the job starts printing (it writes the time to stderr first; the rig is this
  machine, so the clocks agree) until its first byte is stored (a thread reads the log every 10 ms);
- copy: megabytes per second from the first byte stored to the last (the copy itself, at whatever pace it goes);
- complete: seconds from the moment the job starts printing until a read at the last offset says X-Log-Complete;
- follow: megabytes per second of an SSE follow of the whole stored log from offset 0;
- baseline: `cat` of the same stdout.log over the same multiplexed ssh connection (local runs: `cat` of the file on
  this machine), to /dev/null.
Local runs (mode local, the gateway's own machine) are measured the same way, without the outcome lag.
"""
import datetime
import json
import os
import shlex
import statistics
import subprocess
import threading
import time
import http.client

from gateway_http import PORT, request

SSH = shlex.split(os.environ["P7_SSH"])
SIZES = [int(size) for size in os.environ.get("P7_SIZES", "0 50 500").split()]
MODES = os.environ.get("P7_MODES", "slurm local").split()
LOCAL_WORK = os.environ["P7_LOCAL_WORK"]
REPEATS = int(os.environ.get("P7_REPEATS", "3"))
MB = 1024 * 1024


def post(size_mb, mode):
    # it runs for 3 s first, so that the gateway follows it as RUNNING, then notes when it starts printing (stderr)
    script = "sleep 3; date +%%s.%%N >&2; yes 0123456789abcdef | head -c %d" % (size_mb * MB)
    spec = {"asset": "bench/p7", "mode": mode, "payload": {"script": script}}
    if mode == "slurm":
        spec["resources"] = {"timeLimit": "10"}
    body = json.dumps(spec)
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


class Stored(threading.Thread):
    """Reads the log every 10 ms and notes when its first byte and its last byte (offset size - 1) were stored."""

    def __init__(self, run_id, size):
        super().__init__(daemon=True)
        self.run_id, self.size, self.first, self.last = run_id, size, None, None

    def stored(self, conn, offset):
        conn.request("GET", "/api/v1/runs/%s/logs/stdout?offset=%d" % (self.run_id, offset))
        return len(conn.getresponse().read()) > 0

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        while self.last is None:
            if self.first is None and self.stored(conn, 0):
                self.first = time.time()
            if self.first is not None and self.stored(conn, self.size - 1):
                self.last = time.time()
            time.sleep(0.01)
        conn.close()


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


def cat(run_id, mode):
    start = time.time()
    if mode == "slurm":
        subprocess.run(SSH + ["cat", "bench-p7/%s/stdout.log" % run_id], stdout=subprocess.DEVNULL, check=True)
    else:
        subprocess.run(["cat", os.path.join(LOCAL_WORK, run_id, "stdout.log")], stdout=subprocess.DEVNULL, check=True)
    return time.time() - start


def measure(size_mb, mode):
    size = size_mb * MB
    run_id = post(size_mb, mode)
    stored = Stored(run_id, size)
    if size:
        stored.start()
    while run(run_id)["state"] not in ("COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT", "SUBMIT_FAILED"):
        time.sleep(0.02)
    complete_at = wait_complete(run_id, size)
    final = run(run_id)
    assert final["state"] == "COMPLETED", final
    lag = instant(final["finishedAt"]) - slurm_end(final["slurmJobId"]) if mode == "slurm" else None
    status, marker = request("GET", "/api/v1/runs/%s/logs/stderr" % run_id)
    printing = float(marker.decode().strip())
    if not size:
        return lag, None, None, complete_at - printing, None, None
    stored.join()
    return (lag, stored.first - printing, stored.last - stored.first, complete_at - printing, follow(run_id),
            cat(run_id, mode))


def main():
    print("| Mode | Output | Outcome lag | First byte stored | Copy into store | Job prints → complete | SSE follow"
          " | cat (baseline) |")
    print("|---|---|---|---|---|---|---|---|")
    for mode in MODES:
        for size_mb in SIZES:
            rows = [measure(size_mb, mode) for _ in range(REPEATS)]

            def median(k):
                values = [row[k] for row in rows if row[k] is not None]
                return statistics.median(values) if values else None

            def rate(seconds):
                return "%.1f MB/s" % (size_mb / seconds) if size_mb and seconds else "–"

            def secs(seconds):
                return "%.2f s" % seconds if seconds is not None else "–"

            print("| %s | %d MB | %s | %s | %s | %s | %s | %s |" % (
                mode, size_mb, secs(median(0)), secs(median(1)), rate(median(2)), secs(median(3)), rate(median(4)),
                rate(median(5))), flush=True)


if __name__ == "__main__":
    main()
