#!/usr/bin/env python3
"""Calls per second of cmi_datacard against a plain-Python client (requests + hashlib WSSE,
and httpx for asyncio), at concurrency 1 and 64, against the sandbox over loopback.

Not a test: run it on a quiet machine.

    python bench.py [--seconds 5] [--cmi PATH-TO-cmi]

Prints a table, then one JSON line: {"bench": "python", "results": {...}, "ratios": {...}}.
The operation is 3.2.4 query_himsi_state (one card's location), a typical hot query.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plain_client import PlainAsyncClient, PlainClient  # noqa: E402

import cmi_datacard  # noqa: E402

ICCID = "89852342024000000013"
PATH = "APP_HIMSI_TERMSTATE_SBO/v1"


def start_sandbox(cmi: str) -> "tuple[subprocess.Popen[str], Dict[str, str]]":
    proc = subprocess.Popen([cmi, "sandbox", "--port", "0"], stdout=subprocess.PIPE, text=True)
    env = {}
    assert proc.stdout is not None
    for _ in range(3):
        k, _, v = proc.stdout.readline().strip().partition("=")
        env[k] = v
    return proc, env


def threaded(call: Callable[[], Any], concurrency: int, seconds: float) -> float:
    call()  # warm up (token, connection)
    stop = time.monotonic() + seconds
    counts = [0] * concurrency

    def worker(i: int) -> None:
        n = 0
        while time.monotonic() < stop:
            call()
            n += 1
        counts[i] = n

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - start)


def tasks(make_call: Callable[[], Any], concurrency: int, seconds: float) -> float:
    async def run() -> float:
        call = make_call()
        await call()
        stop = time.monotonic() + seconds
        count = 0

        async def worker() -> None:
            nonlocal count
            while time.monotonic() < stop:
                await call()
                count += 1

        start = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return count / (time.monotonic() - start)

    return asyncio.run(run())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--cmi", default=os.environ.get("CMI_BIN", "cmi"))
    args = ap.parse_args()
    proc, env = start_sandbox(args.cmi)
    url, key, secret = env["CMI_BASE_URL"], env["CMI_APP_KEY"], env["CMI_APP_SECRET"]
    results: Dict[str, float] = {}
    try:
        sdk = cmi_datacard.Client(url, key, secret)
        # Threads of the plain client each use their own requests.Session (Session is not
        # documented as thread-safe), as careful users do.
        local = threading.local()

        def plain_call() -> Any:
            c = getattr(local, "client", None)
            if c is None:
                c = local.client = PlainClient(url, key, secret)
            return c.call(PATH, {"iccid": ICCID})

        def make_sdk_async() -> Callable[[], Any]:
            c = cmi_datacard.AsyncClient(url, key, secret)
            return lambda: c.query_himsi_state(iccid=ICCID)

        def make_plain_async() -> Callable[[], Any]:
            c = PlainAsyncClient(url, key, secret)
            return lambda: c.call(PATH, {"iccid": ICCID})

        for conc in (1, 64):
            results[f"sync_sdk_c{conc}"] = threaded(lambda: sdk.query_himsi_state(iccid=ICCID), conc, args.seconds)
            results[f"sync_plain_c{conc}"] = threaded(plain_call, conc, args.seconds)
            results[f"async_sdk_c{conc}"] = tasks(make_sdk_async, conc, args.seconds)
            results[f"async_plain_c{conc}"] = tasks(make_plain_async, conc, args.seconds)
    finally:
        proc.terminate()
        proc.wait()
    ratios = {
        f"{mode}_c{conc}": round(results[f"{mode}_sdk_c{conc}"] / results[f"{mode}_plain_c{conc}"], 2)
        for mode in ("sync", "async")
        for conc in (1, 64)
    }
    print(f"{'mode':<8}{'conc':>6}{'cmi_datacard':>16}{'plain':>12}{'ratio':>8}")
    for mode, plain in (("sync", "requests"), ("async", "httpx")):
        for conc in (1, 64):
            sdk_rate, plain_rate = results[f"{mode}_sdk_c{conc}"], results[f"{mode}_plain_c{conc}"]
            print(f"{mode:<8}{conc:>6}{sdk_rate:>14.0f}/s{plain_rate:>10.0f}/s{ratios[f'{mode}_c{conc}']:>7}x  ({plain})")
    print(json.dumps({"bench": "python", "operation": "query_himsi_state", "seconds": args.seconds,
                      "results": {k: round(v, 1) for k, v in results.items()}, "ratios": ratios}))


if __name__ == "__main__":
    main()
