"""GatewayClient against a real gateway: the built jar, local mode, bearer tokens (see support.shared_gateway)."""

import hashlib
import http.client
import io
import json
import os
import tarfile
import tempfile
import time
import unittest
import uuid

from support import GatewayTestCase, payload, shared_gateway
from proxy import CuttingProxy

from slurm_gateway import GatewayClient, GatewayProblem, GatewayUnavailable, RetryPolicy

WRITER = payload("pipes_writer.py")


def pipes_run(asset, *args, extras=None):
    return {"asset": asset, "mode": "local", "payload": {"script": WRITER}, "args": list(args),
            "dagster": {"runId": "dagster-" + uuid.uuid4().hex, "pipesContext": {"extras": extras or {}}}}


def pipes_methods(events):
    return [event["data"]["method"] for event in events if event["type"] == "PIPES"]


class ClientAgainstGatewayTest(GatewayTestCase):

    @classmethod
    def setUpClass(cls):
        cls.gateway = shared_gateway()

    def setUp(self):
        super().setUp()
        self.client = self.gateway.client("alice")

    def test_submit_follow_and_results_of_a_pipes_payload(self):
        run = self.client.submit(pipes_run("tests/full", "full", extras={"k": "v"}))
        self.assertEqual("ACCEPTED", run["state"])

        events = list(self.client.follow_events(run["id"]))

        self.assertEqual(list(range(1, len(events) + 1)), [event["seq"] for event in events])
        self.assertEqual(["opened", "log", "report_asset_materialization", "report_asset_check",
                          "report_custom_message", "closed"], pipes_methods(events))
        self.assertEqual("COMPLETED", events[-1]["data"]["to"] if events[-1]["type"] == "STATE" else None)
        final = self.client.wait(run["id"])
        self.assertEqual("COMPLETED", final["state"])
        results = self.client.results(run["id"])
        self.assertEqual("CLOSED", results["session"])
        self.assertIsNone(results["exception"])
        [materialization] = results["materializations"]
        self.assertEqual("tests/full", materialization["assetKey"])
        self.assertEqual({"raw_value": 42, "type": "int"}, materialization["metadata"]["rows"])
        self.assertEqual({"raw_value": {"k": "v"}, "type": "json"}, materialization["metadata"]["extras"])
        [check] = results["assetChecks"]
        self.assertEqual(("positive", True), (check["checkName"], check["passed"]))
        self.assertEqual(b"hello from stdout\n", self.client.read_log(run["id"], "stdout").data)
        stderr = "".join(chunk.text for chunk in self.client.follow_log(run["id"], "stderr"))
        self.assertEqual("hello from stderr\n", stderr)

    def test_events_arrive_once_and_in_order_when_the_stream_is_cut(self):
        # 60 messages 20 ms apart: the stream is cut while the run still writes them
        run = self.client.submit(pipes_run("tests/cut", "many", "60", "0.02"))
        proxy = CuttingProxy(self.gateway.port, cut_after=1500, cuts=2)
        self.addCleanup(proxy.close)
        retries = []
        client = GatewayClient("http://127.0.0.1:%d" % proxy.port, self.gateway.tokens["alice"],
                               on_retry=lambda *call: retries.append(call))

        events = list(client.follow_events(run["id"]))

        self.assertEqual(2, proxy.cuts_done)
        seqs = [event["seq"] for event in events]
        self.assertEqual(list(range(1, len(events) + 1)), seqs, "each event once, in order, none missing")
        self.assertEqual(self.client.events(run["id"], limit=1000), events, "the same as the stored history")
        self.assertEqual(["opened"] + ["log"] * 60 + ["closed"], pipes_methods(events))
        # the streams after each cut resumed from the last event received, named by Last-Event-ID
        resumed = [request for request in proxy.event_stream_requests()[1:] if "Last-Event-ID: " in request]
        self.assertGreaterEqual(len(resumed), 2)
        for request in resumed:
            last = int(request.split("Last-Event-ID: ", 1)[1].split("\r\n", 1)[0])
            self.assertIn(last, seqs)
            self.assertGreater(last, 0)

    def test_a_repeated_submission_with_the_same_key_is_the_same_run(self):
        key = "test-" + uuid.uuid4().hex
        request = pipes_run("tests/idempotent", "full")
        first = self.client.submit(request, idempotency_key=key)
        again = self.client.submit(request, idempotency_key=key)
        self.assertEqual(first["id"], again["id"])

        other = dict(request, args=["fail", "3"])
        with self.assertRaises(GatewayProblem) as raised:
            self.client.submit(other, idempotency_key=key)
        self.assertEqual((409, "idempotency-conflict"), (raised.exception.status, raised.exception.name))
        self.assertEqual(first["id"], raised.exception.extensions["runId"])
        self.client.wait(first["id"])
        # another principal's same key is its own run
        bobs = self.gateway.client("bob").submit(request, idempotency_key=key)
        self.assertNotEqual(first["id"], bobs["id"])
        self.gateway.client("bob").wait(bobs["id"])

    def test_cancel_ends_the_run_cancelled(self):
        flag = os.path.join(tempfile.mkdtemp(), "never")
        run = self.client.submit(pipes_run("tests/cancel", "wait", flag))
        for event in self.client.follow_events(run["id"]):
            if event["type"] == "PIPES" and event["data"]["method"] == "opened":
                break
        cancelled = self.client.cancel(run["id"])
        self.assertTrue(cancelled["cancelRequested"])

        final = self.client.wait(run["id"])

        self.assertEqual("CANCELLED", final["state"])
        with self.assertRaises(GatewayProblem) as raised:
            self.client.cancel(run["id"])
        self.assertEqual((409, "run-already-ended"), (raised.exception.status, raised.exception.name))
        self.assertEqual("CANCELLED", raised.exception.extensions["state"])

    def test_a_failing_run_ends_failed_with_its_reason(self):
        run = self.client.submit(pipes_run("tests/failing", "fail", "3"))
        final = self.client.wait(run["id"])
        self.assertEqual(("FAILED", 3), (final["state"], final["exitCode"]))
        self.assertIn("exit code 3", final["reason"])
        self.assertEqual(b"the payload gives up\n", self.client.read_log(run["id"], "stderr").data)

    def test_problem_documents_become_the_exception_with_their_fields(self):
        with self.assertRaises(GatewayProblem) as raised:
            self.client.submit({"asset": "../bad", "payload": {"script": "echo"}, "env": {"1X": "y"},
                                "resources": {"timeLimit": "soon"}})
        problem = raised.exception
        self.assertEqual(400, problem.status)
        self.assertEqual("urn:slurm-gateway:problem:invalid-request", problem.type)
        self.assertTrue(problem.title)
        self.assertIn("asset", problem.fields)
        self.assertTrue(any(field.startswith("env") for field in problem.fields), problem.fields)
        self.assertIn("resources.timeLimit", problem.fields)
        self.assertIn("asset", str(problem))

        with self.assertRaises(GatewayProblem) as raised:
            self.client.submit({"asset": "a", "payload": {"script": "echo"}, "nodes": 2})
        self.assertEqual(["nodes"], raised.exception.fields)

        with self.assertRaises(GatewayProblem) as raised:
            self.client.get(str(uuid.uuid4()))
        self.assertEqual((404, "run-not-found"), (raised.exception.status, raised.exception.name))

        with self.assertRaises(GatewayProblem) as raised:
            GatewayClient(self.gateway.url, "not-a-token").get(str(uuid.uuid4()))
        self.assertEqual((401, "unauthorized"), (raised.exception.status, raised.exception.name))

        with self.assertRaises(GatewayProblem) as raised:
            self.gateway.client("reader").submit(pipes_run("tests/reader", "full"))
        self.assertEqual((403, "forbidden"), (raised.exception.status, raised.exception.name))

    def test_the_token_stays_out_of_repr(self):
        self.assertNotIn(self.gateway.tokens["alice"], repr(self.client))
        self.assertIn("<set>", repr(self.client))


class BlobsAgainstGatewayTest(GatewayTestCase):
    """Uploads and a run that uses a pack and files, against the real gateway in local mode."""

    @classmethod
    def setUpClass(cls):
        cls.gateway = shared_gateway()

    def test_a_pack_and_files_are_uploaded_once_and_used_by_a_run(self):
        client = self.gateway.client("alice")
        work = tempfile.mkdtemp()
        pack = os.path.join(work, "env.tar.gz")
        with tarfile.open(pack, "w:gz") as tar:
            for name, text in (("activate.sh", 'export SG_FROM_PACK="yes, $(basename "$PWD")"\n'),
                               ("lib/readme.txt", "inside the pack\n")):
                data = text.encode()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        digest = client.upload_blob(pack)
        self.assertTrue(client.blob_exists(digest))
        self.assertEqual(digest, client.upload_blob(pack), "the second upload is the same blob")
        files = client.prepare_files({"bin/main.sh": b"#!/bin/bash\necho \"pack: $SG_FROM_PACK\"; cat data.txt\n",
                                      "data.txt": b"a file\n"})

        run = client.submit({"asset": "tests/environment", "mode": "local", "payload": {"path": "bin/main.sh"},
                             "environment": {"pack": digest}, "files": files})
        final = client.wait(run["id"])

        self.assertEqual("COMPLETED", final["state"], final.get("reason"))
        self.assertEqual("pack: yes, %s\na file\n" % run["id"], client.read_log(run["id"], "stdout", 0).data.decode())

    def test_a_corrupted_upload_is_refused_and_not_stored(self):
        client = self.gateway.client("alice")
        wrong = "sha256:" + hashlib.sha256(b"other bytes").hexdigest()
        with self.assertRaises(GatewayProblem) as raised:
            client._call("PUT", "/api/v1/blobs/" + wrong, body=b"these bytes",
                         headers={"Content-Type": "application/octet-stream", "Content-Length": "11"})
        self.assertEqual(400, raised.exception.status)
        self.assertFalse(client.blob_exists(wrong))


class LimitsTest(GatewayTestCase):
    """The shared gateway allows 2 active runs and 3 event streams per principal."""

    @classmethod
    def setUpClass(cls):
        cls.gateway = shared_gateway()

    def test_a_429_is_retried_after_its_retry_after(self):
        flag = os.path.join(tempfile.mkdtemp(), "release")
        carol = self.gateway.client("carol")
        holders = [carol.submit(pipes_run("tests/holder", "wait", flag)) for _ in range(2)]
        retries = []

        def on_retry(what, status, retry_after, wait):
            retries.append((status, retry_after, wait))
            open(flag, "w").close()  # let the holders end, so that a retry can be accepted

        slept = []

        def sleep(seconds):
            slept.append(seconds)
            time.sleep(seconds)

        client = self.gateway.client("carol", on_retry=on_retry, sleep=sleep)
        run = client.submit(pipes_run("tests/after-limit", "full"))

        self.assertEqual("ACCEPTED", run["state"])
        self.assertTrue(retries, "the third active run was refused at first")
        self.assertEqual(len(retries), len(slept))
        for (status, retry_after, wait), seconds in zip(retries, slept):
            self.assertEqual(429, status)
            self.assertIsNotNone(retry_after)
            self.assertGreaterEqual(seconds, retry_after, "slept at least Retry-After")
        for holder in holders:
            self.assertEqual("COMPLETED", carol.wait(holder["id"])["state"])
        carol.wait(run["id"])

    def test_a_429_past_the_attempts_raises_the_problem(self):
        dave = self.gateway.client("dave")
        impatient = self.gateway.client("dave", retry=RetryPolicy(attempts=2), sleep=lambda seconds: None)
        flag = os.path.join(tempfile.mkdtemp(), "release")
        holders = [dave.submit(pipes_run("tests/holder", "wait", flag)) for _ in range(2)]
        try:
            with self.assertRaises(GatewayProblem) as raised:
                impatient.submit(pipes_run("tests/after-limit", "full"))
            self.assertEqual((429, "too-many-requests"), (raised.exception.status, raised.exception.name))
            self.assertGreaterEqual(raised.exception.retry_after, 1)
        finally:
            open(flag, "w").close()
            for holder in holders:
                dave.wait(holder["id"])

    def test_events_are_paged_while_no_stream_may_be_opened(self):
        dave = self.gateway.client("dave")
        flag = os.path.join(tempfile.mkdtemp(), "release")
        run = dave.submit(pipes_run("tests/paged", "wait", flag))
        # hold all three of dave's streams open on the run's logs
        held = []
        for stream in ("stdout", "stderr", "stdout"):
            connection = http.client.HTTPConnection("127.0.0.1", self.gateway.port, timeout=60)
            connection.request("GET", "/api/v1/runs/%s/logs/%s" % (run["id"], stream),
                               headers={"Accept": "text/event-stream",
                                        "Authorization": "Bearer " + self.gateway.tokens["dave"]})
            response = connection.getresponse()
            if response.status != 200:
                self.fail("a stream to hold was refused: %d %s" % (response.status, response.read(2000)))
            held.append(connection)
        refusals = []

        def on_retry(what, status, retry_after, wait):
            refusals.append(status)
            open(flag, "w").close()

        client = self.gateway.client("dave", on_retry=on_retry)
        try:
            # a guard, not a time the test relies on: were the stream opened, the run would wait for the flag forever
            events = list(client.follow_events(run["id"], timeout=120))
        finally:
            open(flag, "w").close()
            for connection in held:
                connection.close()

        self.assertIn(429, refusals, "the stream was refused and the events paged")
        self.assertEqual(list(range(1, len(events) + 1)), [event["seq"] for event in events])
        self.assertEqual(["opened", "closed"], pipes_methods(events))
        self.assertEqual("COMPLETED", events[-1]["data"]["to"])

    def test_an_unreachable_gateway_raises_after_the_attempts(self):
        client = GatewayClient("http://127.0.0.1:9", retry=RetryPolicy(attempts=3), sleep=lambda seconds: None)
        with self.assertRaises(GatewayUnavailable) as raised:
            client.get(str(uuid.uuid4()))
        self.assertIsInstance(raised.exception.last, OSError)


if __name__ == "__main__":
    unittest.main()
