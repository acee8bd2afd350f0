"""The exceptions the client raises."""

from __future__ import annotations

from typing import Any, Mapping, Optional


class GatewayError(Exception):
    """Anything the client could not do: the base of the client's own exceptions."""


class GatewayProblem(GatewayError):
    """An RFC 9457 problem document the gateway answered with (or an error response standing in for one).

    ``type``, ``title``, ``status`` and ``detail`` are the document's own members; ``errors`` lists the offending
    fields of an invalid request as ``{"field", "message"}`` objects; ``extensions`` holds every other member (such as
    ``runId`` of an idempotency conflict or ``state`` of a run that has already ended); ``retry_after`` is the
    ``Retry-After`` header in seconds, when the response carried one.
    """

    def __init__(
        self,
        status: int,
        type: str,
        title: str,
        detail: Optional[str] = None,
        errors: Optional[list] = None,
        extensions: Optional[Mapping[str, Any]] = None,
        retry_after: Optional[float] = None,
    ):
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.errors = list(errors or [])
        self.extensions = dict(extensions or {})
        self.retry_after = retry_after
        super().__init__(self._text())

    @property
    def fields(self) -> list:
        """The names of the offending fields, in the order the gateway gave them."""
        return [error.get("field") for error in self.errors if isinstance(error, dict)]

    @property
    def name(self) -> str:
        """The last part of the problem type, such as ``invalid-request`` or ``run-not-found``."""
        return self.type.rsplit(":", 1)[-1]

    def _text(self) -> str:
        text = "%d %s" % (self.status, self.title)
        if self.detail:
            text += ": " + self.detail
        for error in self.errors:
            if isinstance(error, dict):
                text += "\n  %s: %s" % (error.get("field"), error.get("message"))
        return text

    @classmethod
    def from_response(
        cls, status: int, reason: str, body: Any, retry_after: Optional[float] = None
    ) -> "GatewayProblem":
        """The problem a response carried; a response without a problem document gets one made from its status."""
        if isinstance(body, dict) and isinstance(body.get("type"), str):
            known = {"type", "title", "status", "detail", "errors"}
            return cls(
                status=status,
                type=body["type"],
                title=str(body.get("title") or reason),
                detail=body.get("detail"),
                errors=body.get("errors") if isinstance(body.get("errors"), list) else None,
                extensions={k: v for k, v in body.items() if k not in known},
                retry_after=retry_after,
            )
        detail = body if isinstance(body, str) and body else None
        return cls(status=status, type="about:blank", title=reason or "HTTP %d" % status, detail=detail,
                   retry_after=retry_after)


class GatewayUnavailable(GatewayError):
    """The gateway could not be reached, or kept answering with a retryable error, until the retries ran out."""

    def __init__(self, message: str, last: Optional[BaseException] = None):
        super().__init__(message)
        self.last = last
