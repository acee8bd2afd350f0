"""Blobs, a run's environment and files, against an in-process stand-in for the gateway's blob endpoints (unit logic
only: the stand-in keeps the contract of PUT/HEAD/GET /api/v1/blobs, not the gateway's code)."""

import hashlib
import http.server
import json
import os
import tempfile
import threading
import tracemalloc
import unittest

import support  # noqa: F401  (puts the package under test on the path)

from slurm_gateway import GatewayClient, GatewayProblem, RetryPolicy, blob_digest
from slurm_gateway.errors import GatewayError
from slurm_gateway.steps import build_request, environment_of, payload_of, run_request

MIB = 1024 * 1024
PREFIX = "/api/v1/blobs"


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


class BlobGateway(http.server.ThreadingHTTPServer):
    """Stores only each blob's size; records every request as (method, path, headers, bytes received, their digest).

    ``put_answers`` are what the next PUTs get after the body is read (a status, or ``"drop"`` to close the connection
    halfway through the body), or ``"early 413"`` before it is read; ``on_head`` runs before each HEAD is answered."""

    daemon_threads = True

    def __init__(self, put_answers=(), on_head=None):
        self.stored = {}
        self.requests = []
        self.put_answers = list(put_answers)
        self.on_head = on_head
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _BlobHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def methods(self):
        return [request[0] for request in self.requests]

    def puts(self):
        return [request for request in self.requests if request[0] == "PUT"]


class _BlobHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, received=None, digest=None):
        with self.server.lock:
            self.server.requests.append((self.command, self.path, dict(self.headers), received, digest))

    def answer(self, status, document=None, head=False, problem=False, headers=()):
        body = json.dumps(document).encode() if document is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/problem+json" if problem else "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def problem(self, status, name, head=False, headers=()):
        self.answer(status, {"type": "urn:slurm-gateway:problem:" + name, "title": name, "status": status},
                    head=head, problem=True, headers=headers)

    def digest(self):
        return self.path[len(PREFIX) + 1:]

    def do_HEAD(self):
        self.record()
        if self.server.on_head is not None:
            self.server.on_head()
        size = self.server.stored.get(self.digest())
        if size is None:
            self.problem(404, "blob-not-found", head=True)
        else:
            self.send_response(200)
            self.send_header("Content-Length", str(size))
            self.end_headers()

    def do_GET(self):
        self.record()
        if self.path.startswith(PREFIX + "?"):
            items = [self.document(digest) for digest in sorted(self.server.stored)]
            self.answer(200, {"items": items, "page": 0, "size": 50, "total": len(items)})
        elif self.digest() in self.server.stored:
            self.answer(200, self.document(self.digest()))
        else:
            self.problem(404, "blob-not-found")

    def document(self, digest):
        return {"digest": digest, "size": self.server.stored[digest], "storedAt": "2026-12-02T00:00:00Z"}

    def do_PUT(self):
        if "Content-Length" not in self.headers:
            self.record()
            self.problem(411, "length-required")
            return
        length = int(self.headers["Content-Length"])
        with self.server.lock:
            answer = self.server.put_answers.pop(0) if self.server.put_answers else None
        if answer == "early 413":  # as a server that checks Content-Length first: answers, closes, reads nothing
            self.record(0)
            self.close_connection = True
            self.problem(413, "blob-too-large", headers=[("Connection", "close")])
            return
        sha256, received = hashlib.sha256(), 0
        while received < length:
            if answer == "drop" and received >= length // 2:
                break
            chunk = self.rfile.read(min(MIB, length - received))
            if not chunk:
                break
            sha256.update(chunk)
            received += len(chunk)
        self.record(received, "sha256:" + sha256.hexdigest())
        if answer == "drop" or received < length:
            self.close_connection = True
            return
        if answer is not None:
            self.problem(answer, "scripted", headers=[("Retry-After", "1")] if answer == 503 else ())
        elif "sha256:" + sha256.hexdigest() != self.digest():
            self.problem(400, "blob-digest-mismatch")
        else:
            known = self.digest() in self.server.stored
            self.server.stored[self.digest()] = received
            self.answer(200 if known else 201, self.document(self.digest()))


class BlobTestCase(unittest.TestCase):

    def gateway(self, **options):
        server = BlobGateway(**options)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.slept = []
        self.client = GatewayClient("http://127.0.0.1:%d" % server.server_address[1], retry=RetryPolicy(attempts=3),
                                    sleep=self.slept.append)
        return server

    def temp_file(self, data=b"", chunks=()):
        handle, path = tempfile.mkstemp(prefix="sg-blob-")
        self.addCleanup(os.unlink, path)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            for chunk in chunks:
                file.write(chunk)
        return path


class UploadTest(BlobTestCase):

    def test_bytes_are_uploaded_once_and_found_the_second_time(self):
        server = self.gateway()
        self.assertFalse(self.client.blob_exists(sha(b"hello")))
        self.assertEqual(sha(b"hello"), self.client.upload_blob(b"hello"))
        self.assertEqual(["HEAD", "HEAD", "PUT"], server.methods())
        method, path, headers, received, digest = server.puts()[0]
        self.assertEqual((PREFIX + "/" + sha(b"hello"), "5", "application/octet-stream", 5, sha(b"hello")),
                         (path, headers["Content-Length"], headers["Content-Type"], received, digest))

        self.assertEqual(sha(b"hello"), self.client.upload_blob(bytearray(b"hello")))
        self.assertEqual(["HEAD", "HEAD", "PUT", "HEAD"], server.methods(), "the second upload sends no PUT")
        self.assertTrue(self.client.blob_exists("sha256:" + hashlib.sha256(b"hello").hexdigest().upper()))
        self.assertEqual(5, self.client.get_blob(sha(b"hello"))["size"])
        self.assertEqual([sha(b"hello")], [item["digest"] for item in self.client.list_blobs()["items"]])
        self.assertEqual(PREFIX + "?page=0&size=50", server.requests[-1][1])
        with self.assertRaises(GatewayProblem) as absent:
            self.client.get_blob(sha(b"other"))
        self.assertEqual(404, absent.exception.status)

    def test_a_file_is_named_by_its_digest_and_a_digest_must_be_one(self):
        path = self.temp_file(b"#!/bin/bash\necho hi\n")
        self.assertEqual((sha(b"#!/bin/bash\necho hi\n"), 20), blob_digest(path))
        self.assertEqual((sha(b""), 0), blob_digest(b""))
        self.gateway()
        for bad in ("sha256:abc", "md5:" + "0" * 64, "0" * 64, None):
            with self.assertRaises(ValueError):
                self.client.blob_exists(bad)
        with self.assertRaises(TypeError):
            self.client.upload_blob(12)

    def test_a_large_file_is_streamed_not_read_into_memory(self):
        server = self.gateway()
        path = self.temp_file(chunks=(os.urandom(MIB) for _ in range(50)))
        tracemalloc.start()
        try:
            digest = self.client.upload_blob(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertEqual(blob_digest(path)[0], digest)
        (_, _, headers, received, sent_digest), = server.puts()
        self.assertEqual((str(50 * MIB), 50 * MIB, digest), (headers["Content-Length"], received, sent_digest))
        self.assertNotIn("Transfer-Encoding", headers)
        # client and stand-in together: a few 1 MiB buffers, never the 50 MiB
        self.assertLess(peak, 8 * MIB, "peak traced memory %d bytes" % peak)

    def test_a_retried_put_sends_the_whole_file_again(self):
        server = self.gateway(put_answers=[503, "drop"])
        data = os.urandom(3 * MIB + 17)
        path = self.temp_file(data)
        self.assertEqual(sha(data), self.client.upload_blob(path))
        puts = server.puts()
        self.assertEqual(3, len(puts), "a 503, a connection cut halfway, then stored")
        self.assertEqual((len(data), sha(data)), puts[0][3:], "the 503 came after the whole body")
        self.assertLess(puts[1][3], len(data))
        self.assertEqual((len(data), sha(data)), puts[2][3:], "the retry sent it all again, from the start")
        self.assertEqual(2, len(self.slept))
        self.assertGreaterEqual(self.slept[0], 1.0, "the 503's Retry-After is honoured")
        self.assertEqual({sha(data): len(data)}, server.stored)

    def test_a_file_changed_after_hashing_is_refused_by_the_digest(self):
        path = self.temp_file(b"version 1")

        def change():
            with open(path, "wb") as file:
                file.write(b"version 2")

        server = self.gateway(on_head=change)
        with self.assertRaises(GatewayProblem) as refused:
            self.client.upload_blob(path)
        self.assertEqual((400, "blob-digest-mismatch"), (refused.exception.status, refused.exception.name))
        self.assertEqual(1, len(server.puts()), "not retried")

    def test_a_file_that_shrinks_while_uploaded_is_an_error_not_a_retry(self):
        path = self.temp_file(b"x" * 1000)
        server = self.gateway(on_head=lambda: os.truncate(path, 10))
        with self.assertRaisesRegex(GatewayError, "shorter"):
            self.client.upload_blob(path)
        self.assertEqual([], self.slept)

    def test_size_limit_and_quota_are_problems_without_retries(self):
        for status in (413, 507):
            server = self.gateway(put_answers=[status])
            with self.assertRaises(GatewayProblem) as refused:
                self.client.upload_blob(b"too much")
            self.assertEqual(status, refused.exception.status)
            self.assertEqual((1, []), (len(server.puts()), self.slept))

    def test_an_answer_before_the_body_is_read_is_raised_not_a_broken_pipe(self):
        server = self.gateway(put_answers=["early 413"])
        path = self.temp_file(chunks=(os.urandom(MIB) for _ in range(16)))  # more than the sockets' buffers take
        with self.assertRaises(GatewayProblem) as refused:
            self.client.upload_blob(path)
        self.assertEqual((413, 1, []), (refused.exception.status, len(server.puts()), self.slept))

    def test_a_missing_file_is_not_retried(self):
        server = self.gateway()
        with self.assertRaises(FileNotFoundError):
            self.client.upload_blob(os.path.join(tempfile.gettempdir(), "sg-no-such-file"))
        self.assertEqual([], server.requests)


class FilesTest(BlobTestCase):

    def test_files_are_uploaded_unless_held_and_digests_pass_through(self):
        server = self.gateway()
        self.client.upload_blob(b"held")
        path = self.temp_file(b"a,b\n1,2\n")
        given = "sha256:" + hashlib.sha256(b"elsewhere").hexdigest().upper()  # either case
        files = self.client.prepare_files({"data/in.csv": path, "held.txt": b"held", "copy.csv": path,
                                           "given.bin": given})
        self.assertEqual({"data/in.csv": sha(b"a,b\n1,2\n"), "held.txt": sha(b"held"), "copy.csv": sha(b"a,b\n1,2\n"),
                          "given.bin": sha(b"elsewhere")}, files)
        self.assertEqual(2, len(server.puts()), "the held blob and the second copy are not sent again")

    def test_keys_are_relative_paths_checked_before_anything_is_sent(self):
        server = self.gateway()
        for key in ("/etc/passwd", "a/../b", "..", "a//b", "a/", "./a", "", "a\0b"):
            with self.assertRaises(ValueError) as refused:
                self.client.prepare_files({"fine.txt": b"x", key: b"y"})
            self.assertIn(repr(key), str(refused.exception))
        self.assertEqual([], server.requests)
        self.assertEqual({"a/b c/d.txt": sha(b"z")}, self.client.prepare_files({"a/b c/d.txt": b"z"}))


class RunRequestTest(BlobTestCase):

    def request(self, **options):
        values = dict(mode="slurm", cluster="hpc", launcher="bash", payload_path=None, script="echo", python="python3")
        values.update(options)
        request = run_request(self.client, **values)
        json.dumps(request, allow_nan=False)
        return request

    def test_a_pack_archive_is_uploaded_and_named_by_digest(self):
        server = self.gateway()
        pack = self.temp_file(b"\x1f\x8b pretend tarball")
        request = self.request(environment=pack)
        self.assertEqual({"pack": sha(b"\x1f\x8b pretend tarball")}, request["environment"])
        self.assertEqual(1, len(server.puts()))
        self.assertNotIn("files", request)

    def test_a_digest_or_a_dict_is_taken_as_it_is(self):
        server = self.gateway()
        digest = sha(b"pack")
        self.assertEqual({"pack": digest}, self.request(environment=digest.upper())["environment"])
        self.assertEqual({"path": "/opt/envs/py311"}, self.request(environment={"path": "/opt/envs/py311"})
                         ["environment"])
        self.assertEqual([], server.requests, "nothing to upload")
        with self.assertRaises(ValueError):
            self.request(environment="sha256:short")
        with self.assertRaises(TypeError):
            environment_of(self.client, 42)

    def test_extra_files_and_a_payload_named_by_its_key(self):
        server = self.gateway()
        job = self.temp_file(b"#!/usr/bin/env python3\nprint('hi')\n")
        request = self.request(script=None, payload_path="bin/job.py",
                               extra_files={"bin/job.py": job, "conf/settings.json": b"{}"}, env={"A": "1"})
        self.assertEqual({"path": "bin/job.py"}, request["payload"])
        self.assertEqual({"bin/job.py": blob_digest(job)[0], "conf/settings.json": sha(b"{}")}, request["files"])
        self.assertEqual({"A": "1"}, request["env"])
        self.assertEqual(2, len(server.puts()))

    def test_a_local_payload_not_among_the_files_is_sent_inline_as_before(self):
        self.gateway()
        job = self.temp_file(b"print('hi')\n")
        os.rename(job, job + ".py")
        self.addCleanup(os.rename, job + ".py", job)
        request = self.request(script=None, payload_path=job + ".py", extra_files={"data.txt": b"d"})
        self.assertEqual({"script": "#!/usr/bin/env python3\nprint('hi')\n"}, request["payload"])
        self.assertEqual({"data.txt": sha(b"d")}, request["files"])
        self.assertEqual({"script": "x"}, payload_of(None, "x", "python3", {"x": b""}))

    def test_nothing_is_uploaded_when_the_request_is_wrong(self):
        server = self.gateway()
        pack = self.temp_file(b"pack")
        with self.assertRaisesRegex(ValueError, "'../escape'"):
            self.request(environment=pack, extra_files={"ok": b"1", "../escape": b"2"})
        with self.assertRaisesRegex(ValueError, "mode"):
            self.request(mode="cloud", environment=pack, extra_files={"ok": b"1"})
        self.assertEqual([], server.requests)

    def test_build_request_carries_environment_and_files(self):
        request = build_request(mode="local", cluster=None, launcher="bash", payload={"path": "run.sh"},
                                environment={"pack": sha(b"p")},
                                files={"run.sh": sha(b"r"), "small.txt": {"base64": "aGk="}})
        self.assertEqual({"mode": "local", "launcher": "bash", "payload": {"path": "run.sh"},
                          "environment": {"pack": sha(b"p")},
                          "files": {"run.sh": sha(b"r"), "small.txt": {"base64": "aGk="}}}, request)
        self.assertNotIn("environment", build_request(mode="local", cluster=None, launcher="bash", payload={}))
        with self.assertRaisesRegex(ValueError, "'/abs'"):
            build_request(mode="local", cluster=None, launcher="bash", payload={}, files={"/abs": sha(b"r")})


if __name__ == "__main__":
    unittest.main()
