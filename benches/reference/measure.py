#!/usr/bin/env python3
"""Runs one command and reports its wall time, CPU time and peak RSS as JSON, measured from outside.

Usage: measure.py --stdout FILE [--watch-pid PID] -- COMMAND [ARGS…]

The command's stdout goes to FILE, its stderr passes through. The report (one JSON line on stdout):
`exit_code`, `seconds` (process start to exit), `cpu_seconds` (user + system of the process and
its children) and `peak_rss_kib` (the process's peak resident set size, from `wait4`), plus
`output`: FILE's last line parsed as JSON when it is JSON (the Python references print their own
report there), else null. With `--watch-pid`, `watched_cpu_seconds` is the CPU time that other
process (the sandbox) used while the command ran, read from /proc.
"""

import argparse
import json
import os
import subprocess
import sys
import time


def process_cpu_seconds(pid):
    """User + system CPU seconds of a running process (Linux /proc), or None."""
    if pid is None:
        return None
    try:
        with open("/proc/{}/stat".format(pid)) as stat:
            # Fields after the parenthesised command name; utime and stime are fields 14 and 15.
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stdout", required=True, help="file that receives the command's stdout")
    parser.add_argument("--watch-pid", type=int, help="also report this process's CPU time during the run")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("a command to run is required after --")

    watched_before = process_cpu_seconds(args.watch_pid)
    with open(args.stdout, "wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    watched_after = process_cpu_seconds(args.watch_pid)
    child.returncode = os.waitstatus_to_exitcode(status)

    output = None
    with open(args.stdout, encoding="utf-8", errors="replace") as produced:
        lines = [line for line in produced.read().splitlines() if line.strip()]
    if lines:
        try:
            output = json.loads(lines[-1])
        except ValueError:
            output = None
    report = {
        "command": os.path.basename(command[0]),
        "exit_code": child.returncode,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_kib": usage.ru_maxrss,
        "output": output,
    }
    if watched_before is not None and watched_after is not None:
        report["watched_cpu_seconds"] = round(watched_after - watched_before, 3)
    json.dump(report, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")
    return 0 if child.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
