"""SQLite storage shared by the Python reference importers.

Both importers (MWS and SP-API) normalise what their library parsed into the same plain dicts and
write them here, so the two references do the same database work. The tables mirror the columns
sellerlink's own `orders` / `order_items` tables keep, and the connection uses the pragmas
sellerlink's store uses for SQLite (WAL, synchronous=NORMAL, foreign keys on).

Every page of orders is written in one transaction with `INSERT … ON CONFLICT … DO UPDATE`, so
running an import twice updates rows instead of duplicating them.

An order dict has the keys of `ORDER_COLUMNS` plus `items`, a list of dicts with the keys of
`ITEM_COLUMNS` (without `amazon_order_id` and `position`, which are filled in here).
"""

import datetime
import json
import sqlite3

ORDER_COLUMNS = (
    "amazon_order_id",
    "marketplace_id",
    "status",
    "fulfillment_channel",
    "purchase_date_ms",
    "last_update_ms",
    "order_total_amount",
    "order_total_currency",
    "sales_channel",
    "ship_service_level",
    "buyer_name",
    "shipping_address_json",
    "payment_method",
    "latest_ship_date_ms",
)

ITEM_COLUMNS = (
    "amazon_order_id",
    "order_item_id",
    "position",
    "asin",
    "sku",
    "title",
    "quantity_ordered",
    "quantity_shipped",
    "item_price_amount",
    "item_price_currency",
    "shipping_price_amount",
    "shipping_price_currency",
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    amazon_order_id       TEXT    NOT NULL PRIMARY KEY,
    marketplace_id        TEXT    NOT NULL,
    status                TEXT    NOT NULL,
    fulfillment_channel   TEXT,
    purchase_date_ms      INTEGER NOT NULL,
    last_update_ms        INTEGER NOT NULL,
    order_total_amount    TEXT,
    order_total_currency  TEXT,
    sales_channel         TEXT,
    ship_service_level    TEXT,
    buyer_name            TEXT,
    shipping_address_json TEXT,
    payment_method        TEXT,
    latest_ship_date_ms   INTEGER,
    first_seen_at_ms      INTEGER NOT NULL,
    updated_at_ms         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS order_items (
    amazon_order_id         TEXT    NOT NULL REFERENCES orders (amazon_order_id),
    order_item_id           TEXT    NOT NULL,
    position                INTEGER NOT NULL,
    asin                    TEXT    NOT NULL,
    sku                     TEXT,
    title                   TEXT,
    quantity_ordered        INTEGER NOT NULL,
    quantity_shipped        INTEGER NOT NULL,
    item_price_amount       TEXT,
    item_price_currency     TEXT,
    shipping_price_amount   TEXT,
    shipping_price_currency TEXT,
    PRIMARY KEY (amazon_order_id, order_item_id)
) STRICT, WITHOUT ROWID;
"""


def _upsert(table, columns, key, keep=()):
    """`INSERT … ON CONFLICT (key) DO UPDATE` setting every column but the key and `keep`."""
    updates = ", ".join("{0} = excluded.{0}".format(c) for c in columns if c not in key and c not in keep)
    return "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}".format(
        table,
        ", ".join(columns),
        ", ".join("?" for _ in columns),
        ", ".join(key),
        updates,
    )


# On conflict the first-seen time stays; everything else is replaced.
_UPSERT_ORDER = _upsert(
    "orders",
    ("first_seen_at_ms",) + ORDER_COLUMNS + ("updated_at_ms",),
    ("amazon_order_id",),
    keep=("first_seen_at_ms",),
)
_UPSERT_ITEM = _upsert("order_items", ITEM_COLUMNS, ("amazon_order_id", "order_item_id"))
_DELETE_STALE_ITEMS = (
    "DELETE FROM order_items WHERE amazon_order_id = ? AND order_item_id NOT IN (SELECT value FROM json_each(?))"
)


def millis(text):
    """Milliseconds since the Unix epoch of an ISO 8601 instant such as `2026-01-09T14:21:05Z`; None stays None."""
    if text is None:
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    instant = datetime.datetime.fromisoformat(text)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=datetime.timezone.utc)
    return int(instant.timestamp() * 1000)


class ReferenceStore:
    """One SQLite file holding the imported orders and items."""

    def __init__(self, path):
        # Autocommit mode: transactions are opened explicitly, one per page.
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA busy_timeout = 5000")
        self._db.executescript(SCHEMA)

    def write_page(self, orders):
        """Upserts one page of orders with their items in a single transaction."""
        now_ms = int(datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000)
        order_rows = []
        item_rows = []
        stale = []
        for order in orders:
            order_rows.append((now_ms,) + tuple(order[c] for c in ORDER_COLUMNS) + (now_ms,))
            ids = []
            for position, item in enumerate(order["items"]):
                row = dict(item, amazon_order_id=order["amazon_order_id"], position=position)
                item_rows.append(tuple(row[c] for c in ITEM_COLUMNS))
                ids.append(item["order_item_id"])
            stale.append((order["amazon_order_id"], json.dumps(ids)))
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(_UPSERT_ORDER, order_rows)
            self._db.executemany(_DELETE_STALE_ITEMS, stale)
            self._db.executemany(_UPSERT_ITEM, item_rows)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def counts(self):
        """(orders, items) stored."""
        orders = self._db.execute("SELECT count(*) FROM orders").fetchone()[0]
        items = self._db.execute("SELECT count(*) FROM order_items").fetchone()[0]
        return orders, items

    def close(self):
        self._db.close()
