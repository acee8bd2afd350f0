"""Stand-ins for the Dagster objects the glue (slurm_gateway.steps) touches, implementing exactly the Dagster methods
it calls and nothing more; each is named after the Dagster class it stands in for. Dagster cannot be installed here.

What they model, from Dagster 1.13's source: ``open_pipes_session`` builds the context data, enters the injector's
``inject_context`` and the reader's ``read_messages(handler)``, and yields a session with ``context_data``; the handler
is called with each message dict; ``DagsterRunStatus`` is an Enum whose members' values are their names.
"""

import contextlib
import enum
import threading


class DagsterRunStatus(enum.Enum):
    STARTED = "STARTED"
    CANCELING = "CANCELING"


class DagsterRunStandIn:
    def __init__(self, run_id, status=DagsterRunStatus.STARTED):
        self.run_id = run_id
        self.status = status
        self.tags = {}


class DagsterInstanceStandIn:
    """``get_run_by_id(run_id)`` and ``add_run_tags(run_id, new_tags)``; the runs survive a 'restarted' process."""

    def __init__(self):
        self.runs = {}
        self.tag_writes = []

    def get_run_by_id(self, run_id):
        return self.runs[run_id]

    def add_run_tags(self, run_id, new_tags):
        self.tag_writes.append(dict(new_tags))
        self.runs[run_id].tags.update(new_tags)


class LogStandIn:
    def __init__(self):
        self.lines = []

    def info(self, message):
        self.lines.append(("INFO", message))

    def warning(self, message):
        self.lines.append(("WARNING", message))


class _Step:
    def __init__(self, key):
        self.key = key


class StepExecutionContextStandIn:
    def __init__(self, step_key):
        self.step = _Step(step_key)


class AssetExecutionContextStandIn:
    """``run.run_id``, ``instance``, ``retry_number``, ``has_partition_key``, ``partition_key``,
    ``get_step_execution_context().step.key`` and ``log``; ``asset_keys`` feeds the session stand-in's context data."""

    def __init__(self, instance, run_id, step_key, asset_keys, partition_key=None, retry_number=0):
        instance.runs.setdefault(run_id, DagsterRunStandIn(run_id))
        self.instance = instance
        self.run = instance.runs[run_id]
        self.retry_number = retry_number
        self.has_partition_key = partition_key is not None
        self._partition_key = partition_key
        self._step = StepExecutionContextStandIn(step_key)
        self.asset_keys = list(asset_keys)
        self.log = LogStandIn()

    @property
    def partition_key(self):
        if self._partition_key is None:
            raise RuntimeError("no partition key (Dagster raises too)")
        return self._partition_key

    def get_step_execution_context(self):
        return self._step


class PipesMessageHandlerStandIn:
    """Records ``handle_message`` calls; raises for the methods in ``failing``, as a Dagster handler can."""

    def __init__(self, failing=(), on_message=None):
        self.messages = []
        self.framework_exceptions = []
        self.failing = set(failing)
        self.on_message = on_message
        self._lock = threading.Lock()

    def handle_message(self, message):
        with self._lock:
            self.messages.append(message)
        if self.on_message is not None:
            self.on_message(message)
        if message["method"] in self.failing:
            raise ValueError("the handler rejects %s" % message["method"])

    def report_pipes_framework_exception(self, origin, exc_info):
        self.framework_exceptions.append((origin, exc_info[0]))

    def methods(self):
        return [message["method"] for message in self.messages]


class PipesEnvContextInjectorStandIn:
    @contextlib.contextmanager
    def inject_context(self, context_data):
        yield {"data": context_data}


class PipesSessionStandIn:
    def __init__(self, context_data, handler):
        self.context_data = context_data
        self.message_handler = handler


class PipesExecutionErrorStandIn(Exception):
    """``DagsterPipesExecutionError``: a message only."""


class PipesClientCompletedInvocationStandIn:
    def __init__(self, session, metadata=None):
        self.session = session
        self.metadata = metadata


class OpenPipesSessionStandIn:
    """``open_pipes_session``; ``handler`` is the handler the next session uses (a new one each time by default)."""

    def __init__(self):
        self.handler = None
        self.sessions = []

    @contextlib.contextmanager
    def __call__(self, context, context_injector, message_reader, extras=None):
        context_data = {
            "asset_keys": context.asset_keys, "code_version_by_asset_key": None, "provenance_by_asset_key": None,
            "partition_key": context.partition_key if context.has_partition_key else None,
            "partition_key_range": None, "partition_time_window": None, "run_id": context.run.run_id,
            "job_name": "standin_job", "retry_number": context.retry_number, "extras": dict(extras or {}),
        }
        handler = self.handler or PipesMessageHandlerStandIn()
        self.handler = None
        with context_injector.inject_context(context_data), message_reader.read_messages(handler):
            session = PipesSessionStandIn(context_data, handler)
            self.sessions.append(session)
            yield session
