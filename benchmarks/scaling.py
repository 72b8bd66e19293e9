"""6. Scaling: records/s at max_concurrency 1, 4, 16 and 64 with 50 ms latency.

Each level lists enough pages to run several full waves. The ideal is linear in concurrency
until the client's CPU becomes the limit. Writes ``scaling.png`` next to RESULTS.md when
matplotlib is installed.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from _harness import Section, chatapi_listing, plain_listing, sandbox

LEVELS = {1: 40, 4: 120, 16: 400, 64: 1000}
LATENCY = 0.05


def run(plot: Path | None = None) -> Section:
    section = Section(
        "6. Scaling with max_concurrency (LiveChat, 50 ms latency)",
        "records/s grows with concurrency until the CPU limits it",
    )
    rates: dict[int, float] = {}
    with sandbox("livechat", chats=25_000, seed=1, latency="50ms") as sb:
        asyncio.run(plain_listing(sb, 64, 1000))  # warm the page cache
        for level, pages in LEVELS.items():
            elapsed, records, _ = asyncio.run(chatapi_listing(sb, level, max_pages=pages))
            rates[level] = records / elapsed
            ideal = 25 * level / LATENCY
            section.add(
                f"max_concurrency={level} ({pages} pages)",
                f"{rates[level]:,.0f} records/s ({rates[level] / ideal:.0%} of {ideal:,.0f})",
            )
    if plot is not None:
        _plot(rates, plot, section)
    return section


def _plot(rates: dict[int, float], path: Path, section: Section) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        section.notes.append("(matplotlib is not installed: no plot)")
        return
    levels = sorted(rates)
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.plot(levels, [rates[x] for x in levels], marker="o", label="chatapi")
    ax.plot(levels, [25 * x / LATENCY for x in levels], linestyle="--", label="latency limit")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("max_concurrency")
    ax.set_ylabel("records/s")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    section.notes.append(f"![scaling]({path.name})")


if __name__ == "__main__":
    print(run(Path(__file__).with_name("scaling.png")).markdown())
    sys.exit(0)
