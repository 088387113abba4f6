"""The shared vectors of tests/vectors/operations, run through the Python package.

A small loopback HTTP server answers as the vector says (and hands out the token
`TEST-TOKEN`), so each case goes through the real client: encoding checked against the exact
wire body, decoding against the expected answer, errors against code and kind."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from cmi_datacard import CmiError, Client, ValidationError, _native

from conftest import VECTORS

TOKEN_PATH = "APP_getAccessToken_SBO/v1"
STANDARD_TOKEN = {"code": "0000000", "description": "Success", "accessToken": "TEST-TOKEN", "expireTime": "20991231235959"}
FILES = sorted((VECTORS / "operations").glob("*.json"))
SPECS = {p.stem: json.loads(p.read_text()) for p in FILES}
RESPONSE_TYPES = {op["name"]: op["response"] for op in _native.schema()["operations"]}
REQUEST_TYPES = {op["name"]: op["request"] for op in _native.schema()["operations"]}


class Canned(ThreadingHTTPServer):
    daemon_threads = True
    answer: Any = None
    token_answer: Any = None
    bodies: Dict[str, List[Any]]


class Handler(BaseHTTPRequestHandler):
    server: Canned

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"null")
        path = self.path.split("/aep/", 1)[-1]
        self.server.bodies.setdefault(path, []).append(body)
        answer = self.server.token_answer if path == TOKEN_PATH else self.server.answer
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def canned() -> Iterator[Tuple[Canned, Client]]:
    server = Canned(("127.0.0.1", 0), Handler)
    server.bodies = {}
    server.token_answer = STANDARD_TOKEN
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = Client(f"http://127.0.0.1:{server.server_address[1]}", "key", "secret", max_retries=0)
    yield server, client
    server.shutdown()


def serve(server: Canned, op: str, body: Any) -> None:
    """What the server answers to `op` (the token path keeps handing out TEST-TOKEN otherwise)."""
    server.answer = body
    server.token_answer = body if op == "get_access_token" else STANDARD_TOKEN


def cases(section: str) -> List[Tuple[str, Dict[str, Any], Dict[str, Any]]]:
    return [(op, spec, case) for op, spec in SPECS.items() for case in spec.get(section, [])]


def ids(items: List[Tuple[str, Dict[str, Any], Dict[str, Any]]]) -> List[str]:
    return [f"{op}:{case.get('name', i)}" for i, (op, _, case) in enumerate(items)]


def test_every_operation_has_vectors() -> None:
    assert set(SPECS) == set(RESPONSE_TYPES)


REQUESTS = cases("requests")


@pytest.mark.parametrize("op,spec,case", REQUESTS, ids=ids(REQUESTS))
def test_request_vectors(canned: Tuple[Canned, Client], op: str, spec: Dict[str, Any], case: Dict[str, Any]) -> None:
    if case.get("sim_info_bare_array"):
        pytest.skip("a wire variant chosen by a client option")
    server, client = canned
    serve(server, op, spec["responses"][0]["body"])
    client.call(op, case["input"], wire=True)
    assert server.bodies[spec["path"]][-1] == case["wire"]


INVALID = cases("invalid_requests")


@pytest.mark.parametrize("op,spec,case", INVALID, ids=ids(INVALID))
def test_invalid_request_vectors(canned: Tuple[Canned, Client], op: str, spec: Dict[str, Any], case: Dict[str, Any]) -> None:
    _, client = canned
    with pytest.raises(ValidationError) as info:
        client.call(op, case["input"], wire=True)
    assert info.value.field == case["field"]


RESPONSES = cases("responses")


def valid_input(spec: Dict[str, Any]) -> Any:
    return next(c["input"] for c in spec["requests"] if isinstance(c["input"], dict) and not c.get("sim_info_bare_array"))


@pytest.mark.parametrize("op,spec,case", RESPONSES, ids=ids(RESPONSES))
def test_response_vectors(canned: Tuple[Canned, Client], op: str, spec: Dict[str, Any], case: Dict[str, Any]) -> None:
    server, client = canned
    serve(server, op, case["body"])
    assert client.call(op, valid_input(spec), wire=True) == case["expect"]
    # The snake_case answer is the surface of the expected one.
    surface = client.call(op, _native.to_surface(REQUEST_TYPES[op], valid_input(spec)))
    assert surface == _native.to_surface(RESPONSE_TYPES[op], case["expect"])


ERRORS = cases("errors")


@pytest.mark.parametrize("op,spec,case", ERRORS, ids=ids(ERRORS))
def test_error_vectors(canned: Tuple[Canned, Client], op: str, spec: Dict[str, Any], case: Dict[str, Any]) -> None:
    server, client = canned
    serve(server, op, case["body"])
    with pytest.raises(CmiError) as info:
        client.call(op, valid_input(spec), wire=True)
    assert info.value.code == case["code"]
    if "kind" in case:
        assert info.value.kind == case["kind"]
