"""``make bench``: every benchmark, one markdown report, ``benchmarks/RESULTS.md``.

Each figure is a ratio measured in this run (this machine is shared and noisy); absolute
times are context only. Exits 1 when a target was missed (the report is written anyway).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import bulk_fetch
import cpu_path
import distributed_export
import memory
import migration
import rate_limited
import scaling
import until_empty
from _harness import Section

HERE = Path(__file__).parent


def _environment() -> str:
    versions = []
    for name in ("chatapi", "aiohttp", "attrs", "cattrs", "orjson"):
        try:
            versions.append(f"{name} {md.version(name)}")
        except md.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return "\n".join(
        [
            f"- date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
            f"- machine: {platform.platform()}, {os.cpu_count()} CPUs, {platform.machine()}",
            f"- Python {platform.python_version()} ({platform.python_implementation()})",
            f"- {', '.join(versions)}",
            f"- load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate-seconds", type=float, default=30.0, help="length of run 4")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    runs: list[tuple[str, Callable[[], Section]]] = [
        ("fan-out", bulk_fetch.run),
        ("cpu", cpu_path.run),
        ("until-empty", until_empty.run),
        ("rate-limited", lambda: rate_limited.run(seconds=args.rate_seconds)),
        ("memory", memory.run),
        ("scaling", lambda: scaling.run(plot=args.output.with_name("scaling.png"))),
        ("migration", migration.run),
        ("distributed", distributed_export.run),
    ]
    started = time.perf_counter()
    sections = []
    for name, run in runs:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        section = run()
        print(section.markdown(), flush=True)
        sections.append(section)
    total = time.perf_counter() - started
    summary = ["| benchmark | target | result |", "|---|---|---|"]
    for s in sections:
        verdict = {True: "met", False: "**missed**", None: "n/a"}[s.passed]
        summary.append(f"| {s.title} | {s.target} | {verdict} |")
    report = "\n".join(
        [
            "# Benchmark results",
            "",
            "Produced by `make bench` (`benchmarks/run_all.py`); every figure is measured in "
            "this one run, against sandboxes in child processes.",
            "",
            _environment(),
            f"- total run time: {total:.0f} s",
            "",
            *summary,
            "",
            *(s.markdown() for s in sections),
        ]
    )
    args.output.write_text(report + "\n", encoding="utf-8")
    print(f"wrote {args.output} ({total:.0f} s)", file=sys.stderr)
    return 0 if all(s.passed is not False for s in sections) else 1


if __name__ == "__main__":
    sys.exit(main())
