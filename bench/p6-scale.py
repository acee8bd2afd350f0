"""P6: heap and threads of a gateway holding RUNS active Slurm runs and then RUNS open SSE streams, against the same
gateway idle. Started by p6-scale.sh, which runs the gateway (GATEWAY_PORT, GATEWAY_PID) against stand-in Slurm
commands. Arguments: RUNS IDLE_SECONDS STREAMS."""
import asyncio
import concurrent.futures
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time

PORT = int(os.environ["GATEWAY_PORT"])
PID = os.environ["GATEWAY_PID"]
RUNS = int(sys.argv[1])
IDLE = float(sys.argv[2])
STREAMS = int(sys.argv[3])
CONNECTING = 200
local = threading.local()


def request(method, path, body=None):
    """One request on this thread's kept-alive connection; returns the status and the parsed body."""
    if not hasattr(local, "conn"):
        local.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    local.conn.request(method, path, body, {"Content-Type": "application/json"} if body else {})
    response = local.conn.getresponse()
    data = response.read()
    return response.status, json.loads(data) if data else None


def heap_after_gc_mb():
    subprocess.run(["jcmd", PID, "GC.run"], check=True, capture_output=True)
    info = subprocess.run(["jcmd", PID, "GC.heap_info"], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"used (\d+)K", info).group(1)) / 1024


def proc_status(field):
    with open(f"/proc/{PID}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def cpu_seconds():
    with open(f"/proc/{PID}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def prometheus(name):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request("GET", "/actuator/prometheus")
    text = conn.getresponse().read().decode()
    conn.close()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name))


def count(state):
    return request("GET", f"/api/v1/runs?state={state}&size=1")[1]["totalElements"]


def change_latency_ms():
    """POST of a local run that exits at once, to its COMPLETED event over SSE: how fast a change reaches a follower."""
    samples = []
    for _ in range(5):
        start = time.monotonic()
        status, run = request("POST", "/api/v1/runs", json.dumps({"asset": "bench/p6", "payload": {"script": "true"}}))
        assert status == 202, (status, run)
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        conn.request("GET", f"/api/v1/runs/{run['id']}/events", headers={"Accept": "text/event-stream"})
        response = conn.getresponse()
        for line in response:
            if line.startswith(b"data:") and b'"to":"COMPLETED"' in line:
                samples.append((time.monotonic() - start) * 1000)
                break
        conn.close()
    return statistics.median(samples)


def measure(label):
    heap = heap_after_gc_mb()
    if os.environ.get("P6_HISTOGRAM"):
        histogram = subprocess.run(["jcmd", PID, "GC.class_histogram"], capture_output=True, text=True).stdout
        print("\n".join(histogram.splitlines()[:int(os.environ["P6_HISTOGRAM"])]), flush=True)
    threads = proc_status("Threads")
    rss = proc_status("VmRSS") / 1024
    ticks, tick_sum = prometheus("gateway_slurm_poll_duration_seconds_count"), prometheus(
        "gateway_slurm_poll_duration_seconds_sum")
    cpu = cpu_seconds()
    time.sleep(IDLE)
    cpu_share = (cpu_seconds() - cpu) / IDLE * 100
    ticks2, tick_sum2 = prometheus("gateway_slurm_poll_duration_seconds_count"), prometheus(
        "gateway_slurm_poll_duration_seconds_sum")
    tick_ms = (tick_sum2 - tick_sum) / (ticks2 - ticks) * 1000 if ticks2 > ticks else float("nan")
    latency = change_latency_ms()
    row = (label, heap, rss, threads, cpu_share, tick_ms, latency)
    print(f"| {label} | {heap:.0f} MB | {rss:.0f} MB | {threads} | {cpu_share:.1f} % | {tick_ms:.0f} ms"
          f" | {latency:.0f} ms |", flush=True)
    return row


def post_runs():
    body = json.dumps({"asset": "bench/p6", "mode": "slurm", "cluster": "fake", "payload": {"script": "sleep 600"}})

    def post(_):
        status, run = request("POST", "/api/v1/runs", body)
        assert status == 202, (status, run)
        return run["id"]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        return list(pool.map(post, range(RUNS)))


async def follow(run_id, ready, stop, connecting):
    """Follows the run's events; counts as ready once its RUNNING event came. At most CONNECTING at once connect, as
    clients that arrive over time would (10,000 at once overflow any accept queue)."""
    async with connecting:
        reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
        request = f"GET /api/v1/runs/{run_id}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        writer.write(request.encode())
        await writer.drain()
        while True:
            line = await reader.readline()
            if not line:
                raise RuntimeError(f"the stream of {run_id} ended before its RUNNING event")
            if line.startswith(b"data:") and b'"to":"RUNNING"' in line:
                ready.append(run_id)
                break
    while not stop.is_set():
        if not await reader.readline():
            raise RuntimeError(f"the stream of {run_id} ended")
    writer.close()


async def with_streams(ids):
    ready, stop, connecting = [], asyncio.Event(), asyncio.Semaphore(CONNECTING)
    start = time.monotonic()
    tasks = []
    for run_id in ids:
        tasks.append(asyncio.create_task(follow(run_id, ready, stop, connecting)))
        await asyncio.sleep(0)  # let connections go out as they are made
    while len(ready) < len(ids):
        failed = [t for t in tasks if t.done() and t.exception()]
        if failed:
            stop.set()
            sys.exit(f"{len(failed)} streams failed, the first with: {failed[0].exception()!r}")
        await asyncio.sleep(0.2)
    opened = time.monotonic() - start
    print(f"{len(ids)} streams open and each had its run's RUNNING event {opened:.1f} s after the first connect",
          flush=True)
    row = await asyncio.get_running_loop().run_in_executor(None, measure, f"{RUNS} runs + {len(ids)} SSE streams")
    failed = [t for t in tasks if t.done() and t.exception()]
    if failed:
        sys.exit(f"{len(failed)} streams failed while open, the first with: {failed[0].exception()!r}")
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return row, opened


print("| Gateway holds | Heap after GC | RSS | Threads | CPU while idle | Poll tick | Change → follower |")
print("|---|---|---|---|---|---|---|")
measure("nothing (baseline)")
start = time.monotonic()
ids = post_runs()
posted = time.monotonic() - start
while count("RUNNING") < RUNS:
    time.sleep(1)
print(f"(posted {RUNS} runs in {posted:.1f} s; all RUNNING {time.monotonic() - start:.1f} s after the first POST)",
      flush=True)
measure(f"{RUNS} active Slurm runs")
if STREAMS:
    asyncio.run(with_streams(ids[:STREAMS]))
