#!/usr/bin/env python3
"""Turns the per-round measurements of run.sh into medians, the speed ratio and a Markdown table.

Usage: summarize.py RESULTS_DIR

RESULTS_DIR holds `round-N/` directories with `reference.json`, `sellerlink.json` (when sellerlink
ran) and `reference-https.json` (when measured) written by measure.py, and `compare.json` from
compare.py.

The ratio is conservative: sellerlink's time is its whole process (start, opening the store,
import, exit) measured from outside, while the reference's time is the import alone as the script
measured it (interpreter start-up and library import excluded).
"""

import json
import os
import statistics
import sys


def load(path):
    with open(path, encoding="utf-8") as source:
        return json.loads(source.read().strip().splitlines()[-1])


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def side(rounds, name, internal):
    """Median figures of one side; `internal` uses the script's own report for time and CPU."""
    runs = [r[name] for r in rounds if name in r]
    if not runs:
        return None
    if internal:
        seconds = [r["output"]["seconds"] for r in runs]
        cpu = [r["output"]["cpu_seconds"] for r in runs]
    else:
        seconds = [r["seconds"] for r in runs]
        cpu = [r["cpu_seconds"] for r in runs]
    orders = [r["orders"] for r in runs]
    return {
        "command": runs[0].get("command"),
        "runs": len(runs),
        "seconds": seconds,
        "median_seconds": median(seconds),
        "process_seconds": [r["seconds"] for r in runs],
        "median_cpu_seconds": median(cpu),
        "median_peak_rss_kib": median([r["peak_rss_kib"] for r in runs]),
        "median_sandbox_cpu_seconds": median([r.get("watched_cpu_seconds") for r in runs]),
        "orders": orders,
        "items": [r["items"] for r in runs],
        "median_orders_per_second": median([o / s for o, s in zip(orders, seconds, strict=True) if s]),
    }


def main(argv):
    results = argv[0]
    rounds = []
    for entry in sorted(os.listdir(results)):
        directory = os.path.join(results, entry)
        if not entry.startswith("round-") or not os.path.isdir(directory):
            continue
        found = {}
        for name in ("sellerlink", "reference", "reference-https"):
            path = os.path.join(directory, name + ".json")
            if os.path.exists(path):
                found[name] = load(path)
        comparison = load(os.path.join(directory, "compare.json"))
        if "sellerlink" in found:
            found["sellerlink"]["orders"] = comparison["sellerlink_orders"]
            found["sellerlink"]["items"] = comparison["sellerlink_items"]
        for name in ("reference", "reference-https"):
            if name in found:
                found[name]["orders"] = found[name]["output"]["orders"]
                found[name]["items"] = found[name]["output"]["items"]
        found["compare"] = comparison
        machine = os.path.join(directory, "machine.json")
        found["machine"] = load(machine) if os.path.exists(machine) else {}
        rounds.append(found)
    if not rounds:
        raise SystemExit("no round-N directories with results in {}".format(results))

    summary = {
        "rounds": len(rounds),
        "same_orders_every_round": all(r["compare"]["same_orders"] for r in rounds),
        "differences_explained": all(not r["compare"]["unexplained"] for r in rounds),
        "sellerlink": side(rounds, "sellerlink", internal=False),
        "reference": side(rounds, "reference", internal=True),
        "reference_https": side(rounds, "reference-https", internal=True),
        "machine": [r["machine"] for r in rounds],
    }
    library = rounds[0]["reference"]["output"]["library"]
    ours = summary["sellerlink"]["median_seconds"] if summary["sellerlink"] else None
    if ours:
        summary["ratio"] = round(summary["reference"]["median_seconds"] / ours, 1)
        summary["round_ratios"] = [
            round(r["reference"]["output"]["seconds"] / r["sellerlink"]["seconds"], 1)
            for r in rounds
            if r["sellerlink"]["seconds"]
        ]
        summary["median_round_ratio"] = median(summary["round_ratios"])
        if summary["reference_https"]:
            summary["ratio_https"] = round(summary["reference_https"]["median_seconds"] / ours, 1)

    rows = [("{} (process)".format(summary["sellerlink"]["command"]), summary["sellerlink"])] if ours else []
    rows.append(("{}, HTTP (import only)".format(library), summary["reference"]))
    if summary["reference_https"]:
        rows.append(("{}, HTTPS (import only)".format(library), summary["reference_https"]))
    print("| importer | orders | items | median s | runs (s) | orders/s | CPU s | peak RSS MiB | sandbox CPU s |")
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    for label, figures in rows:
        sandbox_cpu = figures["median_sandbox_cpu_seconds"]
        sandbox_cpu = "-" if sandbox_cpu is None else "{:.2f}".format(sandbox_cpu)
        print(
            "| {} | {} | {} | {:.3f} | {} | {:.0f} | {:.2f} | {:.1f} | {} |".format(
                label,
                "/".join(str(o) for o in figures["orders"]),
                "/".join(str(i) for i in figures["items"]),
                figures["median_seconds"],
                ", ".join("{:.3f}".format(s) for s in figures["seconds"]),
                figures["median_orders_per_second"],
                figures["median_cpu_seconds"],
                figures["median_peak_rss_kib"] / 1024,
                sandbox_cpu,
            )
        )
    print()
    if ours:
        print("ratio (reference median / sellerlink median): {}x".format(summary["ratio"]))
        print(
            "ratio within each round: {} (median {}x)".format(
                ", ".join("{}x".format(r) for r in summary["round_ratios"]), summary["median_round_ratio"]
            )
        )
        if summary["reference_https"]:
            print("ratio over HTTPS for the reference: {}x".format(summary["ratio_https"]))
        print("same orders as sellerlink in every round: {}".format(summary["same_orders_every_round"]))
    else:
        print("ratio: not measured (no sellerlink run)")
        print("same orders as the sandbox's view in every round: {}".format(summary["same_orders_every_round"]))
    idle = [m.get("idle_share_before") for m in summary["machine"] if m]
    if idle:
        print("CPU idle share before each round: {}".format(", ".join(str(i) for i in idle)))
    if not summary["same_orders_every_round"]:
        print("differences explained by the running sandbox clock: {}".format(summary["differences_explained"]))
    with open(os.path.join(results, "summary.json"), "w", encoding="utf-8") as out:
        json.dump(summary, out, indent=2, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
