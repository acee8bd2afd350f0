"""A real gateway for the tests: the built jar, started on a port it chooses and reports, with H2 in a temporary
directory. ``shared_gateway()`` starts one per test process (local mode, bearer tokens); ``rig_gateway()`` one against
the Slurm rig when it is up."""

from __future__ import annotations

import atexit
import faulthandler
import glob
import hashlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
CLIENT = HERE.parent
REPO = CLIENT.parent.parent
sys.path.insert(0, str(CLIENT))

from slurm_gateway import GatewayClient  # noqa: E402  (the package under test, from this checkout)

PAYLOADS = HERE / "payloads"
_PORT_LINE = re.compile(r"Tomcat started on port (\d+)")
# how long a gateway may take to start before the test fails (a guard against a hang, not a time the test relies on)
_START_GUARD_SECONDS = 240
# how long one test against a gateway may take before the process reports where it is stuck and ends (a guard against
# a hang, which would otherwise hold CI until its own timeout and say nothing)
_TEST_GUARD_SECONDS = int(os.environ.get("GATEWAY_TEST_GUARD_SECONDS", "600"))


def unavailable(variable: str, reason: str) -> None:
    """Skips the test, saying why; fails it instead when ``variable`` is ``required`` (as in CI)."""
    if os.environ.get(variable) == "required":
        raise AssertionError(reason + " (required: %s=required)" % variable)
    raise unittest.SkipTest(reason)


def gateway_jar() -> str:
    jar = os.environ.get("SLURM_GATEWAY_JAR")
    if jar:
        return jar
    jars = [path for path in glob.glob(str(REPO / "target" / "slurm-gateway-*.jar")) if not path.endswith(".original")]
    if not jars:
        unavailable("GATEWAY_TEST_JAR", "no gateway jar in target/: build it with ./mvnw -DskipTests package")
    return sorted(jars)[-1]


def payload(name: str) -> str:
    return (PAYLOADS / name).read_text(encoding="utf-8")


class Gateway:
    """One gateway process; ``tokens`` maps principal names to their roles."""

    def __init__(self, tokens: Dict[str, str], options: List[str]):
        self.tokens = {name: secrets.token_urlsafe(32) for name in tokens}
        self.roles = dict(tokens)
        self.options = list(options)
        self.process: Optional[subprocess.Popen] = None
        self.dir = tempfile.mkdtemp(prefix="sg-python-tests-")
        self.log = Path(self.dir) / "gateway.log"
        self.port: Optional[int] = None

    def start(self) -> "Gateway":
        java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
        command = [java, "-jar", gateway_jar(), "--server.port=0", "--server.address=127.0.0.1",
                   "--spring.datasource.url=jdbc:h2:file:%s/db" % self.dir,
                   "--gateway.execution.work-dir=%s/runs" % self.dir,
                   "--logging.level.root=WARN",
                   "--logging.level.org.springframework.boot.tomcat.TomcatWebServer=INFO"]
        for name, token in self.tokens.items():
            command.append("--gateway.security.tokens.%s.sha256=%s"
                           % (name, hashlib.sha256(token.encode()).hexdigest()))
            command.append("--gateway.security.tokens.%s.roles=%s" % (name, self.roles[name]))
        command += self.options
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.dir)
        _gateways.append(self)
        guard = time.monotonic() + _START_GUARD_SECONDS
        while self.port is None:
            match = _PORT_LINE.search(self.log.read_text(errors="replace"))
            if match:
                self.port = int(match.group(1))
            elif self.process.poll() is not None or time.monotonic() > guard:
                tail = self.log.read_text(errors="replace")[-3000:]
                self.stop()
                raise AssertionError("the gateway did not start:\n" + tail)
            else:
                time.sleep(0.2)
        # the port is open before the application has finished starting: wait for it to answer
        client = self.client()
        while True:
            try:
                client.get("00000000-0000-0000-0000-000000000000")
            except Exception as error:
                if getattr(error, "status", None) == 404:
                    break
                if self.process.poll() is not None or time.monotonic() > guard:
                    raise AssertionError("the gateway did not answer: %s\n%s"
                                         % (error, self.log.read_text(errors="replace")[-3000:]))
                time.sleep(0.2)
        return self

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d" % self.port

    def client(self, principal: Optional[str] = None, **options) -> GatewayClient:
        name = principal or next(iter(self.tokens), None)
        return GatewayClient(self.url, self.tokens.get(name) if name else None, **options)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not os.environ.get("KEEP_GATEWAY_DIR"):
            shutil.rmtree(self.dir, ignore_errors=True)


_gateways: List[Gateway] = []


class GatewayTestCase(unittest.TestCase):
    """A test against a gateway process: when one takes longer than its guard, the stacks of every thread and the tail
    of every gateway's log are printed, the gateways are stopped and the process exits, failing the suite."""

    def setUp(self):
        watchdog = threading.Timer(_TEST_GUARD_SECONDS, _stuck, args=(self.id(),))
        watchdog.daemon = True
        watchdog.start()
        self.addCleanup(watchdog.cancel)


def _stuck(test_id: str) -> None:
    print("\n%s did not end within %d s (GATEWAY_TEST_GUARD_SECONDS); its threads:" % (test_id, _TEST_GUARD_SECONDS),
          file=sys.stderr, flush=True)
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    for gateway in _gateways:
        print("--- the last of %s:" % gateway.log, file=sys.stderr)
        print(gateway.log.read_text(errors="replace")[-20000:], file=sys.stderr, flush=True)
        gateway.stop()
    os._exit(3)


_shared: Optional[Gateway] = None


def shared_gateway() -> Gateway:
    """Local mode with bearer tokens: ``alice`` and ``bob`` (submitter, local), ``carol`` for limit tests, and a
    ``reader``; at most 2 active runs and 3 event streams per principal, so the limit tests can reach them."""
    global _shared
    if _shared is None:
        gateway_jar()
        _shared = Gateway(
            {"alice": "submitter,local", "bob": "submitter,local", "carol": "submitter,local",
             "dave": "submitter,local", "reader": "reader"},
            ["--gateway.security.limits.max-active-runs=2", "--gateway.security.limits.max-streams=3"],
        ).start()
        atexit.register(_shared.stop)
    return _shared


_rig: Optional[Gateway] = None


def rig_gateway() -> Gateway:
    """The gateway against the Slurm rig (scripts/slurm-rig.sh up), unauthenticated like the Java rig suites."""
    global _rig
    rig_config = REPO / ".slurm-rig" / "application-rig.yml"
    if _rig is None:
        if not rig_config.exists():
            unavailable("GATEWAY_TEST_SLURM", "the Slurm rig is not up: scripts/slurm-rig.sh up (as root)")
        gateway_jar()
        work = "sg-python-" + secrets.token_hex(4)
        _rig = Gateway({}, ["--spring.config.import=optional:file:%s" % rig_config,
                            "--gateway.clusters.rig.work-dir=%s" % work]).start()
        atexit.register(_rig.stop)
    return _rig
