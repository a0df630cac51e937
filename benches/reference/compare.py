#!/usr/bin/env python3
"""Checks that sellerlink and a Python reference imported the same orders from the same sandbox.

Usage: compare.py [--sellerlink-db FILE] --reference-db FILE --reference-report FILE \\
           --sandbox URL --seller-id ID --lookback-days 30

Without `--sellerlink-db` the reference is checked against the sandbox's own view instead
(`GET /_sandbox/sellers/{id}/orders`): every order whose LastUpdateDate lies in the reference's
window must have been imported with all its items, and an imported order outside the window is
accepted only when it changed after the window's upper bound.

Order dates are shown in whole seconds while the window's bounds have milliseconds, so an order
shown in the second just before an upper bound may lie on either side of it: such orders are
neither required nor refused.

Both imports ran against the same running sandbox one after the other, each with its own window
(LastUpdatedAfter = its start − lookback, LastUpdatedBefore = what the sandbox echoed). The
sandbox's clock runs, so an order may change, or cross a window edge, between the two runs. The
order ids are compared; an id only one side has is accepted when the sandbox's current view of
the order explains it:

* its LastUpdateDate is after the earlier of the two upper bounds, or in the second before it (it
  changed, or entered the window, between the runs), or
* its LastUpdateDate is at or before the later of the two lower bounds (plus 5 s for start-up):
  it left the 30-day window between the runs.

For orders both sides hold with the same LastUpdateDate (unchanged between the runs), every stored
field of the order and of its items must be equal; the shipping address is compared as a set of
fields (sellerlink stores snake_case keys, the MWS reference the XML element names). Prints one
JSON line; exits 1 when the imports disagree in a way the moving clock does not explain.
"""

import argparse
import json
import re
import sqlite3
import sys
import urllib.request

import reference_store

DAY_MS = 86_400_000
START_SLACK_MS = 5_000
# Dates are rendered in whole seconds, the bounds in milliseconds.
DATE_PRECISION_MS = 1_000


ORDER_FIELDS = [c for c in reference_store.ORDER_COLUMNS if c != "amazon_order_id"]
ITEM_FIELDS = [c for c in reference_store.ITEM_COLUMNS if c not in ("amazon_order_id", "order_item_id")]


def rows(db, sql):
    """{order id: (order fields, {item id: item fields})}"""
    found = {}
    for row in db.execute("SELECT amazon_order_id, {} FROM orders".format(", ".join(ORDER_FIELDS))):
        found[row[0]] = (dict(zip(ORDER_FIELDS, row[1:], strict=True)), {})
    for row in db.execute(sql.format(", ".join(ITEM_FIELDS))):
        if row[0] in found:
            found[row[0]][1][row[1]] = dict(zip(ITEM_FIELDS, row[2:], strict=True))
    return found


def address_fields(text):
    """An address JSON object as {snake_case key: value}, without empty values and the MWS-only AddressType."""
    if text is None:
        return None
    fields = {}
    for key, value in json.loads(text).items():
        snake = re.sub(r"(?<=[a-z])(?=[A-Z0-9])", "_", key).lower()
        if value not in (None, "") and snake != "address_type":
            fields[snake] = value
    return fields


def field_mismatches(ours, theirs):
    """'order/field' or 'order/item/field' for every differing value of orders unchanged between the runs."""
    mismatches = []
    for order_id in sorted(set(ours) & set(theirs)):
        (our_order, our_items), (their_order, their_items) = ours[order_id], theirs[order_id]
        if our_order["last_update_ms"] != their_order["last_update_ms"]:
            continue
        for field in ORDER_FIELDS:
            a, b = our_order[field], their_order[field]
            if field == "shipping_address_json":
                a, b = address_fields(a), address_fields(b)
            if a != b:
                mismatches.append("{}/{}".format(order_id, field))
        for item_id in sorted(set(our_items) | set(their_items)):
            a, b = our_items.get(item_id), their_items.get(item_id)
            if a is None or b is None:
                mismatches.append("{}/{}".format(order_id, item_id))
                continue
            mismatches.extend("{}/{}/{}".format(order_id, item_id, f) for f in ITEM_FIELDS if a[f] != b[f])
    return mismatches


def sellerlink_side(path, lookback_days):
    db = sqlite3.connect("file:{}?mode=ro".format(path), uri=True)
    items = dict(
        db.execute(
            "SELECT o.amazon_order_id, count(i.order_item_id) FROM orders o "
            "LEFT JOIN order_items i ON i.connection_id = o.connection_id AND i.amazon_order_id = o.amazon_order_id "
            "GROUP BY o.connection_id, o.amazon_order_id"
        ).fetchall()
    )
    full = rows(db, "SELECT amazon_order_id, order_item_id, {} FROM order_items")
    started = db.execute("SELECT max(started_at_ms) FROM sync_runs WHERE outcome = 'ok'").fetchone()[0]
    upper = db.execute("SELECT max(last_updated_after_ms) FROM sync_watermarks").fetchone()[0]
    db.close()
    lower = started - int(lookback_days * DAY_MS) if started is not None else None
    return items, full, lower, upper


def reference_side(path, report_path):
    db = sqlite3.connect("file:{}?mode=ro".format(path), uri=True)
    items = dict(
        db.execute(
            "SELECT o.amazon_order_id, count(i.order_item_id) FROM orders o "
            "LEFT JOIN order_items i ON i.amazon_order_id = o.amazon_order_id GROUP BY o.amazon_order_id"
        ).fetchall()
    )
    full = rows(db, "SELECT amazon_order_id, order_item_id, {} FROM order_items")
    db.close()
    with open(report_path, encoding="utf-8") as report_file:
        report = json.loads(report_file.read().strip().splitlines()[-1])
    lower = reference_store.millis(report["last_updated_after"])
    upper = reference_store.millis(report["last_updated_before"])
    return items, full, lower, upper


def sandbox_orders(sandbox, seller_id):
    """{order id: (last update ms, item count)} as the sandbox sees its orders now."""
    url = "{}/_sandbox/sellers/{}/orders".format(sandbox.rstrip("/"), seller_id)
    with urllib.request.urlopen(url, timeout=60) as answer:
        body = json.load(answer)
    orders = body["orders"] if isinstance(body, dict) else body
    return {o["amazon_order_id"]: (reference_store.millis(o["last_update_date"]), len(o["items"])) for o in orders}


def against_sandbox(args):
    """The reference's orders against the sandbox's view of the reference's window."""
    theirs, _, lower, upper = reference_side(args.reference_db, args.reference_report)
    view = sandbox_orders(args.sandbox, args.seller_id)
    expected = {o: items for o, (updated, items) in view.items() if lower <= updated <= upper}
    # Orders shown in the last second before the upper bound may lie after it.
    either = {o for o, (updated, _) in view.items() if upper - DATE_PRECISION_MS < updated <= upper}
    missing = sorted(set(expected) - set(theirs))
    extra = sorted(set(theirs) - set(expected))
    unexplained = [o for o in missing if o not in either]
    unexplained += [o for o in extra if o not in view or view[o][0] <= upper - DATE_PRECISION_MS]
    item_mismatches = sorted(o for o in set(expected) & set(theirs) if expected[o] != theirs[o])
    return {
        "sandbox_orders": len(expected),
        "reference_orders": len(theirs),
        "sandbox_items": sum(expected.values()),
        "reference_items": sum(theirs.values()),
        "same_orders": not missing and not extra,
        "only_sandbox": missing,
        "only_reference": extra,
        "unexplained": unexplained,
        "item_count_mismatches": item_mismatches,
    }


def main(argv):
    parser = argparse.ArgumentParser(description="Compare sellerlink's and a reference's imported orders.")
    parser.add_argument("--sellerlink-db", help="sellerlink's SQLite file (default: check against the sandbox)")
    parser.add_argument("--reference-db", required=True)
    parser.add_argument("--reference-report", required=True, help="the reference's JSON report")
    parser.add_argument("--sandbox", required=True, help="the sandbox's base URL")
    parser.add_argument("--seller-id", required=True)
    parser.add_argument("--lookback-days", type=float, default=30.0)
    args = parser.parse_args(argv)
    if not args.sellerlink_db:
        result = against_sandbox(args)
        json.dump(result, sys.stdout, sort_keys=True)
        sys.stdout.write("\n")
        return 1 if result["unexplained"] or result["item_count_mismatches"] else 0

    ours, our_rows, our_lower, our_upper = sellerlink_side(args.sellerlink_db, args.lookback_days)
    theirs, their_rows, their_lower, their_upper = reference_side(args.reference_db, args.reference_report)
    only_ours = sorted(set(ours) - set(theirs))
    only_theirs = sorted(set(theirs) - set(ours))
    unexplained = []
    if only_ours or only_theirs:
        last_updates = {o: updated for o, (updated, _) in sandbox_orders(args.sandbox, args.seller_id).items()}
        earlier_upper = min(bound for bound in (our_upper, their_upper) if bound is not None)
        later_lower = max(bound for bound in (our_lower, their_lower) if bound is not None) + START_SLACK_MS
        for order_id in only_ours + only_theirs:
            updated = last_updates.get(order_id)
            if updated is None or not (updated > earlier_upper - DATE_PRECISION_MS or updated <= later_lower):
                unexplained.append(order_id)
    item_mismatches = sorted(o for o in set(ours) & set(theirs) if ours[o] != theirs[o])
    mismatched_fields = field_mismatches(our_rows, their_rows)
    result = {
        "sellerlink_orders": len(ours),
        "reference_orders": len(theirs),
        "sellerlink_items": sum(ours.values()),
        "reference_items": sum(theirs.values()),
        "same_orders": not only_ours and not only_theirs,
        "only_sellerlink": only_ours,
        "only_reference": only_theirs,
        "unexplained": unexplained,
        "item_count_mismatches": item_mismatches,
        "field_mismatches": mismatched_fields[:50],
        "field_mismatch_count": len(mismatched_fields),
    }
    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")
    return 1 if unexplained or item_mismatches or mismatched_fields else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
