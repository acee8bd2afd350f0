"""The Dagster glue's logic (slurm_gateway.steps) with the stand-ins of dagster_standins: first each decision on its
own, then whole steps against a real gateway (support.shared_gateway)."""

import _thread
import io
import os
import tempfile
import unittest
import uuid

from dagster_standins import (
    AssetExecutionContextStandIn,
    DagsterInstanceStandIn,
    DagsterRunStatus,
    OpenPipesSessionStandIn,
    PipesClientCompletedInvocationStandIn,
    PipesEnvContextInjectorStandIn,
    PipesExecutionErrorStandIn,
    PipesMessageHandlerStandIn,
)
from support import PAYLOADS, GatewayTestCase, shared_gateway

from slurm_gateway.steps import (
    PENDING,
    CallCounter,
    DagsterParts,
    EventReader,
    PipesEventRelay,
    StepIdentity,
    StepRunner,
    asset_name,
    build_request,
    cancels_on_interrupt,
    outcome,
    payload_of,
    reattaches_to,
    slurm_resources,
)


def pipes(seq, method, params=None):
    return {"seq": seq, "type": "PIPES", "at": "2026-12-02T00:00:00Z",
            "data": {"__dagster_pipes_version": "0.1", "method": method, "params": params or {}}}


def state(seq, to):
    return {"seq": seq, "type": "STATE", "at": "2026-12-02T00:00:00Z", "data": {"from": None, "to": to}}


class RelayTest(unittest.TestCase):

    def test_each_message_is_handed_on_once_in_seq_order(self):
        handler = PipesMessageHandlerStandIn()
        relay = PipesEventRelay(handler)
        events = [state(1, "RUNNING"), pipes(2, "opened"), pipes(3, "log", {"message": "a", "level": "INFO"}),
                  pipes(4, "report_asset_materialization", {"asset_key": "a", "metadata": None, "data_version": None})]
        # a replay after a reconnect, and the same events again from the start
        for event in events[:3] + events[1:] + events:
            relay.offer(event)
        relay.finish()
        self.assertEqual(["opened", "log", "report_asset_materialization"], handler.methods())
        self.assertEqual([event["data"] for event in events[1:]], handler.messages, "passed on exactly as written")
        self.assertEqual(4, relay.last_seq)

    def test_closed_is_held_back_until_the_stream_ends(self):
        handler = PipesMessageHandlerStandIn()
        relay = PipesEventRelay(handler)
        relay.offer(pipes(1, "opened"))
        relay.offer(pipes(2, "closed"))
        relay.offer(pipes(3, "log", {"message": "late", "level": "INFO"}))
        self.assertEqual(["opened", "log"], handler.methods())
        relay.finish()
        relay.finish()
        relay.offer(pipes(4, "log", {"message": "after the end", "level": "INFO"}))
        self.assertEqual(["opened", "log", "closed"], handler.methods())
        self.assertTrue(relay.closed)
        self.assertIsNone(relay.closed_exception)

    def test_a_closed_exception_is_kept(self):
        relay = PipesEventRelay(PipesMessageHandlerStandIn())
        relay.offer(pipes(1, "closed", {"exception": {"name": "ValueError", "message": "bad"}}))
        self.assertEqual({"name": "ValueError", "message": "bad"}, relay.closed_exception)

    def test_a_failing_handler_is_reported_and_the_relay_goes_on(self):
        handler = PipesMessageHandlerStandIn(failing={"report_asset_check"})
        relay = PipesEventRelay(handler)
        relay.offer(pipes(1, "opened"))
        relay.offer(pipes(2, "report_asset_check", {"asset_key": "a"}))
        relay.offer(pipes(3, "log", {"message": "on", "level": "INFO"}))
        relay.finish()
        self.assertEqual(["opened", "report_asset_check", "log"], handler.methods())
        self.assertEqual([(PipesEventRelay.ORIGIN, ValueError)], handler.framework_exceptions)
        self.assertEqual(1, relay.handler_failures)

    def test_stdio_messages_are_not_handed_on_since_the_logs_are_forwarded(self):
        handler = PipesMessageHandlerStandIn()
        relay = PipesEventRelay(handler)
        relay.offer(pipes(1, "log_external_stream", {"stream": "stdout", "text": "hi\n", "extras": {}}))
        self.assertEqual([], handler.messages)
        self.assertEqual(1, relay.skipped_stdio)


class DecisionsTest(unittest.TestCase):
    RUN = {"id": "r1", "state": "COMPLETED", "reason": "exit code 0", "slurmJobId": "77", "exitCode": 0}

    def test_a_completed_run_without_an_exception_succeeds(self):
        self.assertIsNone(outcome(self.RUN, None, ""))

    def test_a_run_that_did_not_complete_fails_with_everything_known(self):
        run = dict(self.RUN, state="FAILED", reason="exit code 3", exitCode=3)
        failure = outcome(run, None, "Traceback: boom\n")
        for part in ("gateway run r1", "Slurm job 77", "ended FAILED", "exit code 3", "Traceback: boom"):
            self.assertIn(part, failure.message)
        self.assertEqual({"gateway run": "r1", "state": "FAILED", "reason": "exit code 3", "slurm job id": "77",
                          "exit code": 3, "stderr (end)": "Traceback: boom\n"}, failure.metadata)
        timed_out = outcome(dict(self.RUN, state="TIMED_OUT", reason="time limit", exitCode=None), None, "")
        self.assertIn("ended TIMED_OUT", timed_out.message)

    def test_a_closed_exception_fails_even_a_completed_run(self):
        failure = outcome(self.RUN, {"name": "ValueError", "message": "bad rows", "stack": ["at x\n"]}, "")
        self.assertIn("ValueError: bad rows", failure.message)
        self.assertIn("at x", failure.message)

    def test_a_stream_that_failed_fails_the_step(self):
        failure = outcome(self.RUN, None, "", ConnectionError("gone"))
        self.assertIn("could not all be read", failure.message)

    def test_only_a_cancelling_dagster_run_cancels_the_gateway_run(self):
        self.assertTrue(cancels_on_interrupt(DagsterRunStatus.CANCELING))
        self.assertTrue(cancels_on_interrupt("CANCELING"))
        self.assertTrue(cancels_on_interrupt("CANCELED"), "terminated by force")
        self.assertFalse(cancels_on_interrupt(DagsterRunStatus.STARTED))
        self.assertFalse(cancels_on_interrupt(None))

    def test_a_running_or_completed_run_is_reattached_a_failed_one_is_not(self):
        for run_state in ("ACCEPTED", "STAGING", "QUEUED", "RUNNING", "COMPLETED"):
            self.assertTrue(reattaches_to({"state": run_state}), run_state)
        for run_state in ("FAILED", "TIMED_OUT", "CANCELLED", "SUBMIT_FAILED"):
            self.assertFalse(reattaches_to({"state": run_state}), run_state)
        self.assertFalse(reattaches_to(None))

    def test_the_idempotency_key_names_run_step_partition_and_retry(self):
        step = StepIdentity("run-1", "my_asset", "2026-12-01", 0)
        key = step.idempotency_key()
        self.assertEqual(key, StepIdentity("run-1", "my_asset", "2026-12-01", 0).idempotency_key())
        others = [StepIdentity("run-2", "my_asset", "2026-12-01", 0), StepIdentity("run-1", "other", "2026-12-01", 0),
                  StepIdentity("run-1", "my_asset", "2026-12-02", 0), StepIdentity("run-1", "my_asset", None, 0),
                  StepIdentity("run-1", "my_asset", "2026-12-01", 1)]
        self.assertEqual(len(others), len({other.idempotency_key() for other in others} - {key}))
        self.assertRegex(key, r"^[\x21-\x7E]{1,255}$", "what the gateway takes as an Idempotency-Key")
        self.assertNotEqual(key, StepIdentity("run-1", "my_asset", "2026-12-01", 0, call=1).idempotency_key())
        # the tag is the same for every attempt, so a retry finds the run; partitions, calls and Dagster runs (a
        # re-execution copies its parent's tags) have their own
        self.assertEqual(step.tag_key(), StepIdentity("run-1", "my_asset", "2026-12-01", 3).tag_key())
        for other in (StepIdentity("run-1", "my_asset", "2026-12-02", 0), StepIdentity("run-2", "my_asset", "2026-12-01", 0),
                      StepIdentity("run-1", "my_asset", "2026-12-01", 0, call=1)):
            self.assertNotEqual(step.tag_key(), other.tag_key())
        self.assertRegex(step.tag_key(), r"^slurm-gateway/run-[0-9a-f]{20}$")

    def test_slurm_options_in_either_naming(self):
        self.assertEqual({"nodes": 2, "cpusPerTask": 4, "memory": "8G", "gpus": 1, "timeLimit": "01:00:00",
                          "signalBeforeTimeout": "USR1@60", "partition": "gpu"},
                         slurm_resources({"partition": "debug", "memory": "1G", "exclusive": True},
                                         {"nodes": 2, "cpus_per_task": 4, "mem": "8G", "gpus_per_node": 1,
                                          "time_limit": "01:00:00", "signal_before_timeout": "USR1@60",
                                          "partition": "gpu", "exclusive": None}))
        with self.assertRaisesRegex(ValueError, "unknown Slurm option 'nodelist'"):
            slurm_resources({"nodelist": "c1"})

    def test_a_python_payload_gets_an_interpreter_line(self):
        directory = tempfile.mkdtemp()
        path = os.path.join(directory, "script.py")
        with open(path, "w") as file:
            file.write("print('hi')\n")
        self.assertEqual({"script": "#!/usr/bin/env python3\nprint('hi')\n"}, payload_of(path, None, "python3"))
        self.assertEqual("#!/opt/env/bin/python\nprint('hi')\n", payload_of(path, None, "/opt/env/bin/python")["script"])
        self.assertEqual({"script": "echo"}, payload_of(None, "echo", "python3"))
        with self.assertRaises(ValueError):
            payload_of(path, "echo", "python3")
        with self.assertRaises(ValueError):
            payload_of(None, None, "python3")

    def test_requests_and_asset_names(self):
        request = build_request(mode="slurm", cluster="hpc", launcher="spark", payload={"script": "x"},
                                args=["--n", 3], env={"K": 1}, launcher_options={"executorMemory": "1g"},
                                resources={"nodes": 2})
        self.assertEqual({"mode": "slurm", "cluster": "hpc", "launcher": "spark", "payload": {"script": "x"},
                          "args": ["--n", "3"], "env": {"K": "1"}, "launcherOptions": {"executorMemory": "1g"},
                          "resources": {"nodes": 2}}, request)
        self.assertNotIn("cluster", build_request(mode="local", cluster="hpc", launcher="bash", payload={}))
        with self.assertRaises(ValueError):
            build_request(mode="cloud", cluster=None, launcher="bash", payload={})
        self.assertEqual("analytics/orders", asset_name({"asset_keys": ["analytics/orders", "b"]}, "step"))
        self.assertEqual("my_op_x_", asset_name({"asset_keys": None}, "my_op[x]"))
        self.assertEqual("a/_/b_c", asset_name({"asset_keys": ["a/../b c"]}, "s"))


class StepAgainstGatewayTest(GatewayTestCase):
    """Whole steps through StepRunner with the Dagster stand-ins, against a real gateway in local mode."""

    @classmethod
    def setUpClass(cls):
        cls.gateway = shared_gateway()
        cls.writer = (PAYLOADS / "pipes_writer.py").read_text()

    def setUp(self):
        super().setUp()
        # bob: the tests that interrupt a step leave streams closing for a heartbeat, and must not crowd the others
        self.principal = "bob" if "interrupt" in self._testMethodName or "cancelled" in self._testMethodName \
            or "restarted" in self._testMethodName else "alice"
        self.retries = []
        self.client = self.gateway.client(self.principal, on_retry=lambda *call: self.retries.append(call))
        self.calls = CallCounter()  # one per process: a test that 'restarts' the process makes a new one
        self.instance = DagsterInstanceStandIn()
        self.opener = OpenPipesSessionStandIn()
        self.stdout, self.stderr = io.StringIO(), io.StringIO()

    def runner(self):
        parts = DagsterParts(
            open_pipes_session=self.opener,
            context_injector=PipesEnvContextInjectorStandIn,
            message_reader=EventReader,
            execution_error=lambda message, metadata: PipesExecutionErrorStandIn(message),
            completed_invocation=PipesClientCompletedInvocationStandIn,
        )
        return StepRunner(self.client, parts, stdout=self.stdout, stderr=self.stderr, calls=self.calls)

    def context(self, run_id=None, retry_number=0, partition_key=None):
        return AssetExecutionContextStandIn(self.instance, run_id or "dagster-" + uuid.uuid4().hex, "orders",
                                            ["analytics/orders"], partition_key=partition_key,
                                            retry_number=retry_number)

    def request(self, *args):
        return build_request(mode="local", cluster=None, launcher="bash", payload={"script": self.writer},
                             args=list(args))

    def tagged_run(self, context):
        [(tag, value)] = [(tag, value) for tag, value in context.run.tags.items() if tag.startswith("slurm-gateway/")]
        self.assertFalse(value.startswith(PENDING))
        return value

    def test_a_step_hands_every_message_on_once_and_forwards_its_logs(self):
        context = self.context(partition_key="2026-12-01")
        invocation = self.runner().run(context, self.request("full"), extras={"k": "v"})

        handler = invocation.session.message_handler
        self.assertEqual(["opened", "log", "report_asset_materialization", "report_asset_check",
                          "report_custom_message", "closed"], handler.methods())
        self.assertEqual("partition 2026-12-01, retry 0", handler.messages[1]["params"]["message"])
        self.assertEqual({"raw_value": {"k": "v"}, "type": "json"},
                         handler.messages[2]["params"]["metadata"]["extras"])
        self.assertEqual({"run": context.run.run_id}, handler.messages[4]["params"]["payload"])
        self.assertEqual("hello from stdout\n", self.stdout.getvalue())
        self.assertEqual("hello from stderr\n", self.stderr.getvalue())
        run_id = self.tagged_run(context)
        self.assertEqual(run_id, invocation.metadata["gateway run"])
        run = self.client.get(run_id)
        self.assertEqual(("COMPLETED", "analytics/orders"), (run["state"], run["asset"]))
        self.assertEqual([], self.retries, "followed over SSE, nothing refused or retried")

    def test_a_failing_run_raises_with_its_reason_exit_code_and_stderr(self):
        with self.assertRaises(PipesExecutionErrorStandIn) as raised:
            self.runner().run(self.context(), self.request("fail", "3"))
        message = str(raised.exception)
        self.assertIn("ended FAILED", message)
        self.assertIn("exit code 3", message)
        self.assertIn("the payload gives up", message)

    def test_a_closed_exception_raises(self):
        with self.assertRaises(PipesExecutionErrorStandIn) as raised:
            self.runner().run(self.context(), self.request("exception"))
        self.assertIn("ValueError: bad rows", str(raised.exception))

    def interrupt_when_opened(self):
        """The next session's handler interrupts the main thread (as Dagster's termination does) once the payload has
        opened the session, so the step is interrupted while its run runs."""
        self.opener.handler = PipesMessageHandlerStandIn(
            on_message=lambda message: _thread.interrupt_main() if message["method"] == "opened" else None)

    def test_a_restarted_process_reattaches_and_replays_instead_of_submitting_again(self):
        flag = os.path.join(tempfile.mkdtemp(), "release")
        context = self.context()
        self.interrupt_when_opened()
        with self.assertRaises(KeyboardInterrupt):
            self.runner().run(context, self.request("wait", flag))
        run_id = self.tagged_run(context)
        run = self.client.get(run_id)
        self.assertEqual(("RUNNING", False), (run["state"], run["cancelRequested"]), "the job keeps running")
        self.assertTrue(any("keeps running" in line for level, line in context.log.lines))

        # the retried step, in a new process: same Dagster run, same instance (its tags), a new retry number
        self.calls = CallCounter()
        retried = AssetExecutionContextStandIn(self.instance, context.run.run_id, "orders", ["analytics/orders"],
                                               retry_number=1)
        self.opener.handler = PipesMessageHandlerStandIn(
            on_message=lambda message: open(flag, "w").close() if message["method"] == "opened" else None)
        invocation = self.runner().run(retried, self.request("wait", flag))

        self.assertEqual(run_id, invocation.metadata["gateway run"])
        self.assertEqual(["opened", "closed"], invocation.session.message_handler.methods(), "replayed, once each")
        self.assertEqual([{tag: run_id} for tag in context.run.tags], self.instance.tag_writes[1:],
                         "tagged once after the one submission, never again")
        self.assertTrue(any("reattaching to gateway run " + run_id in line for level, line in retried.log.lines))

    def test_a_cancelled_dagster_run_cancels_the_gateway_run(self):
        context = self.context()
        context.run.status = DagsterRunStatus.CANCELING
        self.interrupt_when_opened()
        with self.assertRaises(KeyboardInterrupt):
            self.runner().run(context, self.request("wait", os.path.join(tempfile.mkdtemp(), "never")))
        # a guard, so that a run nobody cancelled fails the test instead of hanging it
        run = self.client.wait(self.tagged_run(context), timeout=120)
        self.assertEqual("CANCELLED", run["state"])

    def test_a_retry_after_a_failed_run_submits_again(self):
        context = self.context()
        with self.assertRaises(PipesExecutionErrorStandIn):
            self.runner().run(context, self.request("fail", "3"))
        failed = self.tagged_run(context)
        retried = AssetExecutionContextStandIn(self.instance, context.run.run_id, "orders", ["analytics/orders"],
                                               retry_number=1)
        invocation = self.runner().run(retried, self.request("full"))
        self.assertNotEqual(failed, invocation.metadata["gateway run"])
        self.assertEqual(invocation.metadata["gateway run"], self.tagged_run(retried))

    def test_a_submission_whose_tag_was_lost_finds_its_run_by_idempotency_key(self):
        context = self.context()
        self.runner().run(context, self.request("full"))
        first = self.tagged_run(context)
        context.run.tags.clear()  # as if the tag had never been written
        self.calls = CallCounter()  # a new process
        invocation = self.runner().run(context, self.request("full"))
        self.assertEqual(first, invocation.metadata["gateway run"])
        self.assertEqual(first, self.tagged_run(context))

    def test_a_retry_whose_earlier_attempt_died_before_tagging_finds_its_run(self):
        context = self.context()
        self.runner().run(context, self.request("full"))
        first = self.tagged_run(context)
        [tag] = context.run.tags
        # the first attempt died between its submission and the tag naming the run: the tag still says pending
        context.run.tags[tag] = PENDING + StepIdentity(context.run.run_id, "orders", None, 0).idempotency_key()
        self.calls = CallCounter()
        retried = AssetExecutionContextStandIn(self.instance, context.run.run_id, "orders", ["analytics/orders"],
                                               retry_number=1)
        invocation = self.runner().run(retried, self.request("full"))
        self.assertEqual(first, invocation.metadata["gateway run"], "the retry reattached instead of submitting")
        self.assertEqual(first, self.tagged_run(retried))
        self.assertIn("report_asset_materialization", invocation.session.message_handler.methods())

    def test_two_runs_in_one_step_are_two_gateway_runs(self):
        context = self.context()
        first = self.runner().run(context, self.request("full"))
        second = self.runner().run(context, self.request("full"))
        self.assertNotEqual(first.metadata["gateway run"], second.metadata["gateway run"])
        self.assertEqual(2, len(context.run.tags))


if __name__ == "__main__":
    unittest.main()
