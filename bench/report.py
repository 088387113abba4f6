#!/usr/bin/env python3
"""The helpers of bench/run: collect JSON lines, read criterion's estimates, render the report.

    report.py exec --step S --results FILE -- CMD...   run CMD, append its JSON lines to FILE
    report.py criterion DIR                            print one "micro" line per criterion bench
    report.py render --results FILE --out DIR [...]    write DIR/benchmarks.md and benchmarks.png
    report.py check --out DIR                          fail unless the report is well formed

Only the standard library, except the chart, which needs matplotlib (skipped, with a note in
the report, when it is missing). The line contract is in bench/README.md.
"""

import argparse
import datetime
import json
import os
import platform
import re
import resource
import subprocess
import sys

# Targets of issue #8, checked in the report.
TYPICAL_CALL_BUDGET_US = 10.0
RATIO_TARGET = 0.90


def cmd_exec(args):
    """Runs the command; keeps stdout lines that are JSON objects, shows everything else."""
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    kept = []
    for line in proc.stdout:
        text = line.strip()
        obj = None
        if text.startswith("{"):
            try:
                obj = json.loads(text)
            except ValueError:
                obj = None
        if isinstance(obj, dict):
            kept.extend(normalize(obj))
        else:
            sys.stderr.write(line)
    code = proc.wait()
    # The largest resident set among the step's processes: a fallback for lines without one
    # (it may be a helper's, e.g. a sandbox child's, so a line's own figure is preferred).
    child_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    with open(args.results, "a", encoding="utf-8") as out:
        for obj in kept:
            obj.setdefault("surface", args.step)
            obj.setdefault("step", args.step)
            if "peak_rss_mb" not in obj and args.step != "rust":
                obj["peak_rss_mb"] = round(child_peak_mb, 2)
                obj["peak_rss_source"] = "step process tree (ru_maxrss)"
            out.write(json.dumps(obj, sort_keys=True) + "\n")
    sys.stderr.write(f"bench: {args.step}: {len(kept)} result line(s), exit {code}\n")
    return code


def normalize(obj):
    """Lines in the contract; the two summary shapes the Python and Node benchmarks print are
    expanded into one line per surface and concurrency, anything else is kept as it is."""
    if obj.get("bench") == "python" and isinstance(obj.get("results"), dict):
        res, out = obj["results"], []
        for mode, peer in (("sync", "requests (plain client)"), ("async", "httpx (plain client)")):
            for conc in (1, 64):
                sdk, plain = res.get(f"{mode}_sdk_c{conc}"), res.get(f"{mode}_plain_c{conc}")
                if sdk is None or not plain:
                    continue
                out.append({"surface": f"python-{mode}", "peer": peer, "concurrency": conc,
                            "calls_per_sec": sdk, "peer_calls_per_sec": plain,
                            "ratio": round(sdk / plain, 4), "operation": obj.get("operation")})
        return out
    if obj.get("bench") == "cmi-datacard-node":
        out = []
        for conc in (1, 64):
            r = obj.get(f"c{conc}") or {}
            if r.get("wasm_per_s") and r.get("plain_per_s"):
                out.append({"surface": "node", "peer": "fetch + node:crypto (plain client)",
                            "concurrency": conc, "calls_per_sec": r["wasm_per_s"],
                            "peer_calls_per_sec": r["plain_per_s"],
                            "ratio": round(r["wasm_per_s"] / r["plain_per_s"], 4),
                            "operation": obj.get("operation")})
        return out
    if obj.get("bench") == "fleet_overhead" and isinstance(obj.get("results"), list):
        out = []
        for r in obj["results"]:
            fleet, local = r.get("fleet_calls_per_s"), r.get("local_calls_per_s")
            if fleet and local:
                out.append({"surface": "fleet", "peer": "local-only client (no Redis)",
                            "concurrency": r.get("concurrency"), "calls_per_sec": round(fleet, 2),
                            "peer_calls_per_sec": round(local, 2), "ratio": round(fleet / local, 4),
                            "extra_latency_ms": r.get("extra_latency_ms")})
        return out
    return [obj]


def cmd_criterion(args):
    """One line per benchmark: criterion's mean and, when it has one, its throughput."""
    root = args.dir
    if not os.path.isdir(root):
        return 1
    for dirpath, _dirs, files in sorted(os.walk(root)):
        if os.path.basename(dirpath) != "new" or "estimates.json" not in files:
            continue
        with open(os.path.join(dirpath, "estimates.json"), encoding="utf-8") as f:
            est = json.load(f)
        bench = {}
        if "benchmark.json" in files:
            with open(os.path.join(dirpath, "benchmark.json"), encoding="utf-8") as f:
                bench = json.load(f)
        name = bench.get("full_id") or os.path.relpath(os.path.dirname(dirpath), root)
        mean_ns = est["mean"]["point_estimate"]
        line = {
            "surface": "rust-core",
            "kind": "micro",
            "name": name,
            "mean_ns": round(mean_ns, 1),
            "median_ns": round(est["median"]["point_estimate"], 1),
        }
        tp = bench.get("throughput") or {}
        if "Bytes" in tp and mean_ns > 0:
            line["bytes"] = tp["Bytes"]
            line["mib_per_sec"] = round(tp["Bytes"] / (mean_ns / 1e9) / 1048576.0, 1)
        print(json.dumps(line, sort_keys=True))
    return 0


def load(path):
    rows = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    rows.append(json.loads(line))
    return rows


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            if m:
                cpu = m.group(1).strip()
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            m = re.search(r"^MemTotal:\s*(\d+)", f.read(), re.M)
            if m:
                mem = f", {int(m.group(1)) / 1048576:.1f} GiB RAM"
    except OSError:
        pass
    try:
        rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        rustc = "rustc ?"
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    # bench/run records the 1-minute load average when it starts.
    start = os.environ.get("CMI_BENCH_LOAD_START")
    load = f"{start} when the run started, {load1:.1f} when the report was written" if start else f"{load1:.1f}"
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs{mem}; {platform.system()} {platform.release()}; "
        f"{rustc}; load average {load}"
    )


def fmt(v, spec="{:,.0f}"):
    if v is None or v == "":
        return "–"
    try:
        return spec.format(v)
    except (ValueError, TypeError):
        return str(v)


def is_throughput(r):
    return r.get("kind", "throughput") == "throughput" and "calls_per_sec" in r


def render_md(rows, quick, skipped, failed, chart_note):
    tp = [r for r in rows if is_throughput(r)]
    mem, seen = [], set()
    for r in rows:
        if r.get("kind") == "memory":
            mem.append(r)
        elif is_throughput(r) and r.get("peak_rss_mb"):
            # One row per benchmark process, not one per line it printed.
            key = (r.get("step"), r["surface"], r["peak_rss_mb"])
            if key not in seen:
                seen.add(key)
                mem.append(r)
    micro = [r for r in rows if r.get("kind") == "micro"]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = []
    w = out.append
    w("# Benchmarks")
    w("")
    w(f"Written by `bench/run{' --quick' if quick else ''}` on {now}. Regenerate with `bench/run` "
      "(see `bench/README.md`).")
    w("")
    w(f"**Machine:** {machine()}.")
    w("")
    w("**Only the ratios are comparable** between machines and runs: the absolute rates and "
      "latencies depend on the machine and on what else runs on it (a load average above the "
      "number of CPUs means other work shared it, and the absolute figures are noisy). Each ratio "
      "compares rounds that alternate between the SDK and its peer (median of the rounds), which "
      "keeps slow drift out of it.")
    if quick:
        w("")
        w("*Quick mode: a smoke check with very short rounds; the figures are not meaningful.*")
    w("")
    w("![calls per second per surface and concurrency](benchmarks.png)" if chart_note is None
      else f"*No chart: {chart_note}.*")
    w("")

    w("## Targets")
    w("")
    w("| Target | Figure | Met |")
    w("|---|---|---|")
    typical = next((r for r in micro if r["name"].startswith("typical_call")), None)
    if typical:
        us = typical["mean_ns"] / 1000.0
        w(f"| Core CPU per typical call (sign + encode + decode) < {TYPICAL_CALL_BUDGET_US:.0f} µs "
          f"| {us:.2f} µs | {'yes' if us < TYPICAL_CALL_BUDGET_US else 'no'} |")
    for r in tp:
        # `*-transport` rows are diagnostics (one layer of a surface), not targets.
        if r.get("ratio") is None or r["surface"].endswith("-transport"):
            continue
        ratio = r["ratio"]
        met = "yes" if ratio >= RATIO_TARGET else f"no, {(1 - ratio) * 100:.0f}% slower"
        w(f"| {r['surface']} within 10% of {r.get('peer', 'peer')} at concurrency {r.get('concurrency', '?')} "
          f"| {ratio:.2f}× | {met} |")
    w("")

    w("## Calls per second against the peer clients")
    w("")
    w("Ratio = the surface's calls per second / its peer's (1.00 = as fast; the target is ≥ 0.90).")
    w("")
    w("| Surface | Peer | Concurrency | Calls/s | Peer calls/s | Ratio | p50 ms | p99 ms | Peer p50 ms | Peer p99 ms |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in tp:
        w(f"| {r['surface']} | {r.get('peer', '–')} | {fmt(r.get('concurrency'))} | {fmt(r.get('calls_per_sec'))} "
          f"| {fmt(r.get('peer_calls_per_sec'))} | {fmt(r.get('ratio'), '{:.2f}')} "
          f"| {fmt(r.get('p50_ms'), '{:.3f}')} | {fmt(r.get('p99_ms'), '{:.3f}')} "
          f"| {fmt(r.get('peer_p50_ms'), '{:.3f}')} | {fmt(r.get('peer_p99_ms'), '{:.3f}')} |")
    if not tp:
        w("| (no results) | | | | | | | | | |")
    w("")

    w("## Peak memory")
    w("")
    w("| Surface | What | Peak RSS MiB | Note |")
    w("|---|---|---:|---|")
    for r in mem:
        if r.get("kind") == "memory":
            what = f"client after {fmt(r.get('calls'))} calls (concurrency {fmt(r.get('concurrency'))})"
            note = f"{fmt(r.get('start_rss_mb'), '{:.1f}')} MiB before the first call"
        else:
            what = "benchmark process (SDK and peer runs)"
            note = r.get("peak_rss_source", "reported by the benchmark")
        w(f"| {r['surface']} | {what} | {fmt(r.get('peak_rss_mb'), '{:.1f}')} | {note} |")
    if not mem:
        w("| (no results) | | | |")
    w("")

    w("## Core micro-benchmarks (criterion, mean)")
    w("")
    w("| Benchmark | Mean µs | Throughput |")
    w("|---|---:|---:|")
    for r in micro:
        w(f"| {r['name']} | {r['mean_ns'] / 1000.0:,.3f} | "
          f"{fmt(r.get('mib_per_sec'), '{:,.1f} MiB/s')} |")
    if not micro:
        w("| (no results) | | |")
    w("")

    w("## Steps")
    w("")
    ran = sorted({r.get("step", r["surface"]) for r in rows})
    w(f"- Ran with results: {', '.join(ran) or 'none'}.")
    w(f"- Skipped (not in this checkout, or not selected): {skipped.replace(',', ', ') or 'none'}.")
    w(f"- Failed: {failed or 'none'}.")
    w("")
    w("The Rust loopback step compares `Client::query_himsi_state` (sign, encode, send, decode, "
      "token from the cache) with raw reqwest sending one pre-signed, pre-encoded request and only "
      "reading the answer's bytes, against the sandbox in a separate process on 127.0.0.1. "
      "`rust-transport` sends the same pre-signed request through the core's `ReqwestTransport` "
      "alone, which separates the transport layer's cost from the rest of the SDK's.")
    w("")
    return "\n".join(out)


def render_png(rows, path):
    """Grouped bars: calls per second per surface and concurrency, the peer beside each."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed in .venv (scripts/setup installs it when bench/ exists)"
    tp = [r for r in rows if is_throughput(r)]
    if not tp:
        return "no throughput results"
    labels = [f"{r['surface']}\nc={r.get('concurrency', '?')}" for r in tp]
    sdk = [r["calls_per_sec"] for r in tp]
    peer = [r.get("peer_calls_per_sec") or 0 for r in tp]
    x = range(len(tp))
    fig, ax = plt.subplots(figsize=(max(4.0, 1.3 * len(tp) + 2), 3.2), dpi=80)
    ax.bar([i - 0.2 for i in x], sdk, 0.4, label="SDK surface", color="#2b6cb0")
    ax.bar([i + 0.2 for i in x], peer, 0.4, label="peer client", color="#a0aec0")
    for i, r in enumerate(tp):
        if r.get("ratio") is not None:
            ax.text(i, max(sdk[i], peer[i]) * 1.02, f"{r['ratio']:.2f}×", ha="center", fontsize=8)
    ax.set_xticks(list(x))
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_ylabel("calls per second")
    ax.set_title("Calls per second (only the ratios are comparable)", fontsize=9)
    ax.legend(fontsize=8)
    ax.margins(y=0.12)
    fig.tight_layout()
    # A palette PNG keeps the chart far under 100 KB.
    fig.savefig(path, dpi=80, pil_kwargs={"optimize": True} if _has_pil() else None)
    plt.close(fig)
    return None


def _has_pil():
    try:
        import PIL  # noqa: F401

        return True
    except ImportError:
        return False


def cmd_render(args):
    rows = load(args.results)
    os.makedirs(args.out, exist_ok=True)
    png = os.path.join(args.out, "benchmarks.png")
    note = render_png(rows, png)
    md = render_md(rows, args.quick == "1", args.skipped.strip(), args.failed.strip(), note)
    with open(os.path.join(args.out, "benchmarks.md"), "w", encoding="utf-8") as f:
        f.write(md)
    return 0


def cmd_check(args):
    """The self-check of `bench/run --quick`: the report has its sections and a real PNG."""
    md_path = os.path.join(args.out, "benchmarks.md")
    with open(md_path, encoding="utf-8") as f:
        md = f.read()
    problems = []
    for heading in ("# Benchmarks", "**Machine:**", "Only the ratios are comparable", "## Targets",
                    "## Calls per second against the peer clients", "## Peak memory",
                    "## Core micro-benchmarks"):
        if heading not in md:
            problems.append(f"missing {heading!r}")
    if "| rust |" not in md:
        problems.append("no rust loopback row")
    png = os.path.join(args.out, "benchmarks.png")
    if "](benchmarks.png)" in md:
        with open(png, "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                problems.append("benchmarks.png is not a PNG")
        if os.path.getsize(png) > 100_000:
            problems.append("benchmarks.png is over 100 KB")
    for p in problems:
        sys.stderr.write(f"bench: report check: {p}\n")
    if not problems:
        sys.stderr.write(f"bench: report check: {md_path} is well formed\n")
    return 1 if problems else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("exec")
    e.add_argument("--step", required=True)
    e.add_argument("--results", required=True)
    e.add_argument("cmd", nargs=argparse.REMAINDER)
    c = sub.add_parser("criterion")
    c.add_argument("dir")
    r = sub.add_parser("render")
    r.add_argument("--results", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--quick", default="0")
    r.add_argument("--skipped", default="")
    r.add_argument("--failed", default="")
    k = sub.add_parser("check")
    k.add_argument("--out", required=True)
    args = p.parse_args()
    return {"exec": cmd_exec, "criterion": cmd_criterion, "render": cmd_render, "check": cmd_check}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
