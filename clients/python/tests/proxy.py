"""A TCP proxy in front of the gateway that can cut a connection in the middle of a response, and records the
request heads it passes on."""

from __future__ import annotations

import socket
import threading
from typing import List, Optional


class CuttingProxy:
    """Forwards connections to ``127.0.0.1:upstream_port``. The first ``cuts`` responses to event-stream requests are
    cut off after ``cut_after`` bytes: both sockets are closed mid-stream, as a dropped network connection would."""

    def __init__(self, upstream_port: int, cut_after: int, cuts: int = 1):
        self.upstream_port = upstream_port
        self.cut_after = cut_after
        self.cuts_left = cuts
        self.cuts_done = 0
        self.requests: List[str] = []
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while True:
            try:
                downstream, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(downstream,), daemon=True).start()

    def _serve(self, downstream: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        head = b""
        while b"\r\n\r\n" not in head:
            data = downstream.recv(65536)
            if not data:
                break
            head += data
        text = head.decode("latin-1")
        cut: Optional[int] = None
        with self._lock:
            self.requests.append(text.split("\r\n\r\n", 1)[0])
            if "text/event-stream" in text and self.cuts_left > 0:
                self.cuts_left -= 1
                cut = self.cut_after
        upstream.sendall(head)
        threading.Thread(target=self._pump, args=(downstream, upstream, None), daemon=True).start()
        self._pump(upstream, downstream, cut)

    def _pump(self, source: socket.socket, target: socket.socket, cut: Optional[int]) -> None:
        sent = 0
        try:
            while True:
                data = source.recv(65536 if cut is None else max(1, min(65536, cut - sent)))
                if not data:
                    break
                target.sendall(data)
                sent += len(data)
                if cut is not None and sent >= cut:
                    with self._lock:
                        self.cuts_done += 1
                    break
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def event_stream_requests(self) -> List[str]:
        with self._lock:
            return [request for request in self.requests if "text/event-stream" in request]
