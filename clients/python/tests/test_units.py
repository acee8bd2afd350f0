"""The client's pieces that need no gateway: SSE parsing, retries, problem documents, and where Dagster is imported."""

import ast
import email.message
import email.utils
import http.server
import io
import json
import threading
import time
import unittest

import support

from slurm_gateway import GatewayClient, GatewayProblem, GatewayUnavailable, RetryPolicy, sse
from slurm_gateway.client import _incomplete_utf8_tail, _retry_after


def parse(text):
    return list(sse.parse(io.BytesIO(text.encode()).readline))


class SseTest(unittest.TestCase):

    def test_events_ids_and_comments(self):
        items = parse(":keep-alive\n\nid:3\ndata:{\"a\":1}\n\nid: 4\nevent: x\ndata: one\ndata: two\n\n")
        self.assertIsInstance(items[0], sse.Comment)
        self.assertEqual(sse.ServerSentEvent("3", "message", '{"a":1}'), items[1])
        self.assertEqual(sse.ServerSentEvent("4", "x", "one\ntwo"), items[2])

    def test_an_event_cut_off_by_the_end_of_the_stream_is_dropped(self):
        self.assertEqual([sse.ServerSentEvent("1", "message", "a")], parse("id:1\ndata:a\n\nid:2\ndata:b\n"))
        self.assertEqual([], parse("id:2\ndata:b"))

    def test_crlf_and_an_id_that_carries_over(self):
        self.assertEqual([sse.ServerSentEvent("7", "message", "a"), sse.ServerSentEvent("7", "message", "b")],
                         parse("id:7\r\ndata:a\r\n\r\ndata:b\r\n\r\n"))


class RetryTest(unittest.TestCase):

    def headers(self, value):
        message = email.message.Message()
        message["Retry-After"] = value
        return message

    def test_retry_after_in_seconds_or_as_a_date(self):
        self.assertEqual(5.0, _retry_after(self.headers("5")))
        later = email.utils.formatdate(time.time() + 30, usegmt=True)
        self.assertAlmostEqual(30, _retry_after(self.headers(later)), delta=2)
        self.assertIsNone(_retry_after(self.headers("soon")))
        self.assertIsNone(_retry_after(email.message.Message()))

    def test_backoff_is_jittered_capped_and_never_below_retry_after(self):
        policy = RetryPolicy(base=0.5, cap=4.0)
        self.assertEqual([0.5, 1.0, 2.0, 4.0, 4.0], [policy.delay(n, None, lambda: 1.0) for n in range(1, 6)])
        self.assertEqual(0.0, policy.delay(3, None, lambda: 0.0))
        self.assertEqual(7.0, policy.delay(1, 7.0, lambda: 0.0))
        self.assertEqual(7.5, policy.delay(9, 7.0, lambda: 1.0), "jitter on top of Retry-After stays small")
        self.assertEqual(300.5, policy.delay(1, 10_000.0, lambda: 1.0), "a huge Retry-After is capped")

    def test_a_utf8_character_cut_at_the_end(self):
        euro = "€".encode()
        self.assertEqual(0, _incomplete_utf8_tail(b"ab" + euro))
        self.assertEqual(2, _incomplete_utf8_tail(b"ab" + euro[:2]))
        self.assertEqual(1, _incomplete_utf8_tail(b"ab" + euro[:1]))
        self.assertEqual(0, _incomplete_utf8_tail(b""))


class ProblemTest(unittest.TestCase):

    def test_a_problem_document_with_fields_and_extensions(self):
        problem = GatewayProblem.from_response(400, "Bad Request", {
            "type": "urn:slurm-gateway:problem:invalid-request", "title": "Invalid request", "status": 400,
            "detail": "2 problems", "errors": [{"field": "asset", "message": "bad"}, {"field": "env.1X", "message": "x"}],
            "instance": "/api/v1/runs"})
        self.assertEqual(("invalid-request", ["asset", "env.1X"]), (problem.name, problem.fields))
        self.assertEqual({"instance": "/api/v1/runs"}, problem.extensions)
        self.assertIn("env.1X: x", str(problem))

    def test_an_error_without_a_problem_document(self):
        problem = GatewayProblem.from_response(502, "Bad Gateway", "<html>proxy</html>", retry_after=3.0)
        self.assertEqual((502, "about:blank", "Bad Gateway", 3.0),
                         (problem.status, problem.type, problem.title, problem.retry_after))


class ScriptedGateway(http.server.ThreadingHTTPServer):
    """A stand-in for the gateway's follow endpoints (unit logic only; test_client_gateway uses the real one): each
    event stream sends ``heartbeats`` keep-alive comments and closes; the run counts as finished once ``streams``
    streams have been served."""

    def __init__(self, heartbeats, streams, pause=0.0, on_stream=None):
        self.heartbeats, self.streams, self.pause, self.on_stream = heartbeats, streams, pause, on_stream
        self.served = 0
        super().__init__(("127.0.0.1", 0), _ScriptedHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class _ScriptedHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        if "text/event-stream" in self.headers.get("Accept", ""):
            server.served += 1
            if server.on_stream is not None:
                server.on_stream()
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            try:
                for _ in range(server.heartbeats):
                    self.wfile.write(b":keep-alive\n\n")
                    self.wfile.flush()
                    time.sleep(server.pause)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped following, as the test meant it to
            return
        body = b"[]" if "/events" in self.path else b""
        self.send_response(200)
        self.send_header("Content-Type", "application/json" if "/events" in self.path else "text/plain")
        self.send_header("X-Next-Offset", "0")
        self.send_header("X-Log-Complete", "true" if server.served >= server.streams else "false")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class FollowTest(unittest.TestCase):

    def follow(self, server, **options):
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        slept = []
        client = GatewayClient("http://127.0.0.1:%d" % server.server_address[1], retry=RetryPolicy(attempts=3),
                               sleep=slept.append, **options)
        return client, slept

    def test_quiet_streams_that_the_gateway_ends_are_reopened_without_counting_as_failures(self):
        # a run quiet for longer than attempts × stream-timeout: each stream had heartbeats, so none is a failure
        server = ScriptedGateway(heartbeats=2, streams=6)
        client, slept = self.follow(server)
        self.assertEqual([], list(client.follow_events("r1")))
        self.assertEqual(6, server.served)
        self.assertEqual([], slept, "reopened at once")

    def test_streams_that_end_before_a_heartbeat_are_failures(self):
        server = ScriptedGateway(heartbeats=0, streams=100)
        client, slept = self.follow(server)
        with self.assertRaises(GatewayUnavailable):
            list(client.follow_events("r1"))
        self.assertEqual(3, server.served)
        self.assertEqual(2, len(slept), "a backoff between the attempts")

    def test_a_timeout_while_following_is_a_timeout(self):
        server = ScriptedGateway(heartbeats=1000, streams=100, pause=0.02)
        client, slept = self.follow(server)
        with self.assertRaises(TimeoutError):
            list(client.follow_events("r1", timeout=0.2))

    def test_a_stop_ends_following_at_the_next_heartbeat(self):
        # set while the first stream is served: without it the client would follow all 50 streams
        stop = threading.Event()
        server = ScriptedGateway(heartbeats=3, streams=50, pause=0.01, on_stream=stop.set)
        client, slept = self.follow(server)
        self.assertEqual([], list(client.follow_log("r1", "stdout", stop=stop)))
        self.assertEqual(1, server.served)

    def test_credentials_in_the_url_are_refused(self):
        with self.assertRaisesRegex(ValueError, "credentials"):
            GatewayClient("https://user:secret@gateway.example.org")


class PackageTest(unittest.TestCase):

    def test_only_the_glue_module_imports_dagster(self):
        package = support.CLIENT / "slurm_gateway"
        importers = []
        for path in sorted(package.glob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
                if any(name == "dagster" or name.startswith("dagster.") or name.startswith("dagster_")
                       for name in names):
                    importers.append(path.name)
        self.assertEqual({"dagster.py"}, set(importers))

    def test_the_glue_and_the_examples_compile(self):
        # Dagster is not installed here, so these are checked for syntax only; test_glue runs their logic
        sources = [support.CLIENT / "slurm_gateway" / "dagster.py"]
        sources += sorted((support.REPO / "examples" / "dagster").rglob("*.py"))
        self.assertGreaterEqual(len(sources), 6)
        for path in sources:
            compile(path.read_text(), str(path), "exec")

    def test_the_client_uses_the_standard_library_only(self):
        import sys
        allowed = set(sys.stdlib_module_names) | {"slurm_gateway"}
        for path in sorted((support.CLIENT / "slurm_gateway").glob("*.py")):
            if path.name == "dagster.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    self.assertIn(module.split(".")[0], allowed, "%s imports %s" % (path.name, module))


if __name__ == "__main__":
    unittest.main()
