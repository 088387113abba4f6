"""parse_notification over the shared callback vectors, and the Flask and FastAPI examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import cmi_datacard
from cmi_datacard import DecodeError, _native, parse_notification

from conftest import VECTORS

CASES = [
    (path.stem, case)
    for path in sorted((VECTORS / "callbacks").glob("*.json"))
    for case in json.loads(path.read_text())["cases"]
]


@pytest.mark.parametrize("name,case", CASES, ids=[f"{n}:{c.get('name', i)}" for i, (n, c) in enumerate(CASES)])
def test_callback_vectors(name: str, case: Any) -> None:
    spec = json.loads((VECTORS / "callbacks" / f"{name}.json").read_text())
    n = parse_notification({"Content-Type": "application/json"}, json.dumps(case["body"]).encode())
    assert n.kind == spec["kind"]
    assert n.dedupe_key == case["dedupe_key"]
    assert json.loads(n.ack_body) == case["ack"]
    assert json.loads(n.failure_ack_body(spec["failure_message"])) == case["failure_ack"]
    expected_type = {"activation": cmi_datacard.ActivationNotification, "usage": cmi_datacard.UsageNotification,
                     "esim_status": cmi_datacard.EsimStatusNotification}[spec["kind"]]
    assert isinstance(n.event, expected_type)
    # The event the user sees is the surface of the expected typed event.
    type_name = type(n.event).__name__
    assert n.event.to_surface() == _native.to_surface(type_name, case["expect"])
    assert n.event == type(n.event)._from_surface(_native.to_surface(type_name, case["expect"]))


def test_unknown_and_unreadable_bodies() -> None:
    n = parse_notification([], b'{"hello": 1}')
    assert n.kind == "unknown" and n.event == {"hello": 1} and n.dedupe_key.startswith("unknown:")
    with pytest.raises(DecodeError):
        parse_notification([], b"code=0")


def test_flask_example() -> None:
    flask = pytest.importorskip("flask")
    from examples import flask_app

    assert isinstance(flask_app.app, flask.Flask)
    body = json.loads((VECTORS / "callbacks" / "usage.json").read_text())["cases"][0]
    web = flask_app.app.test_client()
    r = web.post("/cmi/callbacks", data=json.dumps(body["body"]), content_type="application/json")
    assert r.status_code == 200 and r.get_json() == body["ack"]
    assert flask_app.seen[-1] == body["dedupe_key"]


def test_fastapi_example() -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from examples import fastapi_app

    body = json.loads((VECTORS / "callbacks" / "activation.json").read_text())["cases"][0]
    web = TestClient(fastapi_app.app)
    r = web.post("/cmi/callbacks", content=json.dumps(body["body"]), headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and r.json() == body["ack"]
    assert fastapi_app.seen[-1] == body["dedupe_key"]
