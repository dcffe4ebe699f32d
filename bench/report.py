"""The benchmark's tables in Markdown, as README's "Performance at 100,000 deals" shows them.

    python3 bench/report.py     # prints the tables of every bench/results-<db>-<mode>.json there is

Targets: with the whole-response cache off, p50 at most Datasette's and p95 under 100 ms (a whole-table or
whole-graph export is held to the ratio only); with it warm, p50 at most a fifth of Datasette's.
"""

import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ORDER = [(database, mode) for database in ("sqlite", "postgresql") for mode in ("off", "warm")]
P95_LIMIT_MS = 100
RATIO_LIMIT = {"off": 1.0, "warm": 0.2}
TITLES = {"off": "cache off (PAGE_CACHE_SECONDS=0)", "warm": "cache warm"}


def verdict(row: dict, mode: str) -> str:
    ours, theirs = row["ours"], row["datasette"]
    if not 200 <= ours["status"] < 300:
        return f"**failed: {ours['status']}**"
    if not 200 <= theirs["status"] < 300:
        return f"Datasette failed: {theirs['status']}"
    misses = []
    if ours["p50_ms"] > RATIO_LIMIT[mode] * theirs["p50_ms"]:
        misses.append(f"p50 > {RATIO_LIMIT[mode]:g}×")
    if mode == "off" and not row["export"] and ours["p95_ms"] >= P95_LIMIT_MS:
        misses.append(f"p95 ≥ {P95_LIMIT_MS} ms")
    return "✗ " + ", ".join(misses) if misses else "✓"


def markdown(result: dict) -> str:
    mode, rows = result["mode"], result["endpoints"]
    machine = result["machine"]
    verdicts = [verdict(row, mode) for row in rows]
    met = sum(mark == "✓" for mark in verdicts)
    lines = [
        f"**{machine['database']}, {TITLES[mode]}**: {met} of {len(rows)} URLs meet the target "
        f"({result['measured_at']}, commit {machine['commit']}, gunicorn {result['workers']} workers, "
        f"{result['requests_per_url']} requests per URL, {result['requests_per_export']} per export, "
        f"load average {machine['load_average']} at the end)",
        "",
        "| endpoint | p50 ms | p95 ms | Datasette p50 | ÷ Datasette | target |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row, mark in zip(rows, verdicts, strict=True):
        ours, theirs = row["ours"], row["datasette"]
        name = row["endpoint"] + (f" ({row['export']} export)" if row["export"] else "")
        ratio = ours["p50_ms"] / theirs["p50_ms"] if theirs["p50_ms"] else float("nan")
        lines.append(
            f"| {name} | {ours['p50_ms']:.1f} | {ours['p95_ms']:.1f} | {theirs['p50_ms']:.1f} | {ratio:.2f} | {mark} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    found = [BENCH / f"results-{database}-{mode}.json" for database, mode in ORDER]
    found = [path for path in found if path.exists()]
    if not found:
        sys.exit("No bench/results-*.json yet: run `make bench` (or bench/run.py) first.")
    print("\n".join(markdown(json.loads(path.read_text())) for path in found))


if __name__ == "__main__":
    main()
