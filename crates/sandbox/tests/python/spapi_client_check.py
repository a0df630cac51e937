"""Drives the sandbox with python-amazon-sp-api (PyPI `python-amazon-sp-api`), a third-party
SP-API client, pointed at the sandbox: its LWA client posts the refresh grant to the sandbox's
/auth/o2/token, its Sellers and Orders 2026-01-01 clients call the sandbox over HTTPS (trusting the
sandbox CA), and the library's own response handling parses every answer.

Usage: spapi_client_check.py BASE_URL CLIENT_ID CLIENT_SECRET REFRESH_TOKEN CREATED_AFTER
Prints one JSON object with what the library parsed.
"""

import json
import os
import ssl
import sys

from sp_api.__version__ import __version__
from sp_api.api import OrdersV20260101, Sellers
from sp_api.auth import AccessTokenClient
from sp_api.base import Marketplaces, SellingApiException

BASE, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, CREATED_AFTER = sys.argv[1:6]
JP = "A1VC38T7YXB528"


class SandboxLwa(AccessTokenClient):
    """The library's LWA client with the token endpoint moved to the sandbox."""

    scheme = BASE.split("://", 1)[0] + "://"
    host = BASE.split("://", 1)[1]


def client(cls):
    context = ssl.create_default_context(cafile=os.environ["REQUESTS_CA_BUNDLE"])
    api = cls(
        marketplace=Marketplaces.JP,
        refresh_token=REFRESH_TOKEN,
        credentials={"lwa_app_id": CLIENT_ID, "lwa_client_secret": CLIENT_SECRET},
        auth_token_client_class=SandboxLwa,
        verify=context,
    )
    # The SP-API endpoint override: the library reads it from `endpoint` on every call.
    api.endpoint = BASE
    return api


result = {"library_version": __version__}

sellers = client(Sellers)
participations = sellers.get_marketplace_participation()
result["participations"] = [p["marketplace"]["id"] for p in participations.payload]
result["store_names"] = [p.get("storeName") for p in participations.payload]
result["participations_rate_limit"] = participations.rate_limit

orders = client(OrdersV20260101)
first = orders.search_orders(
    createdAfter=CREATED_AFTER,
    marketplaceIds=[JP],
    maxResultsPerPage=10,
    includedData=["FULFILLMENT", "PROCEEDS"],
)
result["page1"] = [o["orderId"] for o in first.payload["orders"]]
result["statuses"] = sorted({o["fulfillment"]["fulfillmentStatus"] for o in first.payload["orders"]})
result["next_token"] = first.next_token is not None
second = orders.search_orders(
    createdAfter=CREATED_AFTER,
    marketplaceIds=[JP],
    maxResultsPerPage=10,
    paginationToken=first.next_token,
)
result["page2"] = [o["orderId"] for o in second.payload["orders"]]
one = orders.get_order(result["page1"][0], includedData=["RECIPIENT", "FULFILLMENT"])
result["get_order"] = one.payload["order"]["orderId"]
result["country"] = one.payload["order"].get("recipient", {}).get("deliveryAddress", {}).get("countryCode")

try:
    orders.get_order("503-0000000-0000000")
    result["missing"] = "no error"
except SellingApiException as error:
    result["missing"] = error.code
    result["missing_error"] = error.error[0]["code"]

print(json.dumps(result, ensure_ascii=False))
