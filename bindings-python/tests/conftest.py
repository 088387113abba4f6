"""Fixtures: the `cmi sandbox` simulator over loopback HTTP (started once per session, reset
before each test), its admin API, and clients of both kinds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import pytest

import cmi_datacard

REPO = Path(__file__).resolve().parents[2]
# The examples (imported by the callback tests) live next to tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
VECTORS = REPO / "tests" / "vectors"

ICCID_ESIM = "89852342024000000013"
ICCID_ACTIVE = "89852342024000000021"
ICCID_PENDING = "89852342024000000047"
ICCID_UNKNOWN = "89852342024999999999"
BUNDLE_HK_DAILY = "D2401011200000000001"
BUNDLE_HK_MO_5GB = "D2401011200000000002"
BUNDLE_CN_3GB = "D2401011200000000003"
BUNDLE_ASIA = "D2401011200000000007"


def cmi_binary() -> str:
    """The `cmi` command: $CMI_BIN, else the workspace's debug or release build, else PATH."""
    if os.environ.get("CMI_BIN"):
        return os.environ["CMI_BIN"]
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    for profile in ("debug", "release"):
        candidate = target / profile / "cmi"
        if candidate.exists():
            return str(candidate)
    found = shutil.which("cmi")
    if not found:
        pytest.exit("cmi not found: build it (cargo build -p cmi-cli) or set CMI_BIN", returncode=2)
    return found


class Sandbox:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([cmi_binary(), "sandbox", "--port", "0"], stdout=subprocess.PIPE, text=True)
        env: Dict[str, str] = {}
        assert self.proc.stdout is not None
        for expected in ("CMI_BASE_URL", "CMI_APP_KEY", "CMI_APP_SECRET"):
            key, _, value = self.proc.stdout.readline().strip().partition("=")
            assert key == expected, key
            env[key] = value
        self.env = env
        self.base_url = env["CMI_BASE_URL"]
        self.app_key = env["CMI_APP_KEY"]
        self.app_secret = env["CMI_APP_SECRET"]

    def admin(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + "/_sandbox/" + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    def fault(self, **fault: Any) -> None:
        self.admin("POST", "faults", fault)

    def stats(self) -> Dict[str, Any]:
        stats: Dict[str, Any] = self.admin("GET", "stats")
        return stats

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    sb = Sandbox()
    yield sb
    sb.close()


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> Sandbox:
    sandbox_server.admin("POST", "reset")
    sandbox_server.admin("POST", "faults/clear")
    return sandbox_server


@pytest.fixture
def client(sandbox: Sandbox) -> cmi_datacard.Client:
    return cmi_datacard.Client(sandbox.base_url, sandbox.app_key, sandbox.app_secret, timeout=10)


@pytest.fixture
def async_client(sandbox: Sandbox) -> cmi_datacard.AsyncClient:
    return cmi_datacard.AsyncClient(sandbox.base_url, sandbox.app_key, sandbox.app_secret, timeout=10)
