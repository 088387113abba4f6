"""Callbacks 3.2.15-3.2.17: the notifications CMI posts to URLs you host.

:func:`parse_notification` reads the body (the core parses it) into a :class:`Notification`
with a typed ``event``, a stable ``dedupe_key`` and the exact acknowledgement body. Answer
with ``ack_body`` only after your handler succeeded; otherwise with
``failure_ack_body(message)`` so that CMI delivers again.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Tuple, Union

from . import _native
from ._generated import ActivationNotification, EsimStatusNotification, UsageNotification

__all__ = ["Notification", "parse_notification", "CONTENT_TYPE"]

#: The content type of every acknowledgement body.
CONTENT_TYPE = "application/json"

Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]
Event = Union[ActivationNotification, UsageNotification, EsimStatusNotification, "dict[str, Any]"]

_EVENT_TYPES = {
    "activation": ActivationNotification,
    "usage": UsageNotification,
    "esim_status": EsimStatusNotification,
}


class Notification:
    """A parsed callback."""

    __slots__ = ("_native", "kind", "dedupe_key", "event", "ack_body")

    kind: str
    """``activation`` (3.2.15), ``usage`` (3.2.16), ``esim_status`` (3.2.17) or ``unknown``."""
    dedupe_key: str
    """The same for every delivery of one event: store it to drop redeliveries."""
    event: Any
    """The typed event; for ``unknown``, the body as a dict."""
    ack_body: bytes
    """The exact acknowledgement to answer with (HTTP 200, ``application/json``) once your
    handler succeeded."""

    def __init__(self, native: Any) -> None:
        self._native = native
        self.kind = native.kind
        self.dedupe_key = native.dedupe_key
        event_type = _EVENT_TYPES.get(self.kind)
        surface = native.event_surface()
        self.event = event_type._from_surface(surface) if event_type is not None else surface
        self.ack_body = native.ack_body()

    def failure_ack_body(self, message: str) -> bytes:
        """The acknowledgement telling CMI that your handler failed (it will deliver again).
        CMI receives ``message``: keep secrets and internals out of it."""
        body: bytes = self._native.failure_ack_body(message)
        return body

    def __repr__(self) -> str:
        return f"Notification(kind={self.kind!r}, dedupe_key={self.dedupe_key!r}, event={self.event!r})"


def parse_notification(headers: Headers, body: Union[bytes, bytearray, memoryview, str]) -> Notification:
    """Parses a callback as received: ``headers`` as a mapping or (name, value) pairs (Flask's
    ``request.headers``, Starlette's ``request.headers``, a WSGI environ's pairs), ``body``
    the raw bytes. Raises :class:`~cmi_datacard.errors.DecodeError` for a body that cannot be
    read and :class:`~cmi_datacard.errors.ValidationError` for one that is too large."""
    items = headers.items() if isinstance(headers, Mapping) or hasattr(headers, "items") else headers
    pairs = [(str(k), str(v)) for k, v in items]
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    return Notification(_native.parse_notification(pairs, raw))
