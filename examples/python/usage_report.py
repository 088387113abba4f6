"""The morning usage report: for every card in a CSV of ICCIDs, the bundles bought for it
(3.2.6) and the real-time quota of each (3.2.8), fetched concurrently on one AsyncClient.
Writes a tidy CSV (one row per card and bundle), a PNG chart of the data left per card, and
flags the cards about to run out.

    python usage_report.py cards.csv --out report.csv --chart remaining.png --low-mb 500

Credentials come from the environment (CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET); `cmi
sandbox` prints the three lines for the simulator. Exit status 0 even when cards are flagged
(the flags are in the CSV and on stderr); 1 when a card could not be read.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Union

import matplotlib

matplotlib.use("Agg")  # no display on a server: render straight to PNG
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
from tqdm import tqdm  # noqa: E402

from cmi_datacard import AsyncClient, CmiError, DataVolume, UserDataBundle  # noqa: E402

MB = 1024.0 * 1024.0
COLUMNS = ["iccid", "bundle_id", "bundle_name", "status", "used_mb", "remaining_mb", "expiry", "low"]


@dataclass
class Row:
    """One card and bundle; a card without bundles gets one row with an empty bundle."""

    iccid: str
    bundle_id: str = ""
    bundle_name: str = ""
    status: str = "NoBundle"
    used_mb: Optional[float] = None
    remaining_mb: Optional[float] = None
    expiry: Union[dt.datetime, str, None] = None  # UTC; see timestamp()
    low: bool = False

    def as_csv(self) -> Dict[str, str]:
        def mb(v: Optional[float]) -> str:
            return "" if v is None else f"{v:.2f}"

        return {
            "iccid": self.iccid,
            "bundle_id": self.bundle_id,
            "bundle_name": self.bundle_name,
            "status": self.status,
            "used_mb": mb(self.used_mb),
            "remaining_mb": mb(self.remaining_mb),
            "expiry": timestamp(self.expiry),
            "low": "yes" if self.low else "",
        }


def read_iccids(path: Path) -> List[str]:
    """ICCIDs from a CSV: the `iccid` column if there is a header, else the first column."""
    with path.open(newline="") as f:
        rows = [r for r in csv.reader(f) if r and r[0].strip()]
    if rows and not rows[0][0].strip().isdigit():
        header = [h.strip().lower() for h in rows[0]]
        col = header.index("iccid") if "iccid" in header else 0
        rows = rows[1:]
    else:
        col = 0
    return [r[col].strip() for r in rows]


def timestamp(value: object) -> str:
    """A UTC time as `2026-12-09T23:43:33Z` (3.2.6 times are UTC; the package gives them naive).
    Text that older package builds passed through (14-digit `YYYYMMDDhhmmss`) is converted."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = "" if value is None else str(value)
    if len(text) == 14 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:8]}T{text[8:10]}:{text[10:12]}:{text[12:]}Z"
    return text


def megabytes(volume: Optional[DataVolume]) -> Optional[float]:
    return None if volume is None else volume.bytes / MB


def english_name(bundle: UserDataBundle) -> str:
    for dialect in bundle.name:
        return str(dialect.value)
    return ""


# snippet-start: usage-card
async def card_rows(client: AsyncClient, iccid: str, low_mb: float) -> List[Row]:
    """Every bundle of one card with its quota; the quotas of its bundles are fetched at once."""
    bundles = [b async for b in client.iter_subscribed_bundles(iccid=iccid, language="English")]
    quotas = await asyncio.gather(
        *(client.query_quota(child_order_id=b.subscription_key) for b in bundles if b.subscription_key)
    )
    by_key = dict(zip([b.subscription_key for b in bundles if b.subscription_key], quotas))
    rows = []
    for b in bundles:
        row = Row(iccid, b.data_bundle_id, english_name(b), b.status or "", expiry=b.end_time or b.expire_time)
        answer = by_key.get(b.subscription_key or "")
        quota = answer.quota_list[0].subscriber_quota if answer and answer.quota_list else None
        if quota is not None:
            row.used_mb = megabytes(quota.consumption_total or quota.consumption)
            row.remaining_mb = megabytes(quota.balance)
        elif b.remain_flow is not None:
            row.remaining_mb = megabytes(b.remain_flow)
        # Only a bundle in use can run out; one not started yet or ended is not an alarm.
        row.low = b.status == "Activated" and row.remaining_mb is not None and row.remaining_mb < low_mb
        rows.append(row)
    return rows or [Row(iccid)]
# snippet-end: usage-card


async def fetch_all(client: AsyncClient, iccids: Sequence[str], low_mb: float, concurrency: int,
                    progress: bool) -> "tuple[List[Row], Dict[str, CmiError]]":
    """All cards, at most `concurrency` at a time, in the input's order."""
    gate = asyncio.Semaphore(concurrency)
    results: Dict[str, List[Row]] = {}
    failures: Dict[str, CmiError] = {}

    async def one(iccid: str) -> None:
        async with gate:
            try:
                results[iccid] = await card_rows(client, iccid, low_mb)
            except CmiError as e:  # one unreadable card must not sink the report
                failures[iccid] = e

    tasks = [asyncio.ensure_future(one(i)) for i in iccids]
    with tqdm(total=len(tasks), unit="card", disable=not progress, file=sys.stderr) as bar:
        for done in asyncio.as_completed(tasks):
            await done
            bar.update(1)
    rows = [row for i in iccids if i in results for row in results[i]]
    return rows, failures


def write_csv(rows: Sequence[Row], path: Path) -> None:
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(r.as_csv() for r in rows)


def write_chart(rows: Sequence[Row], low_mb: float, path: Path) -> None:
    """Horizontal bars: the data left in the bundles in use of each card; red below the line."""
    left: Dict[str, float] = {}
    for r in rows:
        left.setdefault(r.iccid, 0.0)
        if r.status == "Activated" and r.remaining_mb is not None:
            left[r.iccid] += r.remaining_mb
    cards = list(left)
    fig, ax = plt.subplots(figsize=(10, max(6.5, 0.45 * len(cards) + 2)), dpi=100)
    colours = ["#d62728" if 0 < left[c] < low_mb else "#1f77b4" if left[c] else "#bbbbbb" for c in cards]
    ax.barh(cards, [left[c] for c in cards], color=colours)
    ax.axvline(low_mb, color="#d62728", linestyle="--", label=f"low-data threshold ({low_mb:g} MB)")
    for y, c in enumerate(cards):
        label = f"{left[c]:,.0f} MB" if left[c] else "no bundle in use"
        ax.annotate(label, (left[c], y), xytext=(4, 0), textcoords="offset points", va="center")
    ax.invert_yaxis()  # first card of the input on top
    ax.set_xlabel("high-speed data left in bundles in use (MB)")
    ax.set_title(f"Data left per card, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    ax.grid(axis="x", alpha=0.4)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("cards", type=Path, help="CSV of ICCIDs (an `iccid` column, or the first column)")
    p.add_argument("--out", type=Path, default=Path("usage-report.csv"), help="the CSV to write")
    p.add_argument("--chart", type=Path, default=Path("usage-report.png"), help="the PNG to write")
    p.add_argument("--low-mb", type=float, default=500.0, help="flag bundles in use with less left (MB)")
    p.add_argument("--concurrency", type=int, default=8, help="cards fetched at once")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p.parse_args(argv)


async def run(args: argparse.Namespace) -> int:
    iccids = read_iccids(args.cards)
    client = AsyncClient.from_env()
    rows, failures = await fetch_all(client, iccids, args.low_mb, args.concurrency, not args.no_progress)
    write_csv(rows, args.out)
    write_chart(rows, args.low_mb, args.chart)
    for r in rows:
        if r.low:
            print(f"LOW {r.iccid} {r.bundle_id}: {r.remaining_mb:.0f} MB left", file=sys.stderr)
    for iccid, e in failures.items():
        print(f"FAILED {iccid}: {type(e).__name__} {e}", file=sys.stderr)
    print(f"{len(iccids)} cards, {len(rows)} rows -> {args.out}, chart -> {args.chart}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    return asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
