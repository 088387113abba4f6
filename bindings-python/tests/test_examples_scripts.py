"""examples/python/first_call.py and usage_report.py, run as programs against the sandbox
with the CMI_* environment `cmi sandbox` prints; and mypy --strict over examples/python."""

from __future__ import annotations

import csv
import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from conftest import ICCID_ACTIVE, ICCID_ESIM, ICCID_PENDING, ICCID_UNKNOWN, REPO, Sandbox

EXAMPLES = REPO / "examples" / "python"
ICCID_ACTIVE_DAILY = "89852342024000000039"
ICCID_EXPIRED = "89852342024000000062"


def run(sandbox: Sandbox, *args: str, cwd: Path) -> "subprocess.CompletedProcess[str]":
    env = {**os.environ, **sandbox.env}
    return subprocess.run([sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def png_size(path: Path) -> "tuple[int, int]":
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_first_call(sandbox: Sandbox, tmp_path: Path) -> None:
    first = run(sandbox, str(EXAMPLES / "first_call.py"), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "D2401011200000000002 Hong Kong & Macau 5GB 7 days" in first.stdout
    assert "order " in first.stdout and "D2401011200000000002 NotActivated" in first.stdout
    # The same transactionCode never buys twice: the second run is refused with the code.
    second = run(sandbox, str(EXAMPLES / "first_call.py"), cwd=tmp_path)
    assert second.returncode == 1 and "refused: 1000162 business_rule False" in second.stdout


def test_usage_report(sandbox: Sandbox, tmp_path: Path) -> None:
    # Four days on, the 5 GB bundle of ICCID_ACTIVE (650 MB a day) has about 1,220 MB left;
    # the daily bundle of ICCID_ACTIVE_DAILY never has less than 1,498 MB.
    sandbox.admin("POST", "clock/advance", {"seconds": 4 * 86400})
    cards = [ICCID_ACTIVE, ICCID_ACTIVE_DAILY, ICCID_PENDING, ICCID_EXPIRED, ICCID_ESIM]
    (tmp_path / "cards.csv").write_text("iccid\n" + "\n".join(cards) + "\n")
    done = run(sandbox, str(EXAMPLES / "usage_report.py"), "cards.csv", "--out", "report.csv",
               "--chart", "remaining.png", "--low-mb", "1300", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "card" in done.stderr and "100%" in done.stderr  # the progress bar
    assert f"LOW {ICCID_ACTIVE} D2401011200000000002" in done.stderr

    with (tmp_path / "report.csv").open(newline="") as f:
        rows: List[Dict[str, str]] = list(csv.DictReader(f))
    assert list(rows[0]) == ["iccid", "bundle_id", "bundle_name", "status", "used_mb", "remaining_mb", "expiry", "low"]
    by_card = {r["iccid"]: r for r in rows}
    assert [r["iccid"] for r in rows] == cards  # one bundle each here; input order kept
    active = by_card[ICCID_ACTIVE]
    assert (active["bundle_id"], active["status"], active["low"]) == ("D2401011200000000002", "Activated", "yes")
    assert 1100 < float(active["remaining_mb"]) < 1300
    assert abs(float(active["used_mb"]) + float(active["remaining_mb"]) - 5120) < 0.1
    assert active["expiry"].endswith("Z") and len(active["expiry"]) == 20
    assert by_card[ICCID_PENDING]["status"] == "NotActivated" and by_card[ICCID_PENDING]["low"] == ""
    assert by_card[ICCID_EXPIRED]["status"] == "Expired" and by_card[ICCID_EXPIRED]["low"] == ""
    assert by_card[ICCID_ESIM]["status"] == "NoBundle" and by_card[ICCID_ESIM]["bundle_id"] == ""
    assert [r["iccid"] for r in rows if r["low"]] == [ICCID_ACTIVE]

    chart = tmp_path / "remaining.png"
    assert chart.stat().st_size > 10_000
    width, height = png_size(chart)
    assert width >= 600 and height >= 600


def test_usage_report_unknown_card_fails_the_run(sandbox: Sandbox, tmp_path: Path) -> None:
    (tmp_path / "cards.csv").write_text(f"{ICCID_ACTIVE}\n{ICCID_UNKNOWN}\n")  # no header
    done = run(sandbox, str(EXAMPLES / "usage_report.py"), "cards.csv", "--no-progress", cwd=tmp_path)
    assert done.returncode == 1
    assert f"FAILED {ICCID_UNKNOWN}: ApiError" in done.stderr and "1000013" in done.stderr
    assert (tmp_path / "usage-report.csv").read_text().count(ICCID_ACTIVE) == 1  # the rest is reported


def test_examples_type_check() -> None:
    pytest.importorskip("mypy")
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
                           *sorted(str(p) for p in EXAMPLES.glob("*.py"))],
                          cwd=EXAMPLES, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
