"""examples/python/callbacks_flask.py and callbacks_fastapi.py, each on a real server on
loopback, receiving the sandbox's real deliveries of 3.2.15, 3.2.16 and 3.2.17."""

from __future__ import annotations

import json
import secrets
import socket
import sqlite3
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

from cmi_datacard import Client, parse_notification

from conftest import BUNDLE_HK_MO_5GB, ICCID_ESIM, REPO, Sandbox

sys.path.insert(0, str(REPO / "examples" / "python"))

from callback_receiver import Receiver, Store  # noqa: E402

Server = Tuple[str, Receiver]  # the receiver's base URL, and its receiver


def serve_flask(receiver: Receiver) -> Tuple[str, Callable[[], None]]:
    from werkzeug.serving import make_server

    import callbacks_flask

    server = make_server("127.0.0.1", 0, callbacks_flask.create_app(receiver), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server.shutdown


def serve_fastapi(receiver: Receiver) -> Tuple[str, Callable[[], None]]:
    import uvicorn

    import callbacks_fastapi

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(callbacks_fastapi.create_app(receiver), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)
        sock.close()

    return f"http://127.0.0.1:{sock.getsockname()[1]}", stop


@pytest.fixture(params=["flask", "fastapi"])
def receiver_server(request: Any, sandbox: Sandbox, tmp_path: Path) -> Iterator[Server]:
    pytest.importorskip(request.param)
    receiver = Receiver(Store(tmp_path / "callbacks.sqlite3"), secrets.token_urlsafe(16))
    base, stop = (serve_flask if request.param == "flask" else serve_fastapi)(receiver)
    sandbox.admin("POST", "callbacks", {"url": f"{base}/cmi/{receiver.token}/callbacks",
                                        "esim_url": f"{base}/cmi/{receiver.token}/esim"})
    yield base, receiver
    sandbox.admin("DELETE", "callbacks", {})
    stop()


def settled(sandbox: Sandbox, count: int, timeout: float = 30) -> List[Dict[str, Any]]:
    """The delivery log once it has `count` entries and none is still being retried."""
    deadline = time.monotonic() + timeout
    while True:
        log: List[Dict[str, Any]] = sandbox.admin("GET", "callbacks/deliveries")
        if len(log) >= count and all(d["state"].lower() != "pending" for d in log):
            return log
        assert time.monotonic() < deadline, log
        time.sleep(0.1)


def body_bytes(delivery: Dict[str, Any]) -> bytes:
    body = delivery["body"]
    return body.encode() if isinstance(body, str) else json.dumps(body).encode()


def post(url: str, body: bytes) -> Tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json;charset=UTF-8"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read()


def trigger_events(sandbox: Sandbox, client: Client) -> None:
    """An order activated by the next location update, usage over two hours, an eSIM change."""
    client.create_order(third_order_id="cb-1", include_card=0, purchase_kind="Bundle",
                        data_bundle_id=BUNDLE_HK_MO_5GB, quantity=1, iccid=ICCID_ESIM,
                        transaction_code="cb-1")
    sandbox.admin("POST", "clock/advance", {"seconds": 3600})
    sandbox.admin("POST", "clock/advance", {"seconds": 3600})
    sandbox.admin("POST", "esim/" + ICCID_ESIM + "/disable", {})


def test_every_real_delivery_is_stored_once_and_acknowledged(
        receiver_server: Server, sandbox: Sandbox, client: Client) -> None:
    base, receiver = receiver_server
    trigger_events(sandbox, client)
    log: List[Dict[str, Any]] = []
    deadline = time.monotonic() + 30
    while not {"activation", "usage", "esim_status"} <= {parse_notification([], body_bytes(d)).kind for d in log}:
        assert time.monotonic() < deadline, log
        log = settled(sandbox, 1)

    assert all(d["state"].lower() == "delivered" and d["attempts"] == 1 and d["last_status"] == 200 for d in log), log
    keys = [parse_notification([], body_bytes(d)).dedupe_key for d in log]
    stored = receiver.store.rows()
    assert sorted(k for k, _, _ in stored) == sorted(set(keys))
    assert all(n == 1 for _, _, n in stored)

    # CMI delivers one again (its ack got lost): acknowledged again, stored once, counted.
    again = next(d for d in log if parse_notification([], body_bytes(d)).kind == "usage")
    n = parse_notification([], body_bytes(again))
    status, answer = post(again["url"], body_bytes(again))
    assert status == 200 and answer == n.ack_body
    stored = receiver.store.rows()
    assert len(stored) == len(set(keys))
    assert dict((k, c) for k, _, c in stored)[n.dedupe_key] == 2


def test_no_ack_until_stored(receiver_server: Server, sandbox: Sandbox) -> None:
    base, receiver = receiver_server
    with sqlite3.connect(receiver.store.path) as db:  # the store breaks: inserts fail
        db.execute("ALTER TABLE notifications RENAME TO broken")
    sandbox.admin("POST", "esim/" + ICCID_ESIM + "/disable", {})
    deadline = time.monotonic() + 10
    while True:
        log = sandbox.admin("GET", "callbacks/deliveries")
        if log and log[0]["attempts"] >= 1 and log[0]["last_status"] == 200:
            break
        assert time.monotonic() < deadline, log
        time.sleep(0.05)
    assert log[0]["state"].lower() == "pending"  # answered with the failure ack: CMI retries
    with sqlite3.connect(receiver.store.path) as db:
        db.execute("ALTER TABLE broken RENAME TO notifications")
    log = settled(sandbox, 1)
    assert log[0]["state"].lower() == "delivered" and log[0]["attempts"] >= 2
    assert [(kind, count) for _, kind, count in receiver.store.rows()] == [("esim_status", 1)]


def test_wrong_token_gets_no_ack(receiver_server: Server) -> None:
    base, receiver = receiver_server
    body = json.dumps({"iccid": ICCID_ESIM}).encode()
    with pytest.raises(urllib.error.HTTPError) as e:
        post(f"{base}/cmi/not-the-token/callbacks", body)
    assert e.value.code == 404 and receiver.store.rows() == []
