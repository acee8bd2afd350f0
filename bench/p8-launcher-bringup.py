"""P8: bring-up overhead of the spark and dask launchers (job script start -> payload start), on 1 and 2 nodes, against
the same framework started by hand in the same kind of allocation (bench/p8/by-hand-*.sh), measured alternately in
one run: through the gateway, and the gateway's batch script submitted again by hand (the launcher alone). Both sides time themselves in the job with bash's EPOCHREALTIME and print "bring-up: S s" on stderr; both
wait for the same things (head answering, one worker per node joined). Driven by p8-launcher-bringup.sh."""
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from gateway_http import request  # noqa: E402

SSH = shlex.split(os.environ["P8_SSH"])
REMOTE = os.environ["P8_REMOTE_DIR"]
REPEATS = int(os.environ.get("P8_REPEATS", "5"))
NODES = [int(n) for n in os.environ.get("P8_NODES", "1 2").split()]
LAUNCHERS = os.environ.get("P8_LAUNCHERS", "spark dask").split()
SPARK_HOME = os.environ.get("P8_SPARK_HOME", "/opt/slurm-rig/spark-3.5.8")
PI_JAR = os.environ.get("P8_PI_JAR", "/opt/slurm-rig/examples/spark-pi.jar")
BRING_UP = re.compile(r"bring-up: ([0-9.]+) s")
RESOURCES = {"cpusPerTask": 2, "memory": "1500M", "timeLimit": "10"}


def ssh(command, stdin=None):
    return subprocess.run(SSH + [command], input=stdin, capture_output=True, text=True, check=True).stdout


def gateway_run(launcher, nodes):
    body = {"asset": "bench/p8", "mode": "slurm", "launcher": launcher,
            "resources": dict(RESOURCES, nodes=nodes)}
    if launcher == "spark":
        body.update(launcherOptions={"mainClass": "io.slurmgateway.examples.SparkPi"},
                    payload={"path": PI_JAR}, args=["2"])
    else:
        body.update(payload={"script": "import os\nfrom distributed import Client\n"
                                       "print(len(Client(os.environ['DASK_SCHEDULER_ADDRESS'])"
                                       ".scheduler_info()['workers']))\n"})
    status, data = request("POST", "/api/v1/runs", json.dumps(body))
    assert status == 202, data
    run_id = json.loads(data)["id"]
    while True:
        run = json.loads(request("GET", "/api/v1/runs/" + run_id)[1])
        if run["state"] in ("COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT", "SUBMIT_FAILED"):
            break
        time.sleep(0.5)
    assert run["state"] == "COMPLETED", run
    stderr = request("GET", "/api/v1/runs/" + run_id + "/logs/stderr")[1].decode()
    return float(BRING_UP.search(stderr).group(1)), run_id


def script_alone(run_id):
    """The batch script the gateway wrote for a run, submitted again by hand in its directory: the launcher's own
    cost, without the gateway copying output and polling on the same two cores meanwhile."""
    directory = "%s/%s" % (REMOTE, run_id)
    ssh("cd %s && sbatch --wait --parsable batch.sh" % directory)
    return float(BRING_UP.search(ssh("cat %s/stderr.log" % directory)).group(1))


def by_hand(launcher, nodes, n):
    directory = "%s/by-hand-%s-%d-%d" % (REMOTE, launcher, nodes, n)
    args = [SPARK_HOME, PI_JAR] if launcher == "spark" else []
    ssh("mkdir -p %s && cd %s && sbatch --wait --parsable --nodes=%d --cpus-per-task=%d --mem=%s --time=%s"
        " --output=out.log --error=err.log %s/by-hand-%s.sh %s"
        % (directory, directory, nodes, RESOURCES["cpusPerTask"], RESOURCES["memory"], RESOURCES["timeLimit"],
           REMOTE, launcher, " ".join(shlex.quote(a) for a in args)))
    return float(BRING_UP.search(ssh("cat %s/err.log" % directory)).group(1))


def main():
    ssh("mkdir -p %s" % REMOTE)
    for launcher in LAUNCHERS:
        with open(os.path.join(os.path.dirname(__file__), "p8", "by-hand-%s.sh" % launcher)) as script:
            ssh("cat > %s/by-hand-%s.sh && chmod +x %s/by-hand-%s.sh" % (REMOTE, launcher, REMOTE, launcher),
                stdin=script.read())
    print("%-6s %5s %12s %12s %12s %8s %8s" % (
        "launch", "nodes", "gateway (s)", "script (s)", "by hand (s)", "gw/hand", "scr/hand"))
    for launcher in LAUNCHERS:
        for nodes in NODES:
            ours, alone, theirs = [], [], []
            for n in range(REPEATS):  # alternated, so that noise falls on all sides alike
                if n % 2 == 1:
                    theirs.append(by_hand(launcher, nodes, n))
                took, run_id = gateway_run(launcher, nodes)
                ours.append(took)
                alone.append(script_alone(run_id))
                if n % 2 == 0:
                    theirs.append(by_hand(launcher, nodes, n))
            a, s, b = statistics.median(ours), statistics.median(alone), statistics.median(theirs)
            print("%-6s %5d %12.2f %12.2f %12.2f %7.2fx %7.2fx   (gateway %s; script %s; by hand %s)" % (
                launcher, nodes, a, s, b, a / b, s / b, " ".join("%.2f" % x for x in ours),
                " ".join("%.2f" % x for x in alone), " ".join("%.2f" % x for x in theirs)), flush=True)


if __name__ == "__main__":
    main()
