"""Server-sent events read from a byte stream, as the WHATWG HTML standard defines them (the parts a client needs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Optional


@dataclass(frozen=True)
class ServerSentEvent:
    id: Optional[str]
    event: str
    data: str


class Comment:
    """A comment line (the gateway's ``:keep-alive``): no event, but proof that the connection is alive."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def parse(readline: Callable[[], bytes]) -> Iterator[object]:
    """Yields each complete event and each comment read through ``readline`` until it returns ``b""`` (the end).

    An event is complete at its blank line: one cut off by the end of the stream is dropped, as the standard says,
    so a client that reconnects with ``Last-Event-ID`` gets it again whole.
    """
    event_id: Optional[str] = None
    event_type = ""
    data: list = []
    while True:
        raw = readline()
        if not raw:
            return
        if not raw.endswith(b"\n") and not raw.endswith(b"\r"):
            return  # the last line was cut off: the stream ended in the middle of it
        line = raw.rstrip(b"\r\n").decode("utf-8", errors="replace")
        if not line:
            if data:
                yield ServerSentEvent(event_id, event_type or "message", "\n".join(data))
            event_type, data = "", []
            continue
        if line.startswith(":"):
            yield Comment(line[1:])
            continue
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            data.append(value)
        elif name == "id":
            if "\0" not in value:
                event_id = value
        elif name == "event":
            event_type = value
