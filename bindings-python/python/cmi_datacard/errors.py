"""Exceptions raised by cmi_datacard.

Every failure is a :class:`CmiError`. The subclass says what kind of failure it was (the
core's error kinds, mapped in :func:`_from_native`, the one place that mapping lives):

========================  =====================================================
``ApiError``              the platform answered with a non-success ``code``
``AuthError``             WSSE or token refused (``1000000``-``1000009``), or no token
``ValidationError``       input refused before sending; ``.field`` names it (wire name)
``TransportError``        the connection failed, or a non-2xx HTTP status (``.status``)
``TimeoutError``          a deadline passed (``.phase``: connect, attempt or total)
``ConfigError``           unusable settings (URL, missing credential)
``DecodeError``           the answer could not be read
``RefusedError``          a local policy refused the call
========================  =====================================================

No exception carries the app secret, the token, a digest or a nonce.
"""

from __future__ import annotations

import builtins
from typing import Any, Dict, Optional

__all__ = [
    "CmiError",
    "ApiError",
    "AuthError",
    "ValidationError",
    "TransportError",
    "TimeoutError",
    "ConfigError",
    "DecodeError",
    "RefusedError",
]


class CmiError(Exception):
    """Base class of every cmi_datacard error.

    Attributes common to all kinds (``None`` where they do not apply):
    ``kind`` (the core's kind: ``api``, ``auth``, ``validation``, ``transport``,
    ``http_status``, ``timeout``, ``config``, ``decode``, ``refused``), ``operation``,
    ``code``, ``description``, ``meaning`` (the return-code table's text), ``category``
    (``auth``, ``validation``, ``business``, ``deposit``, ``throttled``, ``transient``,
    ``unknown``) and ``retryable``.
    """

    kind: str
    operation: Optional[str]
    code: Optional[str]
    description: Optional[str]
    meaning: Optional[str]
    category: str
    retryable: bool

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.kind = fields.get("kind", "unknown")
        self.operation = fields.get("operation")
        self.code = fields.get("code")
        self.description = fields.get("description")
        self.meaning = fields.get("meaning")
        self.category = fields.get("category", "unknown")
        self.retryable = bool(fields.get("retryable", False))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ApiError(CmiError):
    """The platform refused the call with a return code (``.code``, ``.description``,
    ``.category``, ``.retryable``)."""

    code: str
    description: str


class AuthError(CmiError):
    """Authentication failed: a WSSE or token code, or a token answer without a token."""


class ValidationError(CmiError, ValueError):
    """Input refused before anything was sent; ``.field`` is the wire name of the field."""

    field: str

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.field = fields.get("field") or "(body)"


class TransportError(CmiError):
    """The connection failed or broke, or the platform answered with a non-2xx HTTP status
    (``.status``, ``.retry_after_ms``)."""

    status: Optional[int]
    retry_after_ms: Optional[int]

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.status = fields.get("status")
        self.retry_after_ms = fields.get("retry_after_ms")


class TimeoutError(CmiError, builtins.TimeoutError):
    """A deadline passed; ``.phase`` is ``connect``, ``attempt`` or ``total``."""

    phase: Optional[str]

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.phase = fields.get("phase")


class ConfigError(CmiError, ValueError):
    """The settings are unusable (bad URL, plain HTTP to a remote host, missing credential)."""


class DecodeError(CmiError):
    """The answer (or a callback body) could not be read."""


class RefusedError(CmiError):
    """A local policy refused the call before it was sent."""


_CLASSES: Dict[str, type] = {
    "api": ApiError,
    "auth": AuthError,
    "validation": ValidationError,
    "transport": TransportError,
    "http_status": TransportError,
    "timeout": TimeoutError,
    "config": ConfigError,
    "decode": DecodeError,
    "refused": RefusedError,
}


def _from_native(fields: Dict[str, Any]) -> CmiError:
    """Builds the exception for the core error described by ``fields`` (called by the
    extension module)."""
    cls = _CLASSES.get(fields.get("kind", ""), CmiError)
    message = fields.pop("message", "cmi_datacard error")
    err: CmiError = cls(message, **fields)
    return err
