"""tests/vectors/wsse.json: the digest as the benchmark's plain client computes it with
hashlib (so the baseline is a correct client), and a real signed call through the package."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cmi_datacard import Client

from conftest import VECTORS, Sandbox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from plain_client import digest  # noqa: E402


def test_digest_vectors() -> None:
    for case in json.loads((VECTORS / "wsse.json").read_text())["digest"]:
        assert digest(case["nonce"], case["created"], case["secret"]) == case["digest"], case["name"]


def test_signed_calls_are_accepted(client: Client, sandbox: Sandbox) -> None:
    for _ in range(3):  # a fresh nonce each time, or the sandbox refuses a replay (1000003)
        assert client.query_upcc_templates().upcc_template
