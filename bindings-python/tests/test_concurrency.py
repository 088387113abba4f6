"""Many threads or tasks on one client: one token request, the event loop never blocked,
cancellation, and clean interpreter shutdown with calls in flight."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from cmi_datacard import AsyncClient, Client

from conftest import ICCID_ESIM, Sandbox


def test_many_threads_share_one_client_and_one_token(client: Client, sandbox: Sandbox) -> None:
    def work(_: int) -> int:
        return len(client.query_himsi_state(iccid=ICCID_ESIM).mobile_country_code or "")

    with ThreadPoolExecutor(max_workers=32) as pool:
        assert set(pool.map(work, range(256))) == {3}
    assert client.token_requests == 1
    assert sandbox.stats()["calls"]["get_access_token"] == 1


def test_the_sync_client_releases_the_gil_while_waiting(sandbox: Sandbox) -> None:
    sandbox.fault(operation="query_channel_apps", kind="delay", ms=300, count=8)
    c = Client(sandbox.base_url, sandbox.app_key, sandbox.app_secret)
    c.query_upcc_templates()  # token first
    start = time.monotonic()
    threads = [threading.Thread(target=c.query_channel_apps) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert time.monotonic() - start < 1.5, "8 calls of 300 ms in parallel took as long as serial ones"


def test_many_tasks_share_one_client_and_the_loop_keeps_running(async_client: AsyncClient, sandbox: Sandbox) -> None:
    sandbox.fault(operation="query_channel_apps", kind="delay", ms=200, count=64)

    async def run() -> int:
        ticks = 0
        stop = asyncio.Event()

        async def ticker() -> None:
            nonlocal ticks
            while not stop.is_set():
                ticks += 1
                await asyncio.sleep(0.01)

        t = asyncio.ensure_future(ticker())
        answers = await asyncio.gather(*(async_client.query_channel_apps() for _ in range(64)))
        assert all(len(a.apps) == 3 for a in answers)
        stop.set()
        await t
        return ticks

    assert asyncio.run(run()) >= 10, "the event loop was blocked while calls ran"
    assert async_client.token_requests == 1
    assert sandbox.stats()["calls"]["get_access_token"] == 1


def test_cancelling_a_task_cancels_the_call(async_client: AsyncClient, sandbox: Sandbox) -> None:
    sandbox.fault(operation="query_channel_apps", kind="delay", ms=2000, count=1)

    async def run() -> None:
        task = asyncio.ensure_future(async_client.query_channel_apps())
        await asyncio.sleep(0.2)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        else:
            raise AssertionError("not cancelled")
        # The client still works afterwards.
        assert len((await async_client.query_channel_apps()).apps) == 3

    asyncio.run(run())


SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from cmi_datacard import AsyncClient
    c = AsyncClient(sys.argv[1], sys.argv[2], sys.argv[3])
    async def main():
        # Leave calls in flight when the loop and the interpreter go away.
        for _ in range(20):
            asyncio.ensure_future(c.query_channel_apps())
        await asyncio.gather(*(c.query_upcc_templates() for _ in range(10)))
    asyncio.run(main())
    """
)


def test_short_async_scripts_exit_cleanly(sandbox: Sandbox) -> None:
    args = [sys.executable, "-c", SCRIPT, sandbox.base_url, sandbox.app_key, sandbox.app_secret]
    procs = [subprocess.Popen(args, stderr=subprocess.PIPE) for _ in range(24)]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err.decode(errors="replace")
