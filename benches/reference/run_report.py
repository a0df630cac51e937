"""Wall time, CPU time and peak memory of one reference import, printed as one JSON object."""

import json
import re
import resource
import sys
import time


class RunClock:
    """Started when the import starts (after the interpreter and the library are loaded)."""

    def __init__(self):
        self._wall = time.perf_counter()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self._cpu = usage.ru_utime + usage.ru_stime

    def report(self, **fields):
        """`fields` plus seconds, orders_per_second, cpu_seconds and peak_rss_kib.

        `cpu_seconds` is this process's user + system time during the import; `peak_rss_kib` is the
        process's peak resident set size (Linux reports `ru_maxrss` in KiB), interpreter included.
        """
        seconds = time.perf_counter() - self._wall
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime - self._cpu
        orders = fields.get("orders", 0)
        out = dict(fields)
        out.update(
            seconds=round(seconds, 3),
            orders_per_second=round(orders / seconds, 1) if seconds > 0 else None,
            cpu_seconds=round(cpu, 3),
            peak_rss_kib=usage.ru_maxrss,
        )
        return out


def emit(report):
    """Prints the report as one line of JSON on stdout."""
    json.dump(report, sys.stdout, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")
    sys.stdout.flush()


def fail(error, secrets):
    """Ends the process after an import error, with every secret and query-string signature masked.

    Library errors may quote the request URL (MWS puts the MWS Auth Token and the signature in the
    query string), so the message is redacted before it is printed; no traceback is shown.
    """
    message = "{}: {}".format(type(error).__name__, error)
    for secret in secrets:
        if secret:
            message = message.replace(secret, "[redacted]")
    message = re.sub(r"(MWSAuthToken|Signature|AWSAccessKeyId)=[^&\s'\"]*", r"\1=[redacted]", message)
    sys.stderr.write("import failed: {}\n".format(message))
    sys.exit(1)
