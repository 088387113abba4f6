"""What the two callback examples (callbacks_flask.py, callbacks_fastapi.py) share: the checks
on who is calling, the store, and the rule that CMI gets the acknowledgement only once the
notification is stored.

The Python package parses notifications (3.2.15-3.2.17) but does not verify their WSSE
signature, so the receiver checks what it can itself: a secret token in the URL you register
with CMI (compared in constant time) and, optionally, the caller's address against the
networks you expect CMI to call from. Storage is one SQLite file; a redelivered event (same
dedupe key) is counted, not stored again.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, List, Mapping, Optional, Tuple, Union

from cmi_datacard import CmiError, parse_notification
from cmi_datacard.callbacks import CONTENT_TYPE

Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]
Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

#: Where 3.2.17 (eSIM) notifications arrive: CMI appends this to the registered eSIM URL.
ESIM_SUFFIX = "/gsma/rsp2/es2plus/handleDownloadProgressInfo"

SCHEMA = """
CREATE TABLE IF NOT EXISTS notifications (
    dedupe_key  TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    body        TEXT NOT NULL,
    deliveries  INTEGER NOT NULL DEFAULT 1
)"""


@dataclass
class Answer:
    """The HTTP answer a framework sends back."""

    status: int
    body: bytes
    content_type: str = CONTENT_TYPE


class Store:
    """Notifications in one SQLite file, one row per event."""

    def __init__(self, path: Union[str, Path]) -> None:
        self.path = str(path)
        with self._connect() as db:
            db.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # One connection per call: servers call from many threads, and SQLite serialises writers.
        return sqlite3.connect(self.path, timeout=10)

    def save(self, dedupe_key: str, kind: str, body: bytes) -> bool:
        """Stores an event (committed when this returns); False if it was stored before."""
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self._connect() as db:  # commits on success, rolls back on error
            new = db.execute(
                "INSERT OR IGNORE INTO notifications (dedupe_key, kind, received_at, body) VALUES (?, ?, ?, ?)",
                (dedupe_key, kind, now, body.decode("utf-8", "replace")),
            ).rowcount == 1
            if not new:
                db.execute("UPDATE notifications SET deliveries = deliveries + 1 WHERE dedupe_key = ?", (dedupe_key,))
        return new

    def rows(self) -> List[Tuple[str, str, int]]:
        """(dedupe_key, kind, deliveries) of every stored event, oldest first."""
        with self._connect() as db:
            return list(db.execute("SELECT dedupe_key, kind, deliveries FROM notifications ORDER BY rowid"))


@dataclass
class Receiver:
    """Checks, parses, stores and acknowledges one delivery, whatever the web framework."""

    store: Store
    token: str
    allow: List[Network] = field(default_factory=list)  # empty: any address

    @classmethod
    def from_env(cls) -> "Receiver":
        """CMI_CALLBACK_DB (default callbacks.sqlite3), CMI_CALLBACK_TOKEN (required), and
        CMI_CALLBACK_ALLOW (comma-separated networks, e.g. `203.0.113.0/24`; empty: any)."""
        token = os.environ.get("CMI_CALLBACK_TOKEN", "")
        if len(token) < 16:
            raise SystemExit("set CMI_CALLBACK_TOKEN to a random string of 16+ characters")
        allow = [ipaddress.ip_network(n.strip()) for n in os.environ.get("CMI_CALLBACK_ALLOW", "").split(",") if n.strip()]
        return cls(Store(os.environ.get("CMI_CALLBACK_DB", "callbacks.sqlite3")), token, allow)

    def allowed(self, token: str, address: Optional[str]) -> bool:
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            return False
        if not self.allow:
            return True
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(ip in net for net in self.allow)

    # snippet-start: receive
    def receive(self, token: str, address: Optional[str], headers: Headers, body: bytes) -> Answer:
        if not self.allowed(token, address):
            return Answer(404, b"")  # no ack: a caller that is not CMI learns nothing
        try:
            n = parse_notification(headers, body)
        except CmiError:
            return Answer(400, b"")  # unreadable: CMI's retry will not fix it either
        try:
            self.store.save(n.dedupe_key, n.kind, body)  # a redelivery is counted, not stored again
        except sqlite3.Error:
            # Not stored, so not acknowledged: CMI delivers again later.
            return Answer(200, n.failure_ack_body("temporarily unavailable"))
        return Answer(200, n.ack_body)
    # snippet-end: receive
