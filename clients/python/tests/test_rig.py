"""The client and the glue against a gateway in Slurm mode on the rig (scripts/slurm-rig.sh up); skipped, saying why,
when the rig is down, and failing then instead under GATEWAY_TEST_SLURM=required (as in CI)."""

import io
import unittest
import uuid

from dagster_standins import (
    AssetExecutionContextStandIn,
    DagsterInstanceStandIn,
    OpenPipesSessionStandIn,
    PipesClientCompletedInvocationStandIn,
    PipesEnvContextInjectorStandIn,
    PipesExecutionErrorStandIn,
)
from support import GatewayTestCase, payload, rig_gateway

from slurm_gateway.steps import DagsterParts, EventReader, StepRunner, build_request, slurm_resources

WRITER = payload("pipes_writer.py")


class SlurmModeTest(GatewayTestCase):

    @classmethod
    def setUpClass(cls):
        cls.gateway = rig_gateway()
        cls.client = cls.gateway.client()

    def test_submit_follow_and_results_on_slurm(self):
        run = self.client.submit({
            "asset": "rig/full", "mode": "slurm", "payload": {"script": WRITER}, "args": ["full"],
            "resources": {"cpusPerTask": 1, "timeLimit": "00:05:00"},
            "dagster": {"runId": "dagster-" + uuid.uuid4().hex, "pipesContext": {}}})

        events = list(self.client.follow_events(run["id"]))

        self.assertEqual(list(range(1, len(events) + 1)), [event["seq"] for event in events])
        self.assertEqual(["opened", "log", "report_asset_materialization", "report_asset_check",
                          "report_custom_message", "closed"],
                         [event["data"]["method"] for event in events if event["type"] == "PIPES"])
        final = self.client.wait(run["id"])
        self.assertEqual("COMPLETED", final["state"])
        self.assertTrue(final["slurmJobId"])
        self.assertEqual(1, len(self.client.results(run["id"])["materializations"]))
        self.assertEqual("hello from stdout\n", "".join(chunk.text for chunk in
                                                        self.client.follow_log(run["id"], "stdout")))

    def runner(self, stdout, stderr):
        parts = DagsterParts(
            open_pipes_session=OpenPipesSessionStandIn(),
            context_injector=PipesEnvContextInjectorStandIn,
            message_reader=EventReader,
            execution_error=lambda message, metadata: PipesExecutionErrorStandIn(message),
            completed_invocation=PipesClientCompletedInvocationStandIn,
        )
        return StepRunner(self.client, parts, stdout=stdout, stderr=stderr)

    def request(self, *args):
        return build_request(mode="slurm", cluster="rig", launcher="bash", payload={"script": WRITER},
                             args=list(args),
                             resources=slurm_resources({"cpus_per_task": 1}, {"time_limit": "00:05:00"}))

    def context(self):
        return AssetExecutionContextStandIn(DagsterInstanceStandIn(), "dagster-" + uuid.uuid4().hex, "orders",
                                            ["rig/orders"])

    def test_a_step_on_slurm(self):
        stdout, stderr = io.StringIO(), io.StringIO()
        invocation = self.runner(stdout, stderr).run(self.context(), self.request("full"))
        self.assertEqual(["opened", "log", "report_asset_materialization", "report_asset_check",
                          "report_custom_message", "closed"], invocation.session.message_handler.methods())
        self.assertTrue(invocation.metadata["slurm job id"])
        self.assertEqual("hello from stdout\n", stdout.getvalue())
        self.assertEqual("hello from stderr\n", stderr.getvalue())

    def test_a_failing_step_on_slurm_names_its_job(self):
        with self.assertRaises(PipesExecutionErrorStandIn) as raised:
            self.runner(io.StringIO(), io.StringIO()).run(self.context(), self.request("fail", "3"))
        message = str(raised.exception)
        self.assertRegex(message, r"Slurm job \d+")
        self.assertIn("ended FAILED", message)
        self.assertIn("the payload gives up", message)


if __name__ == "__main__":
    unittest.main()
