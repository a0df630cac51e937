#!/usr/bin/env python3
"""Reference SP-API order import written with python-amazon-sp-api (PyPI `python-amazon-sp-api`, module `sp_api`).

It uses the library's Orders API **2026-01-01** client (`OrdersV20260101`, what
`sp_api.api.Orders(version="2026-01-01")` returns), the same API sellerlink's SP-API client reads:

1. an LWA access token from the refresh token (the library's `AccessTokenClient`, cached by it);
2. `searchOrders` by `lastUpdatedAfter` (default: 30 days back) with
   `includedData=FULFILLMENT,PROCEEDS,RECIPIENT,BUYER,PAYMENT` and 100 orders a page, following
   `pagination.nextToken` (sent back as `paginationToken` with the same filters) until it is absent;
3. items come with each order (`orderItems`); an order listed without them is read with
   `getOrder` (`--workers` at a time);
4. each page's orders with their items are upserted into SQLite in one transaction
   (`reference_store.py`, the same tables as the MWS reference).

Throttled (429), 500 and 503 answers are retried with a short back-off.

Usage:

    LWA_CLIENT_SECRET=... SP_API_REFRESH_TOKEN='Atzr|...' spapi_import.py --endpoint https://127.0.0.1:8443 \\
        --lwa-endpoint https://127.0.0.1:8443/auth/o2/token --client-id amzn1.application-oa2-client.... \\
        --marketplace-id A1VC38T7YXB528 --database /tmp/ref-spapi.db \\
        [--lookback-days 30 | --updated-after 2026-01-01T00:00:00Z] [--workers 8] [--ca-bundle sandbox-ca.pem]

The two secrets come from the environment, never the command line: `LWA_CLIENT_SECRET` and
`SP_API_REFRESH_TOKEN` (the seller's refresh token).

Pointing the library at another server, with what the library offers:

* **LWA**: the `Client` constructor takes `auth_token_client_class`; `token_client_for(url)` gives
  it a subclass of the library's `AccessTokenClient` whose `scheme`, `host` and `path` (the three
  class attributes the library joins into the token URL) come from `--lwa-endpoint`.
* **SP-API**: a client reads its base URL from `self.endpoint` (set from the marketplace at
  construction), so `SandboxOrders` sets it from `--endpoint`. The library also sends a `host`
  header computed as `endpoint[8:]`, which is right only for `https://` URLs; `SandboxOrders`
  computes it from the URL instead, so an `http://` endpoint works too. Nothing else is changed.
* **TLS**: `verify=` (the library hands it to httpx) takes the sandbox's CA file (`--ca-bundle`).
"""

import argparse
import concurrent.futures
import datetime
import decimal
import json
import os
import sys
import time
import urllib.parse

from sp_api.api import OrdersV20260101
from sp_api.auth import AccessTokenClient
from sp_api.base import Marketplaces
from sp_api.base.exceptions import (
    SellingApiRequestThrottledException,
    SellingApiServerException,
    SellingApiTemporarilyUnavailableException,
)

try:
    from importlib.metadata import version as _package_version

    LIBRARY = "python-amazon-sp-api " + _package_version("python-amazon-sp-api")
except Exception:  # the version is only reported, never needed
    LIBRARY = "python-amazon-sp-api"

import reference_store
import run_report

INCLUDED_DATA = ["FULFILLMENT", "PROCEEDS", "RECIPIENT", "BUYER", "PAYMENT"]
PAGE_SIZE = 100
MAX_ATTEMPTS = 8
RETRYABLE = (
    SellingApiRequestThrottledException,
    SellingApiServerException,
    SellingApiTemporarilyUnavailableException,
)

STATUS_NAMES = {
    "PENDING_AVAILABILITY": "PendingAvailability",
    "PENDING": "Pending",
    "UNSHIPPED": "Unshipped",
    "PARTIALLY_SHIPPED": "PartiallyShipped",
    "SHIPPED": "Shipped",
    "CANCELLED": "Canceled",
    "UNFULFILLABLE": "Unfulfillable",
}
CHANNELS = {"MERCHANT": "MFN", "AMAZON": "AFN"}


def token_client_for(url):
    """The library's LWA client class, posting to `url` instead of https://api.amazon.com/auth/o2/token."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SystemExit("--lwa-endpoint must be an http:// or https:// URL, got {!r}".format(url))

    class SandboxTokenClient(AccessTokenClient):
        scheme = parts.scheme + "://"
        host = parts.netloc
        path = parts.path or "/auth/o2/token"

    return SandboxTokenClient


class SandboxOrders(OrdersV20260101):
    """The library's Orders 2026-01-01 client with its base URL (and `host` header) taken from `endpoint`."""

    def __init__(self, endpoint, **kwargs):
        super().__init__(**kwargs)
        self.endpoint = endpoint.rstrip("/")

    @property
    def headers(self):
        headers = super().headers
        headers["host"] = urllib.parse.urlsplit(self.endpoint).netloc
        return headers


def money(value):
    """(amount, currency) of a Money object, or (None, None)."""
    if not value:
        return None, None
    return value.get("amount"), value.get("currencyCode")


def breakdown(item, kind):
    """(amount, currency) of an item's proceeds breakdown of `kind` (ITEM, SHIPPING …)."""
    for part in (item.get("proceeds") or {}).get("breakdowns") or []:
        if str(part.get("type", "")).upper() == kind:
            return money(part.get("subtotal"))
    return None, None


def convert_item(item):
    product = item.get("product") or {}
    amount, currency = breakdown(item, "ITEM")
    if amount is None:
        unit_amount, unit_currency = money((product.get("price") or {}).get("unitPrice"))
        if unit_amount is not None:
            # Decimal text × quantity, as sellerlink does when there is no ITEM breakdown.
            amount = str(decimal.Decimal(unit_amount) * int(item.get("quantityOrdered") or 0))
            currency = unit_currency
    shipping_amount, shipping_currency = breakdown(item, "SHIPPING")
    return {
        "order_item_id": item.get("orderItemId"),
        "asin": product.get("asin"),
        "sku": product.get("sellerSku"),
        "title": product.get("title"),
        "quantity_ordered": int(item.get("quantityOrdered") or 0),
        "quantity_shipped": int((item.get("fulfillment") or {}).get("quantityFulfilled") or 0),
        "item_price_amount": amount,
        "item_price_currency": currency,
        "shipping_price_amount": shipping_amount,
        "shipping_price_currency": shipping_currency,
    }


def convert_order(order):
    fulfillment = order.get("fulfillment") or {}
    channel = order.get("salesChannel") or {}
    total_amount, total_currency = money((order.get("proceeds") or {}).get("grandTotal"))
    address = (order.get("recipient") or {}).get("deliveryAddress")
    payment_method = None
    for execution in (order.get("payment") or {}).get("paymentExecutions") or []:
        if execution.get("paymentMethod"):
            payment_method = execution["paymentMethod"]
            break
    status = fulfillment.get("fulfillmentStatus")
    return {
        "amazon_order_id": order.get("orderId"),
        "marketplace_id": channel.get("marketplaceId"),
        "status": STATUS_NAMES.get(status, status),
        "fulfillment_channel": CHANNELS.get(fulfillment.get("fulfilledBy")),
        "purchase_date_ms": reference_store.millis(order.get("createdTime")),
        "last_update_ms": reference_store.millis(order.get("lastUpdatedTime")),
        "order_total_amount": total_amount,
        "order_total_currency": total_currency,
        "sales_channel": channel.get("marketplaceName"),
        "ship_service_level": fulfillment.get("fulfillmentServiceLevel"),
        "buyer_name": (order.get("buyer") or {}).get("buyerName"),
        "shipping_address_json": json.dumps(address, ensure_ascii=False, sort_keys=True) if address else None,
        "payment_method": payment_method,
        "latest_ship_date_ms": reference_store.millis((fulfillment.get("shipByWindow") or {}).get("latestDateTime")),
        "items": [convert_item(i) for i in order.get("orderItems") or []],
    }


class Importer:
    def __init__(self, client, marketplace_id, workers):
        self.client = client
        self.marketplace_id = marketplace_id
        self.workers = workers
        self.pages = 0
        self.get_order_calls = 0
        self.retries = 0

    def call(self, operation, *args, **kwargs):
        """Calls a library operation, retrying throttled and server errors; returns (response, retries)."""
        retries = 0
        while True:
            try:
                return operation(*args, **kwargs), retries
            except RETRYABLE:
                if retries + 1 >= MAX_ATTEMPTS:
                    raise
                retries += 1
                time.sleep(min(0.05 * 2**retries, 2.0))

    def full_order(self, order):
        """`order` itself when it carries its items, else the order `getOrder` returns: (order, calls, retries)."""
        if order.get("orderItems"):
            return order, 0, 0
        response, retries = self.call(self.client.get_order, order["orderId"], includedData=",".join(INCLUDED_DATA))
        return response.payload.get("order") or order, 1, retries

    def run(self, store, updated_after):
        """Imports every page; returns the window's upper bound as Amazon echoed it."""
        query = dict(
            lastUpdatedAfter=updated_after,
            marketplaceIds=[self.marketplace_id],
            includedData=list(INCLUDED_DATA),
            maxResultsPerPage=PAGE_SIZE,
        )
        response, retries = self.call(self.client.search_orders, **dict(query))
        self.retries += retries
        upper_bound = response.payload.get("lastUpdatedBefore")
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.workers) as pool:
            # One worker: plain calls in this thread, as a sequential script would make them.
            fan_out = pool.map if self.workers > 1 else map
            while True:
                self.pages += 1
                fetched = list(fan_out(self.full_order, response.payload.get("orders") or []))
                page = []
                for order, calls, retries in fetched:
                    self.get_order_calls += calls
                    self.retries += retries
                    page.append(convert_order(order))
                if page:
                    store.write_page(page)
                token = response.next_token
                if not token:
                    return upper_bound
                response, retries = self.call(self.client.search_orders, paginationToken=token, **dict(query))
                self.retries += retries


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Reference SP-API order import with python-amazon-sp-api.")
    parser.add_argument("--endpoint", required=True, help="SP-API base URL, e.g. https://127.0.0.1:8443")
    parser.add_argument(
        "--lwa-endpoint", required=True, help="LWA token URL, e.g. https://127.0.0.1:8443/auth/o2/token"
    )
    parser.add_argument("--client-id", required=True, help="LWA client id of the application")
    parser.add_argument("--marketplace-id", required=True)
    parser.add_argument("--database", required=True, help="SQLite file (created if missing)")
    window = parser.add_mutually_exclusive_group()
    window.add_argument("--lookback-days", type=float, default=30.0)
    window.add_argument("--updated-after", help="RFC 3339 instant, e.g. 2026-01-01T00:00:00Z")
    parser.add_argument("--workers", type=int, default=8, help="getOrder calls in flight when a page lacks items")
    parser.add_argument("--ca-bundle", help="CA file to trust for https:// endpoints")
    return parser.parse_args(argv)


def marketplace_for(marketplace_id):
    for marketplace in Marketplaces:
        if marketplace.marketplace_id == marketplace_id:
            return marketplace
    raise SystemExit("--marketplace-id {!r} is not a marketplace the library knows".format(marketplace_id))


def required_env(name, what):
    value = os.environ.get(name, "").strip()
    if not value:
        raise SystemExit("the environment variable {} ({}) is required".format(name, what))
    return value


def main(argv):
    args = parse_args(argv)
    client_secret = required_env("LWA_CLIENT_SECRET", "the application's LWA client secret")
    refresh_token = required_env("SP_API_REFRESH_TOKEN", "the seller's LWA refresh token")
    if args.workers < 1:
        raise SystemExit("--workers must be at least 1")
    if args.updated_after:
        updated_after = args.updated_after
    else:
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        since = now - datetime.timedelta(days=args.lookback_days)
        updated_after = since.strftime("%Y-%m-%dT%H:%M:%SZ")

    clock = run_report.RunClock()
    client = SandboxOrders(
        args.endpoint,
        marketplace=marketplace_for(args.marketplace_id),
        refresh_token=refresh_token,
        credentials=dict(lwa_app_id=args.client_id, lwa_client_secret=client_secret),
        verify=args.ca_bundle or True,
        auth_token_client_class=token_client_for(args.lwa_endpoint),
    )
    store = reference_store.ReferenceStore(args.database)
    importer = Importer(client, args.marketplace_id, args.workers)
    try:
        upper_bound = importer.run(store, updated_after)
    except Exception as error:
        run_report.fail(error, (client_secret, refresh_token))
    finally:
        client.close()
    orders, items = store.counts()
    store.close()
    run_report.emit(
        clock.report(
            importer="spapi_import.py",
            library=LIBRARY,
            api="Orders 2026-01-01 (searchOrders, getOrder)",
            endpoint=args.endpoint,
            workers=args.workers,
            orders=orders,
            items=items,
            pages=importer.pages,
            get_order_calls=importer.get_order_calls,
            retries=importer.retries,
            last_updated_after=updated_after,
            last_updated_before=upper_bound,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
