//! An order's buyer data — the buyer's name and the delivery address with its phone number — sealed at rest.
//!
//! The store holds ciphertext only and links no cipher: whoever holds the keyring gives the store a
//! [`BuyerDataSeal`] ([`Store::with_buyer_seal`]), and the store calls it for each order it writes or reads whole.
//! A store without one refuses orders with buyer data rather than write them in clear. Lists
//! ([`Store::order_list`]) never open buyer data.

use std::sync::Arc;

use sellerlink_domain::ids::{AmazonOrderId, ConnectionId};
use sellerlink_domain::order::{Address, Order};
use serde::{Deserialize, Serialize};

use crate::codec::{Column, json_text};
use crate::engine::{on_conn, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// One order's buyer data as sealed: the id of the master key that wraps it and the sealed value as text.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedBuyerData {
    /// The master key the value is sealed under (for rotation).
    pub kek_id: String,
    /// The sealed value, as text (opaque to the store).
    pub sealed: String,
}

impl std::fmt::Debug for SealedBuyerData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedBuyerData")
            .field("kek_id", &self.kek_id)
            .field("sealed_len", &self.sealed.len())
            .finish()
    }
}

/// Seals and opens one order's buyer data, bound to that Amazon order id (a value copied to another order must not
/// open). Amazon order ids are unique across Amazon, so the binding holds across connections; it does not name the
/// connection, because merging an account connected twice (migration 0600) moves orders between connections.
/// Implemented by the owner of the keyring; errors are descriptions that hold no plaintext.
pub trait BuyerDataSeal: Send + Sync {
    /// Seals `plaintext` for the order `order_id`.
    fn seal(&self, order_id: &AmazonOrderId, plaintext: &str) -> Result<SealedBuyerData, String>;

    /// Opens what [`BuyerDataSeal::seal`] sealed for the same order.
    fn open(&self, order_id: &AmazonOrderId, sealed: &str) -> Result<String, String>;
}

/// What is sealed: the buyer fields of an [`Order`].
#[derive(Serialize, Deserialize)]
struct BuyerData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address: Option<Address>,
}

/// The seal a store uses, if any.
pub(crate) type Seal<'a> = Option<&'a dyn BuyerDataSeal>;

/// Seals the order's buyer data; `None` when it has none.
pub(crate) fn seal(seal: Seal<'_>, order: &Order) -> StoreResult<Option<SealedBuyerData>> {
    seal_parts(
        seal,
        &order.amazon_order_id,
        order.buyer_name.clone(),
        order.shipping_address.clone(),
    )
}

fn seal_parts(
    seal: Seal<'_>,
    order_id: &AmazonOrderId,
    name: Option<String>,
    address: Option<Address>,
) -> StoreResult<Option<SealedBuyerData>> {
    if name.is_none() && address.is_none() {
        return Ok(None);
    }
    let Some(seal) = seal else {
        return Err(StoreError::invalid(
            "buyer data",
            format!(
                "order {} has buyer data, and this store was opened without a keyring to seal it; buyer data is \
                 never stored in clear",
                order_id
            ),
        ));
    };
    let data = BuyerData { name, address };
    let plaintext = json_text("order buyer data", &data)?;
    seal.seal(order_id, &plaintext)
        .map(Some)
        .map_err(|problem| {
            StoreError::invalid(
                "buyer data",
                format!("order {order_id}: cannot seal: {problem}"),
            )
        })
}

/// Opens an order's sealed buyer data into its name and address.
pub(crate) fn open(
    seal: Seal<'_>,
    order_id: &AmazonOrderId,
    sealed: &str,
) -> StoreResult<(Option<String>, Option<Address>)> {
    let column = || Column::new("orders", "buyer_sealed");
    let seal = seal.ok_or_else(|| {
        column().corrupt(format!(
            "order {order_id} has sealed buyer data, and this store was opened without the keyring to open it"
        ))
    })?;
    let plaintext = seal
        .open(order_id, sealed)
        .map_err(|problem| column().corrupt(format!("order {order_id}: {problem}")))?;
    let data: BuyerData = serde_json::from_str(&plaintext).map_err(|_| {
        column().corrupt(format!(
            "order {order_id}: the opened buyer data is not the expected JSON object"
        ))
    })?;
    Ok((data.name, data.address))
}

impl Store {
    /// This store, sealing and opening buyer data with `seal` (clones made afterwards share it).
    #[must_use]
    pub fn with_buyer_seal(mut self, seal: Arc<dyn BuyerDataSeal>) -> Self {
        self.buyer_seal = Some(seal);
        self
    }

    pub(crate) fn buyer_seal(&self) -> Seal<'_> {
        self.buyer_seal.as_deref()
    }

    /// Seals the buyer data of orders stored in clear before migration 0800 (and clears the clear columns), in
    /// transactions of [`BATCH`] orders; returns how many orders it sealed. Needs the seal
    /// ([`Store::with_buyer_seal`]); the keyring's owner runs it when it opens the store.
    pub async fn seal_clear_buyer_data(&self) -> StoreResult<u64> {
        const SELECT: &str = "SELECT connection_id, amazon_order_id, buyer_name, shipping_address_json, \
            last_update_ms FROM orders WHERE buyer_name IS NOT NULL OR shipping_address_json IS NOT NULL LIMIT 500";
        const UPDATE: &str = "UPDATE orders SET buyer_name = NULL, shipping_address_json = NULL, \
            buyer_kek_id = $1, buyer_sealed = $2 WHERE connection_id = $3 AND amazon_order_id = $4 \
            AND last_update_ms = $5 AND buyer_sealed IS NULL";
        let mut sealed = 0;
        loop {
            let mut tx = self.pool.begin().await?;
            let rows: Vec<ClearRow> = on_conn!(tx.handle(), |c| {
                sqlx::query_as(SELECT).fetch_all(&mut *c).await?
            });
            if rows.is_empty() {
                tx.commit().await?;
                return Ok(sealed);
            }
            for row in rows {
                let Some(buyer) = row.sealed(self.buyer_seal())? else {
                    continue;
                };
                on_conn!(tx.handle(), |c| {
                    sqlx::query(UPDATE)
                        .bind(buyer.kek_id.clone())
                        .bind(buyer.sealed.clone())
                        .bind(row.connection_id.clone())
                        .bind(row.amazon_order_id.clone())
                        .bind(row.last_update_ms)
                        .execute(&mut *c)
                        .await?
                        .rows_affected()
                });
                sealed += 1;
            }
            tx.commit().await?;
        }
    }

    /// Up to `limit` orders whose buyer data is sealed under a master key other than `current_kek_id` (for
    /// rotation).
    pub async fn buyer_data_not_sealed_with(
        &self,
        current_kek_id: &str,
        limit: u32,
    ) -> StoreResult<Vec<(ConnectionId, AmazonOrderId, SealedBuyerData)>> {
        const SQL: &str = "SELECT connection_id, amazon_order_id, buyer_kek_id, buyer_sealed FROM orders \
            WHERE buyer_sealed IS NOT NULL AND buyer_kek_id <> $1 LIMIT $2";
        let rows: Vec<(String, String, String, String)> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(current_kek_id.to_owned())
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter()
            .map(|(connection_id, order_id, kek_id, sealed)| {
                let col = |name| Column::new("orders", name);
                Ok((
                    col("connection_id").parse(ConnectionId::parse(&connection_id))?,
                    col("amazon_order_id").parse(AmazonOrderId::from_amazon(&order_id))?,
                    SealedBuyerData { kek_id, sealed },
                ))
            })
            .collect()
    }

    /// Replaces an order's sealed buyer data with `new` (the same data re-sealed under another key) if it still
    /// holds `old`; `false` if it changed meanwhile.
    pub async fn reseal_buyer_data(
        &self,
        connection_id: ConnectionId,
        order_id: &AmazonOrderId,
        old: &SealedBuyerData,
        new: &SealedBuyerData,
    ) -> StoreResult<bool> {
        const SQL: &str = "UPDATE orders SET buyer_kek_id = $1, buyer_sealed = $2 \
            WHERE connection_id = $3 AND amazon_order_id = $4 AND buyer_sealed = $5";
        let affected = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(new.kek_id.clone())
                .bind(new.sealed.clone())
                .bind(connection_id.to_string())
                .bind(order_id.as_str().to_owned())
                .bind(old.sealed.clone())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(affected == 1)
    }
}

/// An order row still holding buyer data in clear (written before migration 0800).
#[derive(sqlx::FromRow)]
struct ClearRow {
    connection_id: String,
    amazon_order_id: String,
    buyer_name: Option<String>,
    shipping_address_json: Option<String>,
    last_update_ms: i64,
}

impl ClearRow {
    /// The row's buyer data sealed for its order.
    fn sealed(&self, seal: Seal<'_>) -> StoreResult<Option<SealedBuyerData>> {
        let col = |name| Column::new("orders", name);
        let order_id =
            col("amazon_order_id").parse(AmazonOrderId::from_amazon(&self.amazon_order_id))?;
        let address: Option<Address> = self
            .shipping_address_json
            .as_deref()
            .map(|text| col("shipping_address_json").json(text))
            .transpose()?;
        seal_parts(seal, &order_id, self.buyer_name.clone(), address)
    }
}
