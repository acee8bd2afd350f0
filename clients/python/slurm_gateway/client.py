"""A client of the gateway's HTTP API, on the Python standard library alone."""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import os
import random
import re
import ssl
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from typing import IO, Any, Callable, Dict, Iterator, Mapping, Optional, Union

from . import sse
from .errors import GatewayError, GatewayProblem, GatewayUnavailable

#: The states a run ends in; it changes no more after reaching one.
TERMINAL_STATES = frozenset({"COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED", "SUBMIT_FAILED"})

#: What a blob is made of: a local file (its path) or bytes in memory.
BlobSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]

# how much of a file is read (and sent) at a time: a file of any size is hashed and uploaded in this much memory
_CHUNK = 1024 * 1024
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}", re.IGNORECASE)  # either case, as the gateway takes it

# the largest offset the gateway takes: a read there returns no bytes, only whether the output is complete
_END_OF_LOG = 2**62


@dataclass(frozen=True)
class RetryPolicy:
    """How calls are retried: connection errors, ``429``, ``503`` and other ``5xx`` answers (but ``501`` and ``507``),
    ``attempts`` times in all.

    Between tries the client waits a random time up to ``base * 2**(n-1)`` seconds, capped at ``cap`` ("full jitter"),
    and never less than the ``Retry-After`` the gateway sent (which is itself capped at ``max_retry_after``).
    """

    attempts: int = 8
    base: float = 0.5
    cap: float = 30.0
    max_retry_after: float = 300.0

    def delay(self, failures: int, retry_after: Optional[float], rand: Callable[[], float]) -> float:
        backoff = min(self.cap, self.base * (2 ** max(0, failures - 1)))
        jittered = backoff * rand()
        if retry_after is not None:
            return min(self.max_retry_after, retry_after) + min(self.base, jittered)
        return jittered


@dataclass(frozen=True)
class LogRead:
    """Bytes of a run's output from an offset, where to read on, and whether the output is complete."""

    data: bytes
    next_offset: int
    complete: bool


@dataclass(frozen=True)
class LogChunk:
    """Text of a followed log: the UTF-8 bytes ``[offset, next_offset)`` decoded."""

    offset: int
    next_offset: int
    text: str


class _Response:
    __slots__ = ("status", "reason", "headers", "body")

    def __init__(self, status: int, reason: str, headers: http.client.HTTPMessage, body: bytes):
        self.status, self.reason, self.headers, self.body = status, reason, headers, body

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None


class _Refused(Exception):
    """A stream the gateway would not open now (or not as a stream): the caller pages instead, then tries again."""

    def __init__(self, status: int, retry_after: Optional[float]):
        self.status = status
        self.retry_after = retry_after


_CONNECTION_ERRORS = (OSError, http.client.HTTPException)
# a heartbeat comment on a stream: nothing to hand out, but proof that the connection works
_ALIVE = object()


def _retryable(status: int) -> bool:
    """429, 503 and the other 5xx but 501 (which says the gateway cannot do it at all) and 507 (a storage quota that
    the caller has used up: only deleting blobs mends it)."""
    return status == 429 or (status >= 500 and status not in (501, 507))


def _fatal(error: BaseException) -> bool:
    """Connection errors that no retry mends: a certificate the client does not trust."""
    return isinstance(error, ssl.SSLCertVerificationError)


class GatewayClient:
    """Talks to one gateway: ``GatewayClient("http://127.0.0.1:8080", token=None)``.

    Every call retries connection errors and retryable answers (see :class:`RetryPolicy`); a problem the gateway
    answers with is raised as :class:`GatewayProblem`. Submissions always carry an ``Idempotency-Key`` (a random one
    unless given), so a retried submission never starts a second run.
    """

    def __init__(
        self,
        base_url: str,
        token: Optional[str] = None,
        *,
        timeout: float = 60.0,
        stream_read_timeout: float = 60.0,
        poll_interval: float = 2.0,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        ssl_context: Optional[ssl.SSLContext] = None,
        on_retry: Optional[Callable[[str, Optional[int], Optional[float], float], None]] = None,
    ):
        url = urllib.parse.urlsplit(base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("base_url must be an http or https URL, such as http://127.0.0.1:8080")
        if url.username is not None or url.password is not None:
            raise ValueError("base_url must not carry credentials; give the token as token=")
        self._scheme = url.scheme
        self._host = url.hostname
        self._port = url.port
        self._prefix = url.path.rstrip("/")
        self._token = token
        self.timeout = timeout
        self.stream_read_timeout = stream_read_timeout
        self.poll_interval = poll_interval
        self.retry = retry
        self._sleep = sleep
        self._rand = rand
        self._ssl_context = ssl_context
        # called before each wait with (what was tried, the status or None for a connection error, Retry-After, wait)
        self._on_retry = on_retry
        self.base_url = urllib.parse.urlunsplit((url.scheme, url.netloc, self._prefix, "", ""))

    def __repr__(self) -> str:  # the token stays out of logs and tracebacks
        return "GatewayClient(%r, token=%s)" % (self.base_url, "<set>" if self._token else None)

    # --- runs ---------------------------------------------------------------------------------------------------

    def submit(self, request: Mapping[str, Any], idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        """Accepts a run and returns it; a repeat of an earlier key with the same body returns the earlier run."""
        key = idempotency_key or "python-" + uuid.uuid4().hex
        body = json.dumps(request, allow_nan=False).encode("utf-8")
        response = self._call("POST", "/api/v1/runs", body=body, headers={"Idempotency-Key": key})
        return response.json()

    def get(self, run_id: str) -> Dict[str, Any]:
        return self._call("GET", "/api/v1/runs/%s" % _segment(run_id)).json()

    def cancel(self, run_id: str) -> Dict[str, Any]:
        """Asks the gateway to cancel a run and returns it; a run that has already ended raises ``run-already-ended``."""
        return self._call("POST", "/api/v1/runs/%s/cancel" % _segment(run_id)).json()

    def wait(self, run_id: str, timeout: Optional[float] = None) -> Dict[str, Any]:
        """Returns the run once it has ended; raises :class:`TimeoutError` when ``timeout`` seconds pass first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        interval = min(0.2, self.poll_interval)
        while True:
            run = self.get(run_id)
            if run["state"] in TERMINAL_STATES:
                return run
            if deadline is not None and time.monotonic() + interval > deadline:
                raise TimeoutError("run %s had not ended after %s s (state %s)" % (run_id, timeout, run["state"]))
            self._sleep(interval)
            interval = min(self.poll_interval, interval * 1.5)

    def results(self, run_id: str) -> Dict[str, Any]:
        """What the payload reported over Dagster Pipes, all pages of it in one document."""
        merged: Dict[str, Any] = {"materializations": [], "assetChecks": []}
        after = 0
        while True:
            page = self._call("GET", "/api/v1/runs/%s/results?after=%d" % (_segment(run_id), after)).json()
            merged["session"] = page.get("session")
            merged["exception"] = page.get("exception")
            merged["materializations"].extend(page.get("materializations") or [])
            merged["assetChecks"].extend(page.get("assetChecks") or [])
            if page.get("nextAfter") is None:
                return merged
            after = page["nextAfter"]

    def events(self, run_id: str, after: int = 0, limit: Optional[int] = None) -> list:
        """One page of a run's events with ``seq > after``, oldest first."""
        query = "after=%d" % after + ("&limit=%d" % limit if limit is not None else "")
        return self._call("GET", "/api/v1/runs/%s/events?%s" % (_segment(run_id), query)).json()

    def read_log(self, run_id: str, stream: str, offset: int = 0) -> LogRead:
        """Bytes of ``stdout`` or ``stderr`` from ``offset`` (at most the gateway's ``max-log-read`` per call)."""
        response = self._call(
            "GET", "/api/v1/runs/%s/logs/%s?offset=%d" % (_segment(run_id), _segment(stream), offset),
            accept="text/plain")
        return LogRead(
            data=response.body,
            next_offset=int(response.headers.get("X-Next-Offset", offset + len(response.body))),
            complete=response.headers.get("X-Log-Complete", "false").lower() == "true")

    # --- blobs --------------------------------------------------------------------------------------------------

    def blob_exists(self, digest: str) -> bool:
        """Whether the gateway holds the blob ``sha256:<hex>`` for this caller (``HEAD``; a ``404`` is ``False``)."""
        try:
            self._call("HEAD", "/api/v1/blobs/" + normalize_digest(digest))
        except GatewayProblem as problem:
            if problem.status == 404:
                return False
            raise
        return True

    def get_blob(self, digest: str) -> Dict[str, Any]:
        """A stored blob's ``digest``, ``size`` and ``storedAt``; raises :class:`GatewayProblem` (404) when absent."""
        return self._call("GET", "/api/v1/blobs/" + normalize_digest(digest)).json()

    def list_blobs(self, page: int = 0, size: int = 50) -> Dict[str, Any]:
        """One page of the caller's blobs: ``{"items": [...], ...}``."""
        return self._call("GET", "/api/v1/blobs?page=%d&size=%d" % (page, size)).json()

    def upload_blob(self, source: BlobSource) -> str:
        """Stores a file (a path) or bytes in the gateway unless it holds them already; returns ``sha256:<hex>``.

        A file is read twice, 1 MiB at a time, and never held in memory whole: once for its digest, which a ``HEAD``
        looks up, and, when the gateway lacks it, once more for the ``PUT``, which is retried like every call (a
        retry sends the file again from its start). A file that changes meanwhile fails with the gateway's ``400``
        problem (the bytes do not match the digest) or a :class:`GatewayError`; a blob over the gateway's size limit
        or the caller's quota raises its ``413`` or ``507`` problem.
        """
        digest, size = blob_digest(source)
        if self.blob_exists(digest):
            return digest
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            opener: Callable[[], Any] = lambda: data  # noqa: E731
        else:
            path = os.fspath(source)
            opener = lambda: _ExactReader(path, size)  # noqa: E731
        response = self._call("PUT", "/api/v1/blobs/" + digest, body=opener,
                              headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)})
        stored = response.json() if response.body else None
        if isinstance(stored, dict) and stored.get("digest") not in (None, digest):
            raise GatewayError("the gateway stored %s as %s" % (digest, stored.get("digest")))
        return digest

    def prepare_files(self, files: Mapping[str, BlobSource]) -> Dict[str, str]:
        """Uploads a run's ``files`` (relative path → local path or bytes) and returns relative path → digest.

        Every key is checked before anything is sent (:func:`check_relative_path`); a value that is already a
        digest (``"sha256:<hex>"``) is taken as it is; a blob the gateway holds is not sent again.
        """
        for key in files:
            check_relative_path(key)
        digests: Dict[str, str] = {}
        for key, source in files.items():
            if isinstance(source, str) and _DIGEST.fullmatch(source):
                digests[key] = normalize_digest(source)
            else:
                digests[key] = self.upload_blob(source)
        return digests

    # --- following ----------------------------------------------------------------------------------------------

    def follow_events(self, run_id: str, after: int = 0, timeout: Optional[float] = None,
                      stop: Optional[threading.Event] = None) -> Iterator[Dict[str, Any]]:
        """Every event with ``seq > after``, in order and each once, until the run has ended and all are sent.

        Follows over SSE; a cut connection is resumed with ``Last-Event-ID`` after a jittered backoff. When the
        gateway will not open a stream (too many streams, an error, a proxy that does not pass SSE), the events are
        paged with ``GET …/events?after=`` instead, and the stream is tried again after ``Retry-After`` or
        ``poll_interval``. Raises :class:`TimeoutError` when ``timeout`` seconds pass first; ends early, within one
        of the gateway's heartbeats, once ``stop`` is set.
        """
        path = "/api/v1/runs/%s/events" % _segment(run_id)
        position = [after]

        def fresh(event: Dict[str, Any]) -> bool:
            if event["seq"] <= position[0]:
                return False
            position[0] = event["seq"]
            return True

        def stream(read_timeout: float) -> Iterator[Any]:
            for item in self._stream(path + "?after=%d" % position[0], str(position[0]), read_timeout):
                if item is _ALIVE or fresh(item):
                    yield item

        def page() -> Iterator[Dict[str, Any]]:
            while True:
                events = self.events(run_id, after=position[0])
                for event in events:
                    if fresh(event):
                        yield event
                if not events:
                    return

        yield from self._follow(run_id, stream, page, timeout, stop)

    def follow_log(self, run_id: str, stream: str, offset: int = 0, timeout: Optional[float] = None,
                   stop: Optional[threading.Event] = None) -> Iterator[LogChunk]:
        """A run's ``stdout`` or ``stderr`` from ``offset`` as text chunks, until the run has ended and all is sent."""
        path = "/api/v1/runs/%s/logs/%s" % (_segment(run_id), _segment(stream))
        position = [offset]

        def follow(read_timeout: float) -> Iterator[Any]:
            for item in self._stream(path + "?offset=%d" % position[0], str(position[0]), read_timeout):
                if item is _ALIVE:
                    yield item
                elif item["offset"] == position[0] and item["nextOffset"] > position[0]:
                    position[0] = item["nextOffset"]
                    yield LogChunk(item["offset"], item["nextOffset"], item["text"])

        def page() -> Iterator[LogChunk]:
            while True:
                read = self.read_log(run_id, stream, position[0])
                # hold back a character cut in two by the read's end, unless it is the last of a complete log
                keep = _incomplete_utf8_tail(read.data)
                if keep == len(read.data) and read.complete:
                    keep = 0
                text = read.data[: len(read.data) - keep]
                if not text:
                    return
                start = position[0]
                position[0] = start + len(text)
                yield LogChunk(start, position[0], text.decode("utf-8", errors="replace"))

        yield from self._follow(run_id, follow, page, timeout, stop)

    def _follow(self, run_id: str, stream: Callable, page: Callable, timeout: Optional[float],
                stop: Optional[threading.Event]) -> Iterator[Any]:
        deadline = None if timeout is None else time.monotonic() + timeout
        failures = 0
        what = "following run %s" % run_id
        while not (stop is not None and stop.is_set()):
            read_timeout = self.stream_read_timeout
            if deadline is not None:
                read_timeout = max(0.05, min(read_timeout, deadline - time.monotonic()))
            try:
                alive = False
                for item in stream(read_timeout):
                    # an event or a heartbeat: the connection works, whatever happened before
                    failures, alive = 0, True
                    if stop is not None and stop.is_set():
                        return
                    if item is not _ALIVE:
                        yield item
                    _check_deadline(deadline, run_id)
                # the gateway ends a stream when the run has ended and everything is sent, and also after its
                # stream-timeout (a quiet stream has had heartbeats by then); a cut connection can look the same.
                # Reading whether it has ended first, then the rest, leaves nothing out
                if self._finished(run_id):
                    yield from page()
                    return
                if not alive:  # a stream that ends at once, again and again, must not make the client spin
                    raise ConnectionResetError("the stream ended before its first event or heartbeat")
            except _Refused as refused:
                finished = self._finished(run_id)
                for item in page():
                    failures = 0
                    yield item
                if finished:
                    return
                wait = (self.retry.delay(1, refused.retry_after, self._rand) if refused.retry_after is not None
                        else self.poll_interval)
                self._retrying(what, refused.status, refused.retry_after, wait)
                _check_deadline(deadline, run_id, wait)
                self._sleep(wait)
            except _CONNECTION_ERRORS as error:
                if deadline is not None and time.monotonic() >= deadline:
                    raise TimeoutError("%s did not end in time" % what) from error
                if _fatal(error):
                    raise
                failures += 1
                if failures >= self.retry.attempts:
                    raise GatewayUnavailable("%s failed %d times in a row: %s" % (what, failures, error),
                                             error) from error
                wait = self.retry.delay(failures, None, self._rand)
                self._retrying(what, None, None, wait)
                _check_deadline(deadline, run_id, wait)
                self._sleep(wait)
            _check_deadline(deadline, run_id)

    def _finished(self, run_id: str) -> bool:
        """Whether the run has ended with all its output and events stored (the gateway's X-Log-Complete)."""
        return self.read_log(run_id, "stdout", _END_OF_LOG).complete

    def _stream(self, path_and_query: str, last_event_id: str, read_timeout: float) -> Iterator[Any]:
        """The data of each event of one SSE response, parsed, and :data:`_ALIVE` for each heartbeat comment."""
        connection = self._connection(read_timeout)
        response = None
        try:
            connection.request("GET", self._prefix + path_and_query,
                               headers=self._headers({"Accept": "text/event-stream",
                                                      "Last-Event-ID": last_event_id}))
            response = connection.getresponse()
            content_type = response.headers.get("Content-Type", "")
            if response.status == 200 and content_type.startswith("text/event-stream"):
                for item in sse.parse(response.readline):
                    yield json.loads(item.data) if isinstance(item, sse.ServerSentEvent) else _ALIVE
                return
            body = response.read()
            if response.status == 200 or _retryable(response.status) or response.status == 406:
                raise _Refused(response.status, _retry_after(response.headers))
            raise _problem(_Response(response.status, response.reason, response.headers, body))
        finally:
            if response is not None:
                response.close()  # the response holds the socket open after the connection lets go of it
            connection.close()

    # --- one call -----------------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: Union[None, bytes, Callable[[], Any]] = None,
              headers: Optional[Mapping[str, str]] = None, accept: str = "application/json") -> _Response:
        """One call, retried; ``body`` is bytes, or a function that returns the body afresh for each attempt (bytes
        or a file object, which is closed after the attempt)."""
        failures = 0
        while True:
            retry_after: Optional[float] = None
            try:
                response = self._once(method, path, body, headers, accept)
                if response.status < 400:
                    return response
                if not _retryable(response.status):
                    raise _problem(response)
                last: BaseException = _problem(response)
                retry_after = _retry_after(response.headers)
            except _CONNECTION_ERRORS as error:
                if _fatal(error):
                    raise
                last = error
            failures += 1
            if failures >= self.retry.attempts:
                if isinstance(last, GatewayProblem):
                    raise last
                raise GatewayUnavailable("%s %s failed %d times: %s" % (method, path, failures, last), last) from last
            wait = self.retry.delay(failures, retry_after, self._rand)
            self._retrying("%s %s" % (method, path), getattr(last, "status", None), retry_after, wait)
            self._sleep(wait)

    def _retrying(self, what: str, status: Optional[int], retry_after: Optional[float], wait: float) -> None:
        if self._on_retry is not None:
            self._on_retry(what, status, retry_after, wait)

    def _once(self, method, path, body, headers, accept) -> _Response:
        connection = self._connection(self.timeout)
        content = body() if callable(body) else body
        try:
            all_headers = self._headers({"Accept": accept + ", application/problem+json"})
            if content is not None:
                all_headers["Content-Type"] = "application/json"
            all_headers.update(headers or {})
            try:
                connection.request(method, self._prefix + path, body=content, headers=all_headers)
            except _CONNECTION_ERRORS as error:
                if _fatal(error) or connection.sock is None:
                    raise  # fatal, or no connection was made at all: there is no answer to read
                # the gateway may have answered before it read the whole body (a 413, a 507) and closed: that answer,
                # when it can still be read, says more than the broken pipe
                try:
                    response = connection.getresponse()
                    return _Response(response.status, response.reason, response.headers, response.read())
                except _CONNECTION_ERRORS:
                    raise error from None
            response = connection.getresponse()
            return _Response(response.status, response.reason, response.headers, response.read())
        finally:
            connection.close()
            if hasattr(content, "close"):
                content.close()

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        if self._scheme == "https":
            return http.client.HTTPSConnection(self._host, self._port, timeout=timeout, blocksize=_CHUNK,
                                               context=self._ssl_context or ssl.create_default_context())
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout, blocksize=_CHUNK)

    def _headers(self, extra: Mapping[str, str]) -> Dict[str, str]:
        headers = {"User-Agent": "slurm-gateway-python"}
        if self._token:
            headers["Authorization"] = "Bearer " + self._token
        headers.update(extra)
        return headers


def normalize_digest(digest: str) -> str:
    """``sha256:`` and 64 lowercase hex digits; raises :class:`ValueError` for anything that is not a digest."""
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        raise ValueError("a digest is 'sha256:' and 64 hex digits, not %r" % (digest,))
    return digest.lower()


def blob_digest(source: BlobSource) -> "tuple[str, int]":
    """The ``sha256:<hex>`` digest and the size of a file (a path, read 1 MiB at a time) or of bytes."""
    sha256 = hashlib.sha256()
    if isinstance(source, (bytes, bytearray, memoryview)):
        sha256.update(source)
        return "sha256:" + sha256.hexdigest(), memoryview(source).nbytes
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError("a blob is a file's path or bytes, not %s" % type(source).__name__)
    size = 0
    with open(source, "rb") as file:
        while True:
            chunk = file.read(_CHUNK)
            if not chunk:
                break
            sha256.update(chunk)
            size += len(chunk)
    return "sha256:" + sha256.hexdigest(), size


def check_relative_path(path: str) -> str:
    """Checks a key of a run's ``files``: a relative path of non-empty segments, none ``.`` or ``..``, no NUL.

    Raises :class:`ValueError` naming the key.
    """
    if not isinstance(path, str):
        raise ValueError("files: a key must be a relative path (a string), not %r" % (path,))
    if not path:
        why = "is empty"
    elif path.startswith("/"):
        why = "is absolute"
    elif "\0" in path:
        why = "contains NUL"
    elif any(part in ("", ".", "..") for part in path.split("/")):
        why = "has an empty, '.' or '..' segment"
    else:
        return path
    raise ValueError("files: %r %s; keys are relative paths such as 'data/input.csv'" % (path, why))


class _ExactReader:
    """A file opened for one upload attempt: exactly ``size`` bytes, the size it had when it was hashed."""

    def __init__(self, path: str, size: int):
        # an error of the file is no connection error: it is raised as it is, never retried
        try:
            self._file: IO[bytes] = open(path, "rb")
        except OSError as error:
            raise GatewayError("cannot read %s: %s" % (path, error)) from error
        self._path = path
        self._left = size

    def read(self, amount: int = -1) -> bytes:
        if self._left == 0:
            return b""
        amount = self._left if amount is None or amount < 0 else min(amount, self._left)
        try:
            chunk = self._file.read(amount)
        except OSError as error:
            raise GatewayError("cannot read %s: %s" % (self._path, error)) from error
        if not chunk:
            raise GatewayError("%s became shorter while it was uploaded" % self._path)
        self._left -= len(chunk)
        return chunk

    def close(self) -> None:
        self._file.close()


def _segment(value: str) -> str:
    return urllib.parse.quote(str(value), safe="")


def _check_deadline(deadline: Optional[float], run_id: str, wait: float = 0.0) -> None:
    if deadline is not None and time.monotonic() + wait > deadline:
        raise TimeoutError("following run %s did not end in time" % run_id)


def _problem(response: _Response) -> GatewayProblem:
    try:
        body: Any = response.json()
    except ValueError:
        body = response.body.decode("utf-8", errors="replace")
    return GatewayProblem.from_response(response.status, response.reason, body, _retry_after(response.headers))


def _retry_after(headers: http.client.HTTPMessage) -> Optional[float]:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date."""
    value = headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _incomplete_utf8_tail(data: bytes) -> int:
    """How many bytes at the end of ``data`` begin a UTF-8 character that the bytes do not finish."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # a lead byte (or ASCII)
            needed = 2 if byte & 0xE0 == 0xC0 else 3 if byte & 0xF0 == 0xE0 else 4 if byte & 0xF8 == 0xF0 else 1
            return back if needed > back else 0
    return 0


__all__ = ["GatewayClient", "RetryPolicy", "LogRead", "LogChunk", "TERMINAL_STATES", "BlobSource", "blob_digest",
           "check_relative_path", "normalize_digest"]
