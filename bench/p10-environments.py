#!/usr/bin/env python3
"""P10: an environment pack's first use through the gateway (PUT of the pack, then a run naming it, until the job's
payload starts with the pack unpacked and sourced), against scp of the same file plus tar -x by hand over one
multiplexed ssh connection, alternated in one run; then the cost a cached pack adds to a submission, against the same
run without an environment, in interleaved pairs, and the gateway's own counters to show that nothing was sent again.

Every repetition of the first use is a true first use: the pack gets a fresh digest (a nonce file inside it is
rewritten in place) and the cluster's cache directory is removed before it, so neither the gateway's blob store nor
the cluster's cache holds it. Both sides time the job's start the same way: the job prints bash's EPOCHREALTIME
first thing after activate.sh is sourced (the rig runs on this machine, one clock).

Usage: bench/p10-environments.sh (starts the gateway against the rig and calls this)."""
import hashlib
import http.client
import io
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tarfile
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(__file__))
from gateway_http import PORT, request  # noqa: E402

SSH = shlex.split(os.environ["P10_SSH"])          # ssh riding on the ControlMaster connection, ending in user@host
SCP = shlex.split(os.environ["P10_SCP"])          # scp riding on the same connection, without the destination
LOCAL = os.environ["P10_LOCAL_DIR"]               # where the pack is built
CACHE = os.environ["P10_CACHE_DIR"]               # the gateway's cache directory on the cluster (under home)
DIRECT = os.environ["P10_DIRECT_DIR"]             # where the baseline unpacks (under home)
PACK_MB = int(os.environ.get("P10_PACK_MB", "200"))
REPS = int(os.environ.get("P10_REPS", "5"))
PAIRS = int(os.environ.get("P10_PAIRS", "20"))
WARMUP = int(os.environ.get("P10_WARMUP", "3"))
FIRST_WARMUP = int(os.environ.get("P10_FIRST_WARMUP", "1"))  # first uses of each side not counted
FILES = int(os.environ.get("P10_FILES", "8"))      # random data files the pack's bytes are spread over
CACHE_NAME = os.environ.get("P10_CACHE_NAME", "rig")
TERMINAL = ("COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT", "SUBMIT_FAILED")
START = re.compile(r"p10-start ([0-9.]+)")
NONCE_LEN = 32

# what the job runs once activate.sh is sourced: the time first, then a check that the pack is whole and importable
PAYLOAD = ("#!/bin/bash\necho \"p10-start $EPOCHREALTIME\"\n"
           "python3 -c 'import p10pkg; print(p10pkg.check())'\n")
ACTIVATE = """# sourced by the job before its payload: the pack's Python package on PYTHONPATH
P10_PACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export P10_PACK_DIR
export PYTHONPATH="$P10_PACK_DIR/lib${PYTHONPATH:+:$PYTHONPATH}"
"""
PACKAGE = '''"""A tiny package in the P10 pack: check() proves the pack was unpacked whole."""
import os

EXPECTED = %r


def check():
    root = os.environ["P10_PACK_DIR"]
    for name, size in EXPECTED.items():
        actual = os.path.getsize(os.path.join(root, name))
        if actual != size:
            raise SystemExit("%%s: %%d bytes, expected %%d" %% (name, actual, size))
    return "pack ok: %%d files" %% len(EXPECTED)
'''


def ssh(command, check=True):
    """The command's stdout; with check=False, the whole CompletedProcess."""
    out = subprocess.run(SSH + [command], capture_output=True, text=True)
    if not check:
        return out
    if out.returncode != 0:
        sys.exit("ssh %r failed (%d): %s" % (command, out.returncode, out.stderr.strip()))
    return out.stdout


def build_pack():
    """A plain (uncompressed) tar: random data does not compress, and it is the transfer being measured. Returns the
    path and the offset of the nonce file's bytes inside the archive."""
    path = os.path.join(LOCAL, "pack.tar")
    total = PACK_MB * 1024 * 1024
    sizes = {"data/chunk-%02d.bin" % i: total // FILES + (1 if i < total % FILES else 0) for i in range(FILES)}
    started = time.perf_counter()
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        def add(name, data, mode=0o644):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), mode, int(time.time())
            tar.addfile(info, io.BytesIO(data))
        add("activate.sh", ACTIVATE.encode())
        add("nonce", b"0" * NONCE_LEN)
        add("lib/p10pkg/__init__.py", (PACKAGE % sizes).encode())
        for name, size in sizes.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = size, 0o644, int(time.time())
            tar.addfile(info, _Random(size))
    with tarfile.open(path, "r") as tar:
        offset = tar.getmember("nonce").offset_data
    print("pack: %s, %.1f MB (plain tar: activate.sh, lib/p10pkg, %d random files), built in %.1f s"
          % (path, os.path.getsize(path) / 1e6, FILES, time.perf_counter() - started), flush=True)
    return path, offset


class _Random(io.RawIOBase):
    """os.urandom bytes, read by tarfile in chunks, so the pack is never held in memory."""

    def __init__(self, size):
        self.left = size

    def readable(self):
        return True

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.left -= n
        return os.urandom(n)


def renew(path, offset, rep):
    """Rewrites the nonce in place, so the pack's digest is new; returns the digest (not timed)."""
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(("%d-%d-%s" % (os.getpid(), rep, time.time())).encode().ljust(NONCE_LEN, b"-")[:NONCE_LEN])
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return "sha256:" + sha.hexdigest()


def put_blob(path, digest):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600, blocksize=1 << 20)
    with open(path, "rb") as body:
        conn.request("PUT", "/api/v1/blobs/" + digest, body,
                     {"Content-Type": "application/octet-stream", "Content-Length": str(os.path.getsize(path))})
        response = conn.getresponse()
        data = response.read()
    conn.close()
    return response.status, data


def post_run(environment=None, script=PAYLOAD):
    body = {"asset": "bench/p10", "mode": "slurm", "payload": {"script": script}}
    if environment:
        body["environment"] = {"pack": environment}
    status, data = request("POST", "/api/v1/runs", json.dumps(body))
    if status != 202:
        sys.exit("POST failed: %d %s" % (status, data[:500]))
    return json.loads(data)["id"]


def get_run(run_id):
    status, data = request("GET", "/api/v1/runs/" + run_id)
    if status != 200:
        sys.exit("GET run %s failed: %d %s" % (run_id, status, data[:500]))
    return json.loads(data)


def wait_ended(run_id, poll=0.1, limit=600):
    deadline = time.time() + limit
    while time.time() < deadline:
        run = get_run(run_id)
        if run["state"] in TERMINAL:
            return run
        time.sleep(poll)
    sys.exit("run %s did not end within %d s" % (run_id, limit))


def seconds(timestamp):
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


def state_times(run_id):
    """When the run entered each state, by the gateway's own STATE events (this machine's clock)."""
    status, data = request("GET", "/api/v1/runs/%s/events?limit=1000" % run_id)
    if status != 200:
        sys.exit("GET events of %s failed: %d" % (run_id, status))
    return {e["data"].get("to"): seconds(e["at"]) for e in json.loads(data) if e["type"] == "STATE"}


def metrics():
    """The gateway's cache counters for the cluster's cache: {name: value}, None for a counter it does not show."""
    status, data = request("GET", "/actuator/prometheus")
    if status != 200:
        sys.exit("GET /actuator/prometheus failed: %d" % status)
    found = {"gateway_cache_transfers_total": None, "gateway_cache_unpacks_total": None,
             "gateway_cache_transferred_bytes_total": None}
    for line in data.decode().splitlines():
        m = re.match(r"^(\w+)\{([^}]*)\}\s+(\S+)", line)
        if m and m.group(1) in found and re.search(r'(^|,)cache="%s"' % re.escape(CACHE_NAME), m.group(2)):
            found[m.group(1)] = (found[m.group(1)] or 0) + float(m.group(3))
    return found


def gateway_first_use(path, digest):
    """PUT start -> the payload's first line, with the parts between; the job's time comes from its own output."""
    status, _ = request("HEAD", "/api/v1/blobs/" + digest)
    if status != 404:
        sys.exit("HEAD of a fresh digest answered %d, not 404: the digest is not fresh" % status)
    t0 = time.time()
    status, data = put_blob(path, digest)
    t_put = time.time()
    if status != 201:
        sys.exit("PUT of a fresh pack answered %d (expected 201): %s" % (status, data[:500]))
    run_id = post_run(digest)
    t_post = time.time()
    run = wait_ended(run_id)
    if run["state"] != "COMPLETED":
        sys.exit("first-use run %s ended %s: %s (stderr: %s)" % (
            run_id, run["state"], run.get("reason"), request("GET", "/api/v1/runs/%s/logs/stderr" % run_id)[1][-2000:]))
    stdout = request("GET", "/api/v1/runs/%s/logs/stdout" % run_id)[1].decode()
    m = START.search(stdout)
    if not m or "pack ok" not in stdout:
        sys.exit("first-use run %s printed no start time or no pack check: %r" % (run_id, stdout[-500:]))
    start = float(m.group(1))
    at = state_times(run_id)
    return {"total": start - t0, "put": t_put - t0, "to_job": at["QUEUED"] - t_put, "post": t_post - t_put,
            "provision": at["QUEUED"] - at["STAGING"], "job_start": start - at["QUEUED"], "run": run_id}


def baseline_first_use(path, rep):
    """scp of the same file to a fresh directory, tar -x there (the issue's baseline), then, reported apart, an sbatch
    of a job that sources activate.sh and prints the same line, to its start."""
    directory = "%s/rep-%d" % (DIRECT, rep)
    ssh("mkdir -p %s" % DIRECT)
    t0 = time.time()
    out = subprocess.run(SCP + [path, "%s:%s.tar" % (SSH[-1], directory)], capture_output=True, text=True)
    t_scp = time.time()
    if out.returncode != 0:
        sys.exit("scp failed: %s" % out.stderr.strip())
    ssh("mkdir %s && tar -xf %s.tar -C %s" % (directory, directory, directory))
    t_tar = time.time()
    script = "#!/bin/bash\nsource ./activate.sh\n%s" % PAYLOAD.split("\n", 1)[1]  # the job starts in the directory
    submitted = ssh("cat > %s/job.sh <<'EOF'\n%sEOF\ncd %s && sbatch --parsable --wait --output=out.log job.sh"
                    % (directory, script, directory), check=False)
    stdout = ssh("cat %s/out.log" % directory, check=False).stdout
    if submitted.returncode != 0:
        sys.exit("the baseline job failed (%d): %s %s"
                 % (submitted.returncode, submitted.stderr.strip(), stdout[-500:]))
    m = START.search(stdout)
    if not m or "pack ok" not in stdout:
        sys.exit("baseline job printed no start time or no pack check: %r" % stdout[-500:])
    start = float(m.group(1))
    return {"scp": t_scp - t0, "tar": t_tar - t_scp, "scp_tar": t_tar - t0, "job_start": start - t_tar,
            "total": start - t0}


def to_job_id(environment):
    """POST -> the run's slurmJobId recorded (like P1)."""
    body = json.dumps({"asset": "bench/p10", "mode": "slurm", "payload": {"script": "echo p10"},
                       **({"environment": {"pack": environment}} if environment else {})})
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    start = time.perf_counter()
    conn.request("POST", "/api/v1/runs", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    run = json.loads(response.read())
    if response.status != 202:
        sys.exit("POST failed: %d %s" % (response.status, run))
    while True:
        conn.request("GET", "/api/v1/runs/" + run["id"])
        current = json.loads(conn.getresponse().read())
        if current.get("slurmJobId"):
            conn.close()
            return time.perf_counter() - start, run["id"]
        if current["state"] in TERMINAL:
            sys.exit("second-use run %s ended %s: %s" % (run["id"], current["state"], current.get("reason")))
        time.sleep(0.002)  # a tight loop would take a core from the gateway it measures (2 cores here)


def ms(values):
    return "%7.1f ms" % (statistics.median(values) * 1000)


def sec(values):
    return "%6.2f s" % statistics.median(values)


def spread(values, scale=1.0, fmt="%.2f"):
    return " ".join(fmt % (v * scale) for v in values)


def main():
    os.makedirs(LOCAL, exist_ok=True)
    path, offset = build_pack()
    size_mb = os.path.getsize(path) / 1e6
    before_first = metrics()
    if before_first["gateway_cache_transfers_total"] is None:
        print("note: gateway_cache_transfers_total{cache=\"%s\"} is not shown before the first transfer" % CACHE_NAME)

    # 1. first use, alternated: which side goes first changes every repetition
    gateway, baseline = [], []
    digest = None
    for rep in range(-FIRST_WARMUP, REPS):
        ssh("rm -rf %s" % CACHE)  # a fresh cache directory: nothing of an earlier repetition is there
        digest = renew(path, offset, rep)
        g = b = None
        for side in ("gateway", "baseline") if rep % 2 == 0 else ("baseline", "gateway"):
            if side == "gateway":
                g = gateway_first_use(path, digest)
            else:
                b = baseline_first_use(path, rep)
        ssh("rm -rf %s/rep-%d %s/rep-%d.tar" % (DIRECT, rep, DIRECT, rep))
        if rep >= 0:
            gateway.append(g)
            baseline.append(b)
        print("%s: gateway %.2f s (PUT %.2f, POST answered %.2f, claimed->job id %.2f, job id->payload %.2f);"
              " baseline scp+tar %.2f s (scp %.2f, tar %.2f), +sbatch->payload %.2f" % (
                  "rep %d" % (rep + 1) if rep >= 0 else "warm-up", g["total"], g["put"], g["post"], g["provision"],
                  g["job_start"], b["scp_tar"], b["scp"], b["tar"], b["job_start"]), flush=True)
    after_first = metrics()

    # 2. second use: the last pack is cached and unpacked; pairs of POST -> job id with it and without any
    for _ in range(WARMUP):
        to_job_id(digest)
        to_job_id(None)
    before_second = metrics()
    with_pack, without, second_runs = [], [], []
    for i in range(PAIRS):
        pair = [(digest, with_pack), (None, without)]
        for environment, into in pair if i % 2 == 0 else pair[::-1]:
            took, run_id = to_job_id(environment)
            into.append(took)
            second_runs.append((run_id, environment))
        time.sleep(0.05)
    after_second = metrics()
    # where a cached pack's time goes, by the gateway's own events
    claimed = {True: [], False: []}
    for run_id, environment in second_runs:
        at = state_times(run_id)
        claimed[environment is not None].append(at["QUEUED"] - at["STAGING"])
    failed = []
    for run_id, environment in second_runs:
        run = wait_ended(run_id, poll=0.5)
        if run["state"] != "COMPLETED":
            failed.append("%s (%s): %s %s" % (run_id, "pack" if environment else "none", run["state"],
                                              run.get("reason")))

    def delta(after, before, name):
        if after[name] is None:
            return None
        return after[name] - (before[name] or 0)

    transfers_first = delta(after_first, before_first, "gateway_cache_transfers_total")
    unpacks_first = delta(after_first, before_first, "gateway_cache_unpacks_total")
    transfers_second = delta(after_second, before_second, "gateway_cache_transfers_total")
    unpacks_second = delta(after_second, before_second, "gateway_cache_unpacks_total")

    gt = [g["total"] for g in gateway]
    bt = [b["scp_tar"] for b in baseline]
    bj = [b["total"] for b in baseline]
    gm, bm, bjm = statistics.median(gt), statistics.median(bt), statistics.median(bj)
    wp, wo = statistics.median(with_pack), statistics.median(without)
    print()
    print("P10 environments: pack %.1f MB (plain tar), %d repetitions of the first use (after %d warm-up), %d pairs"
          " of the second (after %d warm-up pairs)" % (size_mb, REPS, FIRST_WARMUP, PAIRS, WARMUP))
    print("First use (medians; every repetition a fresh digest and a fresh cache directory):")
    print("  gateway: PUT start -> payload started       : %s   (%s)" % (sec(gt), spread(gt)))
    print("    of which PUT                              : %s   (%s)" % (sec([g["put"] for g in gateway]),
                                                                       spread([g["put"] for g in gateway])))
    print("    of which POST -> job id recorded          : %s" % sec([g["to_job"] for g in gateway]))
    print("      of which POST answered (pack read)      : %s" % sec([g["post"] for g in gateway]))
    print("      of which claimed -> job id recorded     : %s   (transfer, check, unpack, sbatch)"
          % sec([g["provision"] for g in gateway]))
    print("    of which job id -> payload started        : %s" % sec([g["job_start"] for g in gateway]))
    print("  baseline: scp + tar -x (ControlMaster)      : %s   (%s)" % (sec(bt), spread(bt)))
    print("    of which scp                              : %s" % sec([b["scp"] for b in baseline]))
    print("    of which tar -x                           : %s" % sec([b["tar"] for b in baseline]))
    print("  baseline + sbatch -> payload started        : %s   (%s)" % (sec(bj), spread(bj)))
    print("  ratio gateway / (scp + tar -x)              : %.2fx  (target <= 1.2x: %s)"
          % (gm / bm, "met" if gm / bm <= 1.2 else "not met"))
    print("  ratio gateway / (scp + tar -x + job start)  : %.2fx  (like for like, for scale)" % (gm / bjm))
    print("  cache counters over the first use           : transfers %s, unpacks %s (expected %d each)"
          % (transfers_first, unpacks_first, REPS + FIRST_WARMUP))
    print("Second use (POST -> job id recorded, medians):")
    print("  run naming the cached pack                  : %s   (p10 %.1f, p90 %.1f)" % (
        ms(with_pack), sorted(with_pack)[PAIRS // 10] * 1000, sorted(with_pack)[PAIRS * 9 // 10] * 1000))
    print("  the same run without environment            : %s   (p10 %.1f, p90 %.1f)" % (
        ms(without), sorted(without)[PAIRS // 10] * 1000, sorted(without)[PAIRS * 9 // 10] * 1000))
    print("  added by the cached pack                    : %7.1f ms  (target < 50 ms: %s)"
          % ((wp - wo) * 1000, "met" if wp - wo < 0.05 else "not met"))
    print("    claimed -> job recorded, with / without   : %s / %s" % (ms(claimed[True]), ms(claimed[False])))
    print("  cache counters over the second use          : transfers %s, unpacks %s (expected 0)"
          % (transfers_second, unpacks_second))

    errors = []
    if transfers_second is None or unpacks_second is None:
        errors.append("the gateway shows no gateway_cache_transfers_total / gateway_cache_unpacks_total"
                      " {cache=\"%s\"}: cannot confirm that the second use sent nothing" % CACHE_NAME)
    elif transfers_second or unpacks_second:
        errors.append("the second use transferred %s and unpacked %s times: the cached pack was not reused"
                      % (transfers_second, unpacks_second))
    for what, counted in (("transfers", transfers_first), ("unpacks", unpacks_first)):
        if counted is not None and counted != REPS + FIRST_WARMUP:
            errors.append("the first use counted %s %s for %d repetitions" % (counted, what, REPS + FIRST_WARMUP))
    errors += ["second-use run did not complete: " + f for f in failed]
    for error in errors:
        print("ERROR: " + error, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
