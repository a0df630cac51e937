#!/usr/bin/env python3
"""Reference MWS order import written with python-amazon-mws 0.8.15 (PyPI `mws`).

It does what sellerlink's importer does on a connection's first import:

1. `ListOrders` by `LastUpdatedAfter` (default: 30 days back) for the seller's marketplace, then
   `ListOrdersByNextToken` until no `NextToken` is left;
2. for every order of a page, `ListOrderItems` (+ `ListOrderItemsByNextToken`), `--workers` at a time
   (sellerlink fetches 8 at a time);
3. each page's orders with their items are upserted into SQLite in one transaction
   (`reference_store.py`).

Every answer is parsed by the library itself (`.parsed`, its XML-to-dict parser). Throttled (503) and
server (500) answers are retried with a short back-off.

Usage:

    MWS_SECRET_KEY=... MWS_AUTH_TOKEN=amzn.mws.... mws_import.py --endpoint http://127.0.0.1:8480 \\
        --access-key-id AKIA... --seller-id A1B2C3D4E5F6G7 --marketplace-id A1VC38T7YXB528 \\
        --database /tmp/ref.db [--lookback-days 30 | --updated-after 2026-01-01T00:00:00Z] \\
        [--workers 8] [--ca-bundle sandbox-ca.pem]

The two secrets come from the environment, never the command line: `MWS_SECRET_KEY` (the developer's
secret key) and `MWS_AUTH_TOKEN` (the seller's MWS Auth Token).

Prints one JSON object: orders, items, pages, item_calls, retries, the window, seconds, orders per
second, CPU seconds and peak RSS.

About the endpoint. The library builds the URL as `domain + uri` and signs
`domain.replace("https://", "")` as the host. For an `https://` endpoint that is exactly Signature
Version 2, and the library is used unchanged (pass the sandbox CA with `--ca-bundle`). For a plain
`http://` endpoint it would sign `http://host:port` as the host, which no MWS server accepts, so
`HostSignedOrders` replaces `calc_signature` (and nothing else) with one that signs the URL's
`host:port`. The sandbox accepts the host with or without its port.
"""

import argparse
import base64
import concurrent.futures
import datetime
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.parse

import mws

import reference_store
import run_report

LIBRARY = "python-amazon-mws " + mws.__version__
MAX_ATTEMPTS = 8
RETRY_STATUSES = (500, 503)


class HostSignedOrders(mws.Orders):
    """`mws.Orders` signing the URL's `host[:port]` instead of `domain` minus "https://"."""

    def calc_signature(self, method, request_description):
        host = urllib.parse.urlsplit(self.domain).netloc.lower()
        string_to_sign = "\n".join([method, host, self.uri, request_description])
        digest = hmac.new(self.secret_key.encode(), string_to_sign.encode(), hashlib.sha256).digest()
        return base64.b64encode(digest)


def orders_client(args, secret_key, auth_token):
    """The library's Orders client pointed at `--endpoint`."""
    domain = args.endpoint.rstrip("/")
    scheme = urllib.parse.urlsplit(domain).scheme
    if scheme not in ("http", "https"):
        raise SystemExit("--endpoint must be an http:// or https:// URL, got {!r}".format(args.endpoint))
    client_class = mws.Orders if scheme == "https" else HostSignedOrders
    return client_class(
        args.access_key_id,
        secret_key,
        args.seller_id,
        region="JP",
        domain=domain,
        auth_token=auth_token,
    )


def as_list(node):
    """The parser gives one child as a dict and several as a list."""
    if node is None or node == "":
        return []
    return node if isinstance(node, list) else [node]


def children(node, container, name):
    """The `name` elements inside the `container` element of `node`."""
    box = node.get(container)
    if not box or isinstance(box, str):
        return []
    return as_list(box.get(name))


def leaf(node, name):
    """A child element's text (the parser returns text directly, or a dict with 'value')."""
    child = node.get(name)
    if child is None or isinstance(child, str):
        return child
    return child.get("value")


def money(node, name):
    """(amount, currency) of a Money element, or (None, None)."""
    child = node.get(name)
    if not child or isinstance(child, str):
        return None, None
    return leaf(child, "Amount"), leaf(child, "CurrencyCode")


def address_json(node):
    """The ShippingAddress element as a JSON object of its fields, or None."""
    child = node.get("ShippingAddress")
    if not child or isinstance(child, str):
        return None
    fields = {key: leaf(child, key) for key in dict.keys(child)}
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def convert_order(node, items):
    total_amount, total_currency = money(node, "OrderTotal")
    return {
        "amazon_order_id": leaf(node, "AmazonOrderId"),
        "marketplace_id": leaf(node, "MarketplaceId"),
        "status": leaf(node, "OrderStatus"),
        "fulfillment_channel": leaf(node, "FulfillmentChannel"),
        "purchase_date_ms": reference_store.millis(leaf(node, "PurchaseDate")),
        "last_update_ms": reference_store.millis(leaf(node, "LastUpdateDate")),
        "order_total_amount": total_amount,
        "order_total_currency": total_currency,
        "sales_channel": leaf(node, "SalesChannel"),
        "ship_service_level": leaf(node, "ShipServiceLevel"),
        "buyer_name": leaf(node, "BuyerName"),
        "shipping_address_json": address_json(node),
        "payment_method": leaf(node, "PaymentMethod"),
        "latest_ship_date_ms": reference_store.millis(leaf(node, "LatestShipDate")),
        "items": items,
    }


def convert_item(node):
    item_amount, item_currency = money(node, "ItemPrice")
    shipping_amount, shipping_currency = money(node, "ShippingPrice")
    return {
        "order_item_id": leaf(node, "OrderItemId"),
        "asin": leaf(node, "ASIN"),
        "sku": leaf(node, "SellerSKU"),
        "title": leaf(node, "Title"),
        "quantity_ordered": int(leaf(node, "QuantityOrdered") or 0),
        "quantity_shipped": int(leaf(node, "QuantityShipped") or 0),
        "item_price_amount": item_amount,
        "item_price_currency": item_currency,
        "shipping_price_amount": shipping_amount,
        "shipping_price_currency": shipping_currency,
    }


class Importer:
    def __init__(self, client, marketplace_id, workers):
        self.client = client
        self.marketplace_id = marketplace_id
        self.workers = workers
        self.pages = 0
        self.item_calls = 0
        self.retries = 0

    def call(self, operation, **kwargs):
        """Calls a library operation, retrying 500/503 answers (throttling included); returns (parsed, retries)."""
        retries = 0
        while True:
            try:
                return operation(**kwargs).parsed, retries
            except mws.MWSError as error:
                status = error.response.status_code if error.response is not None else None
                if status not in RETRY_STATUSES or retries + 1 >= MAX_ATTEMPTS:
                    raise
                retries += 1
                time.sleep(min(0.05 * 2**retries, 2.0))

    def order_items(self, order_id):
        """Every item of one order: (items, calls, retries)."""
        parsed, retries = self.call(self.client.list_order_items, amazon_order_id=order_id)
        calls = 1
        nodes = children(parsed, "OrderItems", "OrderItem")
        token = leaf(parsed, "NextToken")
        while token:
            parsed, more = self.call(self.client.list_order_items, next_token=token)
            calls += 1
            retries += more
            nodes.extend(children(parsed, "OrderItems", "OrderItem"))
            token = leaf(parsed, "NextToken")
        return [convert_item(n) for n in nodes], calls, retries

    def run(self, store, updated_after):
        """Imports every page; returns the window's upper bound as Amazon echoed it."""
        parsed, retries = self.call(
            self.client.list_orders,
            marketplaceids=[self.marketplace_id],
            lastupdatedafter=updated_after,
        )
        self.retries += retries
        upper_bound = leaf(parsed, "LastUpdatedBefore")
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.workers) as pool:
            # One worker: plain calls in this thread, as a sequential script would make them.
            fan_out = pool.map if self.workers > 1 else map
            while True:
                self.pages += 1
                order_nodes = children(parsed, "Orders", "Order")
                ids = [leaf(n, "AmazonOrderId") for n in order_nodes]
                fetched = list(fan_out(self.order_items, ids))
                page = []
                for node, (items, calls, retries) in zip(order_nodes, fetched, strict=True):
                    self.item_calls += calls
                    self.retries += retries
                    page.append(convert_order(node, items))
                if page:
                    store.write_page(page)
                token = leaf(parsed, "NextToken")
                if not token:
                    return upper_bound
                parsed, retries = self.call(self.client.list_orders, next_token=token)
                self.retries += retries


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Reference MWS order import with python-amazon-mws.")
    parser.add_argument("--endpoint", required=True, help="MWS base URL, e.g. http://127.0.0.1:8480")
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--seller-id", required=True)
    parser.add_argument("--marketplace-id", required=True)
    parser.add_argument("--database", required=True, help="SQLite file (created if missing)")
    window = parser.add_mutually_exclusive_group()
    window.add_argument("--lookback-days", type=float, default=30.0)
    window.add_argument("--updated-after", help="RFC 3339 instant, e.g. 2026-01-01T00:00:00Z")
    parser.add_argument("--workers", type=int, default=8, help="ListOrderItems calls in flight (default 8)")
    parser.add_argument("--ca-bundle", help="CA file to trust for an https:// endpoint (sets REQUESTS_CA_BUNDLE)")
    return parser.parse_args(argv)


def required_env(name, what):
    value = os.environ.get(name, "").strip()
    if not value:
        raise SystemExit("the environment variable {} ({}) is required".format(name, what))
    return value


def main(argv):
    args = parse_args(argv)
    secret_key = required_env("MWS_SECRET_KEY", "the developer's secret key")
    auth_token = required_env("MWS_AUTH_TOKEN", "the seller's MWS Auth Token")
    if args.workers < 1:
        raise SystemExit("--workers must be at least 1")
    if args.ca_bundle:
        os.environ["REQUESTS_CA_BUNDLE"] = args.ca_bundle
    if args.updated_after:
        updated_after = args.updated_after
    else:
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        since = now - datetime.timedelta(days=args.lookback_days)
        updated_after = since.strftime("%Y-%m-%dT%H:%M:%SZ")

    clock = run_report.RunClock()
    store = reference_store.ReferenceStore(args.database)
    importer = Importer(orders_client(args, secret_key, auth_token), args.marketplace_id, args.workers)
    try:
        upper_bound = importer.run(store, updated_after)
    except Exception as error:
        run_report.fail(error, (secret_key, auth_token))
    orders, items = store.counts()
    store.close()
    run_report.emit(
        clock.report(
            importer="mws_import.py",
            library=LIBRARY,
            endpoint=args.endpoint,
            workers=args.workers,
            orders=orders,
            items=items,
            pages=importer.pages,
            item_calls=importer.item_calls,
            retries=importer.retries,
            last_updated_after=updated_after,
            last_updated_before=upper_bound,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
