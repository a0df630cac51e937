"""Drive the sellerlink sandbox with a third-party MWS client: python-amazon-mws 0.8.15 (PyPI `mws`).

Usage: mws_client_check.py BASE_URL ACCESS_KEY SECRET_KEY SELLER_ID MWS_AUTH_TOKEN MARKETPLACE_ID SKU

BASE_URL is the sandbox's HTTPS URL. The library signs the host as `domain` minus "https://", so it
must talk HTTPS (for an http:// domain it would sign "http://host" and Amazon, like the sandbox,
would refuse the signature). Set REQUESTS_CA_BUNDLE to the sandbox's CA file.

Prints one JSON object describing what the library parsed; the Rust test checks it.
"""

import datetime
import json
import sys

import mws
import requests


def as_list(value):
    if value is None:
        return []
    # One element parses to a dict, several to a list.
    return value if isinstance(value, list) else [value]


def text(node, name):
    # The library returns a leaf's text directly, and a node with attributes as a dict.
    child = node.get(name)
    if child is None or isinstance(child, str):
        return child
    return child.get("value")


def main():
    base, access, secret, seller, token, marketplace, sku = sys.argv[1:8]
    out = {"library_version": mws.__version__}

    sellers = mws.Sellers(access, secret, seller, region="JP", domain=base, auth_token=token)
    parsed = sellers.list_marketplace_participations().parsed
    out["participations"] = [text(p, "MarketplaceId") for p in as_list(parsed.ListParticipations.get("Participation"))]
    out["marketplace_names"] = [text(m, "Name") for m in as_list(parsed.ListMarketplaces.get("Marketplace"))]

    orders = mws.Orders(access, secret, seller, region="JP", domain=base, auth_token=token)
    since = datetime.datetime.utcnow().replace(microsecond=0) - datetime.timedelta(days=20)
    first = orders.list_orders(marketplaceids=[marketplace], created_after=since, max_results="25").parsed
    page1 = [text(o, "AmazonOrderId") for o in as_list(first.Orders.get("Order"))]
    out["page1"] = page1
    out["created_before"] = text(first, "CreatedBefore")
    next_token = text(first, "NextToken")
    out["page2"] = []
    if next_token:
        second = orders.list_orders(next_token=next_token).parsed
        out["page2"] = [text(o, "AmazonOrderId") for o in as_list(second.Orders.get("Order"))]

    one = orders.get_order([page1[0]]).parsed
    out["get_order"] = [text(o, "AmazonOrderId") for o in as_list(one.Orders.get("Order"))]
    items = orders.list_order_items(amazon_order_id=page1[0]).parsed
    out["items"] = [text(i, "OrderItemId") for i in as_list(items.OrderItems.get("OrderItem"))]
    out["service_status"] = text(orders.get_service_status().parsed, "Status")

    feeds = mws.Feeds(access, secret, seller, region="JP", domain=base, auth_token=token)
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">'
        "<Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>%s</MerchantIdentifier></Header>"
        "<MessageType>Inventory</MessageType>"
        "<Message><MessageID>1</MessageID><OperationType>Update</OperationType>"
        "<Inventory><SKU>%s</SKU><Quantity>17</Quantity></Inventory></Message>"
        "</AmazonEnvelope>" % (seller, sku)
    ).encode("utf-8")
    submitted = feeds.submit_feed(feed, "_POST_INVENTORY_AVAILABILITY_DATA_").parsed
    feed_id = text(submitted.FeedSubmissionInfo, "FeedSubmissionId")
    out["feed_id"] = feed_id

    # Let the sandbox process the feed: move its clock past the processing delay.
    requests.post(base + "/_sandbox/clock", json={"advance": 61}).raise_for_status()
    listed = feeds.get_feed_submission_list(feedids=[feed_id]).parsed
    out["feed_status"] = text(listed.FeedSubmissionInfo, "FeedProcessingStatus")
    report = feeds.get_feed_submission_result(feed_id).parsed
    summary = report.ProcessingReport.ProcessingSummary
    out["messages_successful"] = text(summary, "MessagesSuccessful")

    print(json.dumps(out))


if __name__ == "__main__":
    main()
