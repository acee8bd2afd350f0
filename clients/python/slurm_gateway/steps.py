"""What the Dagster resource does, written without importing Dagster.

``slurm_gateway.dagster`` passes in the few Dagster pieces this needs (:class:`DagsterParts`); the tests pass stand-ins
that implement exactly the Dagster methods called here, so every decision below is tested without Dagster installed.

The Dagster calls made on a step's context, and nowhere else:

- ``context.run.run_id``, ``context.retry_number``, ``context.has_partition_key``, ``context.partition_key``;
- ``context.get_step_execution_context().step.key`` (the step key);
- ``context.instance.get_run_by_id(run_id)`` for ``.tags`` and ``.status``; ``context.instance.add_run_tags(run_id,
  tags)``;
- ``context.log.info`` and ``context.log.warning``.

On the Pipes message handler: ``handle_message(message)`` and ``report_pipes_framework_exception(origin, exc_info)``.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import hashlib
import json
import os
import re
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, TextIO

from .client import TERMINAL_STATES, GatewayClient, check_relative_path, normalize_digest
from .errors import GatewayProblem

#: Run tags that name the gateway run of a step start with this; the rest is a digest of step key and partition.
TAG_PREFIX = "slurm-gateway/run-"

#: How much of the end of stderr a failed step's error carries.
STDERR_TAIL_BYTES = 4096

_ASSET_CHARS = re.compile(r"[^A-Za-z0-9_./-]")


@dataclass(frozen=True)
class StepIdentity:
    """Which call of which attempt of which step of which Dagster run: what decides between submitting and
    reattaching. ``call`` counts the resource's runs within one attempt (0 for the first), so a step that runs two
    payloads gets two gateway runs."""

    dagster_run_id: str
    step_key: str
    partition_key: Optional[str]
    retry_number: int
    call: int = 0

    @staticmethod
    def of(context: Any, calls: "CallCounter") -> "StepIdentity":
        step_key = context.get_step_execution_context().step.key
        partition = context.partition_key if context.has_partition_key else None
        attempt = StepIdentity(context.run.run_id, step_key, partition, int(context.retry_number or 0))
        return dataclasses.replace(attempt, call=calls.next(attempt))

    def idempotency_key(self) -> str:
        """The same for the same call of the same attempt of the same step and partition of the same Dagster run."""
        text = json.dumps([self.dagster_run_id, self.step_key, self.partition_key, self.retry_number, self.call])
        return "dagster-" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    def tag_key(self) -> str:
        """The run tag holding this call's gateway run id: the same for every attempt, so a retry finds it, and
        naming the Dagster run, so a re-execution that copies its parent's tags does not take the parent's run."""
        text = json.dumps([self.dagster_run_id, self.step_key, self.partition_key, self.call])
        return TAG_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class CallCounter:
    """Counts the resource's runs per step attempt in this process. A restarted process counts again from 0, in the
    same order, so each call finds its own run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Dict[StepIdentity, int] = {}

    def next(self, attempt: StepIdentity) -> int:
        with self._lock:
            count = self._counts.get(attempt, 0)
            self._counts[attempt] = count + 1
            return count


#: The process's counter, which every StepRunner uses unless given its own.
CALLS = CallCounter()

#: A tag value written before a submission: the key it uses, so that a retry can find a run whose tag never came.
PENDING = "pending "


def reattaches_to(run: Optional[Mapping[str, Any]]) -> bool:
    """Whether a step whose run tag names ``run`` takes that run over instead of submitting.

    A run still going (the Dagster process restarted under it) or completed (the process died before it had read
    everything) is taken over, and its events replayed: its work is never done twice. A run that failed, timed out or
    was cancelled is not: the retry that asks again is the point of retrying.
    """
    return run is not None and (run["state"] not in TERMINAL_STATES or run["state"] == "COMPLETED")


def cancels_on_interrupt(dagster_run_status: Any) -> bool:
    """Whether an interrupted step cancels its gateway run: only when the Dagster run is being (or was) cancelled.

    Any other interruption (the Dagster process stopped or restarted) leaves the job running, for the retried step to
    reattach to.
    """
    return getattr(dagster_run_status, "value", dagster_run_status) in ("CANCELING", "CANCELED")


def asset_name(context_data: Mapping[str, Any], step_key: str) -> str:
    """The gateway's ``asset`` for a step: its first asset key, or its step key for an op."""
    keys = context_data.get("asset_keys") or []
    name = keys[0] if keys else step_key
    parts = [_ASSET_CHARS.sub("_", part) for part in name.split("/")]
    parts = [part if part not in ("", ".", "..") else "_" for part in parts]
    return "/".join(parts)[:255]


# dagster-slurm's names for Slurm options, and the gateway's; the gateway's own names are taken as they are
_SLURM_OPTIONS = {
    "nodes": "nodes",
    "ntasks": "ntasks",
    "cpus_per_task": "cpusPerTask",
    "mem": "memory",
    "memory": "memory",
    "gpus_per_node": "gpus",
    "gpus": "gpus",
    "time_limit": "timeLimit",
    "signal_before_timeout": "signalBeforeTimeout",
    "partition": "partition",
    "qos": "qos",
    "account": "account",
    "reservation": "reservation",
    "constraint": "constraint",
    "exclusive": "exclusive",
}
_GATEWAY_RESOURCES = frozenset(_SLURM_OPTIONS.values())


def slurm_resources(*layers: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """The run's ``resources``: each layer's options over the one before, in either naming; ``None`` values unset."""
    merged: Dict[str, Any] = {}
    for layer in layers:
        for name, value in (layer or {}).items():
            key = name if name in _GATEWAY_RESOURCES else _SLURM_OPTIONS.get(name)
            if key is None:
                raise ValueError("unknown Slurm option %r; known: %s"
                                 % (name, ", ".join(sorted(set(_SLURM_OPTIONS) | _GATEWAY_RESOURCES))))
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
    return merged


def payload_of(payload_path: Optional[str], script: Optional[str], python: str,
               files: Optional[Mapping[str, Any]] = None) -> Dict[str, str]:
    """The run's ``payload``: the text of ``payload_path`` or ``script``, exactly one of them.

    A Python file without a ``#!`` line gets one naming ``python`` (an absolute path, or a name looked up on the
    PATH of the job), so that the gateway runs it with Python; its line numbers in tracebacks are then one higher.

    A ``payload_path`` that is a key of the run's ``files`` names that file instead (``{"path": key}``): the gateway
    runs it as it was uploaded, with no ``#!`` line added.
    """
    if (payload_path is None) == (script is None):
        raise ValueError("give exactly one of payload_path and script")
    if script is not None:
        return {"script": script}
    if files and payload_path in files:
        return {"path": payload_path}
    with open(payload_path, encoding="utf-8") as file:
        text = file.read()
    if payload_path.endswith(".py") and not text.startswith("#!"):
        interpreter = python if python.startswith("/") else "/usr/bin/env " + python
        text = "#!%s\n%s" % (interpreter, text)
    return {"script": text}


class PipesEventRelay:
    """Hands a run's ``PIPES`` events to Dagster's message handler, each exactly once and in ``seq`` order.

    ``closed`` is held back until :meth:`finish` (the end of the stream), so that nothing the payload wrote after it
    reaches Dagster as a message after ``closed``. ``log_external_stream`` messages are not handed on: the resource
    forwards the run's stdout and stderr itself, and the gateway starts payloads without stdio in their messages, so a
    payload's output reaches the step once. A handler that raises is reported with
    ``report_pipes_framework_exception`` and the relay goes on.
    """

    ORIGIN = "slurm_gateway event relay"

    def __init__(self, handler: Any):
        self._handler = handler
        self._lock = threading.Lock()
        self._last_seq = 0
        self._held: List[Dict[str, Any]] = []
        self._finished = False
        self.skipped_stdio = 0
        self.handler_failures = 0
        self.closed = False
        self.closed_exception: Optional[Dict[str, Any]] = None

    @property
    def last_seq(self) -> int:
        return self._last_seq

    def offer(self, event: Mapping[str, Any]) -> None:
        with self._lock:
            if event["seq"] <= self._last_seq or self._finished:
                return
            self._last_seq = event["seq"]
            if event["type"] != "PIPES" or not isinstance(event.get("data"), dict):
                return
            message = event["data"]
            method = message.get("method")
            if method == "closed":
                self.closed = True
                params = message.get("params") or {}
                if isinstance(params, dict) and params.get("exception") is not None:
                    self.closed_exception = params["exception"]
                self._held.append(message)
                return
            if method == "log_external_stream":
                self.skipped_stdio += 1
                return
            self._deliver(message)

    def finish(self) -> None:
        """Hands over what was held back (``closed``): once, at the end of the stream."""
        with self._lock:
            if self._finished:
                return
            self._finished = True
            held, self._held = self._held, []
            for message in held:
                self._deliver(message)

    def _deliver(self, message: Dict[str, Any]) -> None:
        try:
            self._handler.handle_message(message)
        except Exception:  # one bad message must not end the stream; Dagster shows the report on the step
            self.handler_failures += 1
            self._handler.report_pipes_framework_exception(self.ORIGIN, sys.exc_info())


class EventFollower:
    """The message reader's thread: waits for the run id, then follows the run's events into a relay to the end."""

    def __init__(self, client: GatewayClient):
        self._client = client
        self._attached = threading.Event()
        self._abandoned = threading.Event()  # also ends the stream, within one of the gateway's heartbeats
        self._run_id: Optional[str] = None
        self._thread: Optional[threading.Thread] = None
        self.relay: Optional[PipesEventRelay] = None
        self.error: Optional[BaseException] = None

    def start(self, handler: Any) -> None:
        self.relay = PipesEventRelay(handler)
        self._thread = threading.Thread(target=self._follow, name="slurm-gateway-events", daemon=True)
        self._thread.start()

    def attach(self, run_id: str) -> None:
        self._run_id = run_id
        self._attached.set()

    def abandon(self) -> None:
        """Stops handing on events (an interrupted step); the thread ends at its next event or with the process."""
        self._abandoned.set()
        self._attached.set()

    @property
    def abandoned(self) -> bool:
        return self._abandoned.is_set()

    def wait(self, poll: float = 1.0) -> None:
        """Until every event of the run has been relayed; in short joins, so the main thread can be interrupted."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(poll)

    def finish(self) -> None:
        """At the end of the reader's session: the stream has ended (or the step was interrupted); hand over ``closed``."""
        if self._thread is not None and not self.abandoned:
            self.wait()
        if self.relay is not None and not self.abandoned and self.error is None:
            self.relay.finish()

    def _follow(self) -> None:
        self._attached.wait()
        if self.abandoned or self._run_id is None:
            return
        try:
            for event in self._client.follow_events(self._run_id, after=0, stop=self._abandoned):
                if self.abandoned:
                    return
                self.relay.offer(event)
        except BaseException as error:  # kept for the step, which fails with it: no message may go missing unseen
            self.error = error


class EventReader:
    """The body of the resource's Pipes message reader: ``read_messages`` starts the follower, ends with ``closed``."""

    def __init__(self, follower: EventFollower):
        self.follower = follower

    @contextlib.contextmanager
    def read_messages(self, handler: Any) -> Iterator[Dict[str, Any]]:
        self.follower.start(handler)
        try:
            yield {"source": "slurm-gateway events"}  # the gateway tells the job where to write; nothing to pass
        finally:
            self.follower.finish()

    def no_messages_debug_text(self) -> str:
        return ("Messages are read from the gateway run's events (GET /api/v1/runs/{id}/events). None arrived: the"
                " payload did not call open_dagster_pipes(), or the run ended before it could (see its stderr).")


class LogForwarder:
    """Copies one of the run's logs to the step's own stream as it arrives, keeping its last bytes for errors."""

    def __init__(self, client: GatewayClient, run_id: str, stream: str, sink: Optional[TextIO]):
        self._client = client
        self._run_id = run_id
        self._stream = stream
        self._sink = sink
        self._tail: collections.deque = collections.deque()
        self._tail_size = 0
        self.error: Optional[BaseException] = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._copy, name="slurm-gateway-" + stream, daemon=True)

    def start(self) -> "LogForwarder":
        self._thread.start()
        return self

    def join(self, poll: float = 1.0) -> None:
        while self._thread.is_alive():
            self._thread.join(poll)

    def stop(self) -> None:
        """Stops copying (an interrupted step): nothing more is written, and the stream ends at the next heartbeat."""
        self._stop.set()

    @property
    def stream(self) -> str:
        return self._stream

    @property
    def tail(self) -> str:
        text = "".join(self._tail)
        return text[-STDERR_TAIL_BYTES:]

    def _copy(self) -> None:
        try:
            for chunk in self._client.follow_log(self._run_id, self._stream, stop=self._stop):
                if self._stop.is_set():
                    return
                if self._sink is not None:
                    self._sink.write(chunk.text)
                    self._sink.flush()
                self._tail.append(chunk.text)
                self._tail_size += len(chunk.text)
                while self._tail_size - len(self._tail[0]) >= STDERR_TAIL_BYTES:
                    self._tail_size -= len(self._tail.popleft())
        except Exception as error:  # a log that cannot be copied does not fail the step; the run's outcome decides
            self.error = error


@dataclass(frozen=True)
class Failure:
    """Why a step fails, and what Dagster shows with it."""

    message: str
    metadata: Dict[str, Any]


def outcome(run: Mapping[str, Any], closed_exception: Optional[Mapping[str, Any]], stderr_tail: str,
            events_error: Optional[BaseException] = None) -> Optional[Failure]:
    """``None`` when the step succeeded: the run ``COMPLETED``, every event read, and no ``closed`` with an exception."""
    metadata = {
        "gateway run": run["id"],
        "state": run["state"],
        "reason": run.get("reason"),
        "slurm job id": run.get("slurmJobId"),
        "exit code": run.get("exitCode"),
    }
    metadata = {name: value for name, value in metadata.items() if value is not None}
    if stderr_tail:
        metadata["stderr (end)"] = stderr_tail
    where = "gateway run %s" % run["id"]
    if run.get("slurmJobId"):
        where += " (Slurm job %s)" % run["slurmJobId"]
    if run["state"] in TERMINAL_STATES and run["state"] != "COMPLETED":
        text = "%s ended %s" % (where, run["state"])
    elif events_error is not None:
        text = ("%s is %s, but its events could not all be read (%s); the job goes on, and a retry of this step"
                " reattaches to it and reads them again" % (where, run["state"], events_error))
    elif run["state"] != "COMPLETED":
        text = "%s is %s after its events ended" % (where, run["state"])
    elif closed_exception is not None:
        text = "%s: the payload reported an exception over Dagster Pipes: %s: %s" % (
            where, closed_exception.get("name"), closed_exception.get("message"))
        stack = closed_exception.get("stack")
        if isinstance(stack, list) and stack:
            text += "\n" + "".join(str(line) for line in stack)
    else:
        return None
    # Dagster's DagsterPipesExecutionError takes only a message: the message carries everything
    text += "".join("\n%s: %s" % (name, value) for name, value in metadata.items() if name != "stderr (end)")
    if stderr_tail:
        text += "\nstderr ends with:\n" + stderr_tail
    return Failure(text, metadata)


@dataclass(frozen=True)
class DagsterParts:
    """The pieces of Dagster a step run uses; ``slurm_gateway.dagster`` passes the real ones."""

    open_pipes_session: Callable[..., Any]
    context_injector: Callable[[], Any]
    message_reader: Callable[[EventFollower], Any]
    execution_error: Callable[[str, Dict[str, Any]], BaseException]
    completed_invocation: Callable[[Any, Dict[str, Any]], Any]


class StepRunner:
    """One step's run through the gateway: submit or reattach, relay events and logs, and judge the outcome."""

    def __init__(self, client: GatewayClient, parts: DagsterParts, stdout: Optional[TextIO] = None,
                 stderr: Optional[TextIO] = None, forward_logs: bool = True, calls: CallCounter = CALLS):
        self.client = client
        self.parts = parts
        self.stdout = stdout
        self.stderr = stderr
        self.forward_logs = forward_logs
        self.calls = calls

    def run(self, context: Any, request: Mapping[str, Any], extras: Optional[Mapping[str, Any]] = None) -> Any:
        """``request`` is the run request without ``asset`` and ``dagster``, which the step decides."""
        step = StepIdentity.of(context, self.calls)
        follower = EventFollower(self.client)
        reader = self.parts.message_reader(follower)
        logs: List[LogForwarder] = []
        run_id: Optional[str] = None
        with self.parts.open_pipes_session(context=context, context_injector=self.parts.context_injector(),
                                           message_reader=reader, extras=dict(extras or {})) as session:
            try:
                run_id = self._launch(context, step, request, session.context_data)["id"]
                follower.attach(run_id)
                logs = [LogForwarder(self.client, run_id, stream, sink if self.forward_logs else None).start()
                        for stream, sink in (("stdout", self.stdout or sys.stdout),
                                             ("stderr", self.stderr or sys.stderr))]
                follower.wait()
                if follower.error is None:  # the run has ended: its logs end too
                    for forwarder in logs:
                        forwarder.join()
                else:  # the run may go on; the step fails now, and its retry reattaches
                    for forwarder in logs:
                        forwarder.stop()
                final = self.client.get(run_id)
            except BaseException:
                follower.abandon()
                for forwarder in logs:
                    forwarder.stop()
                self._interrupted(context, step, run_id)
                raise
        for forwarder in logs:
            if forwarder.error is not None:
                context.log.warning("the run's %s could not be copied to the step's (%s); read it with GET"
                                    " /api/v1/runs/%s/logs/%s" % (forwarder.stream, forwarder.error, run_id,
                                                                  forwarder.stream))
        failure = outcome(final, follower.relay.closed_exception, logs[1].tail, follower.error)
        if failure is not None:
            raise self.parts.execution_error(failure.message, failure.metadata)
        metadata = {"gateway run": final["id"]}
        if final.get("slurmJobId"):
            metadata["slurm job id"] = final["slurmJobId"]
        return self.parts.completed_invocation(session, metadata)

    def _launch(self, context: Any, step: StepIdentity, request: Mapping[str, Any],
                context_data: Mapping[str, Any]) -> Dict[str, Any]:
        """Takes over the run the step's tag names when it still counts, else submits (tagging before and after)."""
        tag = step.tag_key()
        earlier = context.instance.get_run_by_id(step.dagster_run_id).tags.get(tag)
        body = dict(request)
        body["asset"] = asset_name(context_data, step.step_key)
        body["dagster"] = {"runId": step.dagster_run_id, "stepKey": step.step_key,
                           "pipesContext": dict(context_data)}
        if earlier and not earlier.startswith(PENDING):
            run = self._find(earlier)
            if reattaches_to(run):
                return self._reattach(context, run)
        elif earlier:
            # an earlier attempt submitted with this key and died before it could tag the run: the same key finds
            # the run (or, when the attempt's body differs, names it in the conflict)
            try:
                run = self.client.submit(body, idempotency_key=earlier[len(PENDING):])
            except GatewayProblem as problem:
                if problem.name != "idempotency-conflict":
                    raise
                run = self._find(problem.extensions.get("runId"))
                if reattaches_to(run):
                    context.instance.add_run_tags(step.dagster_run_id, {tag: run["id"]})
                    return self._reattach(context, run)
            else:
                context.instance.add_run_tags(step.dagster_run_id, {tag: run["id"]})
                context.log.info("gateway run %s runs this step (%s)" % (run["id"], run["state"]))
                return run
        key = step.idempotency_key()
        context.instance.add_run_tags(step.dagster_run_id, {tag: PENDING + key})
        run = self.client.submit(body, idempotency_key=key)
        context.instance.add_run_tags(step.dagster_run_id, {tag: run["id"]})
        context.log.info("gateway run %s runs this step (%s)" % (run["id"], run["state"]))
        return run

    def _find(self, run_id: Optional[str]) -> Optional[Dict[str, Any]]:
        if not run_id:
            return None
        try:
            return self.client.get(run_id)
        except GatewayProblem as problem:
            if problem.status != 404:
                raise
            return None

    @staticmethod
    def _reattach(context: Any, run: Dict[str, Any]) -> Dict[str, Any]:
        context.log.info("reattaching to gateway run %s (%s) instead of submitting again" % (run["id"], run["state"]))
        return run

    def _interrupted(self, context: Any, step: StepIdentity, run_id: Optional[str]) -> None:
        """A step that stopped before its run's end (interrupted, or the gateway lost): cancel the gateway run if the
        Dagster run is being cancelled, else leave it running for the retry to reattach to."""
        try:
            dagster_run = context.instance.get_run_by_id(step.dagster_run_id)
            if run_id is None:  # stopped while submitting: the tag names the run if the submission got that far
                tagged = dagster_run.tags.get(step.tag_key())
                run_id = tagged if tagged and not tagged.startswith(PENDING) else None
            if run_id is None:
                return
            status = dagster_run.status
            if cancels_on_interrupt(status):
                try:
                    self.client.cancel(run_id)
                    context.log.info("the Dagster run is being cancelled: cancelled gateway run %s" % run_id)
                except GatewayProblem as problem:
                    if problem.name != "run-already-ended":
                        raise
            else:
                context.log.warning("step stopped while the Dagster run is %s: gateway run %s keeps running, and a"
                                    " retry of this step reattaches to it" % (getattr(status, "value", status), run_id))
        except Exception as error:  # never hide why the step stopped
            context.log.warning("could not settle gateway run %s after the step stopped: %s" % (run_id, error))


def environment_of(client: GatewayClient, environment: Any) -> Optional[Dict[str, Any]]:
    """The run's ``environment``: ``None``; a dict as it is (``{"path": "/abs/prefix"}`` for one deployed on the
    hosts); ``"sha256:<hex>"`` as the digest of a pack stored already; else the path of a local pack archive, which is
    uploaded (unless the gateway holds it) and named by its digest."""
    if environment is None:
        return None
    if isinstance(environment, Mapping):
        return dict(environment)
    if isinstance(environment, str) and environment.lower().startswith("sha256:"):
        return {"pack": normalize_digest(environment)}
    if isinstance(environment, (str, os.PathLike)):
        return {"pack": client.upload_blob(environment)}
    raise TypeError("environment is a pack archive's path, a 'sha256:' digest or a dict, not %s"
                    % type(environment).__name__)


def run_request(client: GatewayClient, *, mode: str, cluster: Optional[str], launcher: str,
                payload_path: Optional[str], script: Optional[str], python: str, args: Sequence[str] = (),
                env: Optional[Mapping[str, str]] = None, launcher_options: Optional[Mapping[str, Any]] = None,
                resources: Optional[Mapping[str, Any]] = None, environment: Any = None,
                extra_files: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """What the resource's ``run`` submits (without ``asset`` and ``dagster``): checks everything it can first, then
    uploads the environment's pack and the ``extra_files`` the gateway does not hold yet."""
    for key in extra_files or {}:
        check_relative_path(key)
    request = build_request(mode=mode, cluster=cluster, launcher=launcher,
                            payload=payload_of(payload_path, script, python, extra_files), args=args, env=env,
                            launcher_options=launcher_options, resources=resources)
    pack = environment_of(client, environment)
    if pack:
        request["environment"] = pack
    if extra_files:
        request["files"] = client.prepare_files(extra_files)
    return request


def build_request(*, mode: str, cluster: Optional[str], launcher: str, payload: Mapping[str, str],
                  args: Sequence[str] = (), env: Optional[Mapping[str, str]] = None,
                  launcher_options: Optional[Mapping[str, Any]] = None,
                  resources: Optional[Mapping[str, Any]] = None,
                  environment: Optional[Mapping[str, Any]] = None,
                  files: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """A run request, without ``asset`` and ``dagster`` (which :class:`StepRunner` adds).

    ``environment`` and ``files`` go in as they are (``{"pack": digest}`` or ``{"path": "/abs"}``; relative path →
    digest or ``{"base64": ...}``): :func:`run_request` makes them from local files."""
    if mode not in ("local", "slurm"):
        raise ValueError("mode must be 'local' or 'slurm', not %r" % (mode,))
    request: Dict[str, Any] = {"mode": mode, "launcher": launcher, "payload": dict(payload)}
    if mode == "slurm" and cluster:
        request["cluster"] = cluster
    if args:
        request["args"] = [str(arg) for arg in args]
    if env:
        request["env"] = {str(name): str(value) for name, value in env.items()}
    if launcher_options:
        request["launcherOptions"] = dict(launcher_options)
    if resources:
        request["resources"] = dict(resources)
    if environment:
        request["environment"] = dict(environment)
    if files:
        request["files"] = {check_relative_path(path): value for path, value in files.items()}
    return request


__all__: Iterable[str] = [
    "StepIdentity", "StepRunner", "CallCounter", "CALLS", "DagsterParts", "PipesEventRelay", "EventFollower", "EventReader", "LogForwarder", "Failure",
    "outcome", "reattaches_to", "cancels_on_interrupt", "asset_name", "slurm_resources", "payload_of",
    "build_request", "environment_of", "run_request",
]
