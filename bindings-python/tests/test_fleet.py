"""Fleet mode from Python: several processes, blocking and asyncio, share one access token
through a real redis-server while the sandbox revokes older tokens on every reissue; and a
client whose Redis is unreachable still works on local state."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Iterator

import pytest

import cmi_datacard
from conftest import ICCID_ACTIVE, Sandbox


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _redis_server() -> str:
    for candidate in (shutil.which("redis-server"), "/usr/bin/redis-server", "/usr/sbin/redis-server"):
        if candidate and os.path.exists(candidate):
            return candidate
    if os.environ.get("CI"):
        pytest.fail("redis-server is missing (scripts/setup installs it)")
    pytest.skip("redis-server not installed: fleet tests SKIPPED (scripts/setup installs it)")


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [_redis_server(), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


WORKER = textwrap.dedent(
    """
    import asyncio, sys, threading, cmi_datacard
    mode, n, iccid, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    import os, time
    while not os.path.exists(go):  # all workers start cold together
        time.sleep(0.01)
    failures = []
    if mode == "sync":
        client = cmi_datacard.Client.from_env(timeout=10)
        def one():
            try:
                client.query_quota(iccid=iccid)
            except Exception as e:
                failures.append(repr(e))
        threads = [threading.Thread(target=one) for _ in range(n)]
        for t in threads: t.start()
        for t in threads: t.join()
    else:
        async def main():
            client = cmi_datacard.AsyncClient.from_env(timeout=10)
            results = await asyncio.gather(*(client.query_quota(iccid=iccid) for _ in range(n)), return_exceptions=True)
            failures.extend(repr(r) for r in results if isinstance(r, BaseException))
        asyncio.run(main())
    print("failures", len(failures), failures[:3])
    sys.exit(1 if failures else 0)
    """
)


def test_processes_share_one_token_through_redis(sandbox: Sandbox, redis_url: str, tmp_path: Path) -> None:
    sandbox.admin("POST", "policy", {"revoke_on_reissue": True})
    try:
        before = sandbox.stats()
        env = {**os.environ, **sandbox.env, "CMI_REDIS_URL": redis_url}
        go = tmp_path / "go"
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, mode, "50", ICCID_ACTIVE, str(go)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for mode in ("sync", "sync", "sync", "async", "async", "async")
        ]
        time.sleep(0.5)  # let every interpreter import the package before the start signal
        go.touch()
        outputs = [w.communicate(timeout=120)[0] for w in workers]
        assert [w.returncode for w in workers] == [0] * 6, outputs
        after = sandbox.stats()
        assert after["token_issues"] - before["token_issues"] == 1, (before, after)
        assert after["token_rejections"] - before["token_rejections"] == 0, (before, after)
        assert after["calls"]["query_quota"] - before["calls"]["query_quota"] == 300
    finally:
        sandbox.admin("POST", "policy", {"revoke_on_reissue": False})


def test_an_unreachable_redis_never_fails_a_call(sandbox: Sandbox) -> None:
    url = f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there
    client = cmi_datacard.Client(sandbox.base_url, sandbox.app_key, sandbox.app_secret, timeout=10, redis_url=url)
    answer = client.query_quota(iccid=ICCID_ACTIVE)
    assert answer.quota_list
    assert client.fleet_healthy is False
    assert cmi_datacard.Client(sandbox.base_url, sandbox.app_key, sandbox.app_secret).fleet_healthy is None
    assert "redis" not in repr(client)


def test_a_bad_redis_url_is_a_config_error_without_the_password(sandbox: Sandbox) -> None:
    with pytest.raises(cmi_datacard.ConfigError) as caught:
        cmi_datacard.Client(sandbox.base_url, sandbox.app_key, sandbox.app_secret, redis_url="http://user:hunter2@host/")
    assert "hunter2" not in str(caught.value)
