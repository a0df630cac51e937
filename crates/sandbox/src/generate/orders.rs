//! Generated catalogs and orders with seeded timelines.

use std::sync::Arc;

use rand::Rng;

use crate::generate::ids;
use crate::generate::japan::{self, Place};
use crate::ids::Asin;
use crate::orders::{
    Address, FulfillmentChannel, Order, OrderBook, OrderItem, OrderStatus, PaymentMethod, Timeline,
};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// One product a seller sells.
#[derive(Debug, Clone)]
pub struct Product {
    /// ASIN.
    pub asin: Asin,
    /// Seller SKU.
    pub sku: Arc<str>,
    /// Japanese title.
    pub title: Arc<str>,
    /// Unit price in yen.
    pub unit_yen: u32,
}

/// A seller's catalog of `count` products.
pub fn catalog(rng: &mut impl Rng, seller_number: usize, count: usize) -> Vec<Product> {
    (0..count)
        .map(|i| {
            let kind = &japan::PRODUCTS[rng.random_range(0..japan::PRODUCTS.len())];
            let variant = japan::VARIANTS[rng.random_range(0..japan::VARIANTS.len())];
            let mut price = rng.random_range(kind.min_yen..=kind.max_yen) / 10 * 10;
            if rng.random_bool(0.5) && price > kind.min_yen + 20 {
                price -= 20;
            }
            Product {
                asin: ids::asin(rng),
                sku: Arc::from(format!(
                    "{}-{:02}{:04}",
                    kind.sku,
                    seller_number % 100,
                    i + 1
                )),
                title: Arc::from(format!("{} {}", kind.title, variant)),
                unit_yen: price,
            }
        })
        .collect()
}

fn pick<'a, T>(rng: &mut impl Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn phone(rng: &mut impl Rng, place: &Place) -> String {
    if rng.random_bool(0.7) {
        let prefix = ["090", "080", "070"][rng.random_range(0..3)];
        format!(
            "{prefix}-{:04}-{:04}",
            rng.random_range(0..10_000),
            rng.random_range(0..10_000)
        )
    } else {
        // Area code + local number make ten digits.
        let local_len = 10 - place.area_code.len();
        let middle_len = local_len - 4;
        let middle =
            rng.random_range(10u32.pow(middle_len as u32 - 1)..10u32.pow(middle_len as u32));
        format!(
            "{}-{middle}-{:04}",
            place.area_code,
            rng.random_range(0..10_000)
        )
    }
}

pub(crate) fn person(rng: &mut impl Rng) -> String {
    format!(
        "{} {}",
        pick(rng, japan::FAMILY_NAMES),
        pick(rng, japan::GIVEN_NAMES)
    )
}

pub(crate) fn address(rng: &mut impl Rng, name: String) -> (Address, &'static Place) {
    let place = pick(rng, japan::PLACES);
    let line1 = format!(
        "{}{}丁目{}-{}",
        place.town,
        rng.random_range(1..6),
        rng.random_range(1..31),
        rng.random_range(1..21)
    );
    let line2 = rng.random_bool(0.4).then(|| {
        format!(
            "{} {}",
            pick(rng, japan::BUILDINGS),
            rng.random_range(1..13) * 100 + rng.random_range(1..10)
        )
    });
    let address = Address {
        name,
        postal_code: format!("{}-{:04}", place.postal_prefix, rng.random_range(0..10_000)),
        prefecture: place.prefecture.to_owned(),
        city: place.city.to_owned(),
        line1,
        line2,
        phone: phone(rng, place),
        country_code: "JP",
        address_type: if rng.random_bool(0.9) {
            "Residential"
        } else {
            "Commercial"
        },
    };
    (address, place)
}

fn item_count(rng: &mut impl Rng) -> usize {
    match rng.random_range(0..100) {
        0..55 => 1,
        55..80 => 2,
        80..92 => 3,
        92..97 => 4,
        _ => 5,
    }
}

/// The seeded timeline of a generated order placed at `t0`.
fn timeline(
    rng: &mut impl Rng,
    channel: FulfillmentChannel,
    payment: PaymentMethod,
    t0: i64,
) -> Timeline {
    let mut timeline = Timeline::starting(OrderStatus::Pending, t0);
    match channel {
        FulfillmentChannel::Afn => {
            if rng.random_bool(0.04) {
                timeline.push(
                    OrderStatus::Canceled,
                    t0 + rng.random_range(5 * MINUTE..6 * HOUR),
                );
            } else {
                timeline.push(OrderStatus::Shipped, t0 + rng.random_range(HOUR..36 * HOUR));
            }
        }
        FulfillmentChannel::Mfn => {
            if rng.random_bool(0.03) {
                timeline.push(
                    OrderStatus::Canceled,
                    t0 + rng.random_range(10 * MINUTE..12 * HOUR),
                );
                return timeline;
            }
            let authorized = match payment {
                PaymentMethod::Cod => t0 + rng.random_range(MINUTE..5 * MINUTE),
                _ => t0 + rng.random_range(MINUTE..3 * HOUR),
            };
            timeline.push(OrderStatus::Unshipped, authorized);
            if rng.random_bool(0.05) {
                timeline.push(
                    OrderStatus::Canceled,
                    authorized + rng.random_range(HOUR..DAY),
                );
            } else {
                timeline.push(
                    OrderStatus::Shipped,
                    authorized + rng.random_range(2 * HOUR..3 * DAY),
                );
            }
        }
    }
    timeline
}

/// Generates one order placed at `t0` in the JP marketplace from the seller's catalog.
pub fn order(rng: &mut impl Rng, book: &OrderBook, products: &[Product], t0: i64) -> Order {
    let mut id = ids::order_id(rng);
    while book.order_id_taken(&id) {
        id = ids::order_id(rng);
    }
    let channel = if rng.random_bool(0.3) {
        FulfillmentChannel::Afn
    } else {
        FulfillmentChannel::Mfn
    };
    let payment = match rng.random_range(0..100) {
        0..10 => PaymentMethod::Cod,
        10..13 => PaymentMethod::Cvs,
        _ => PaymentMethod::Other,
    };
    let buyer_name = person(rng);
    let recipient = if rng.random_bool(0.15) {
        person(rng)
    } else {
        buyer_name.clone()
    };
    let (address, place) = address(rng, recipient);
    let expedited = rng.random_bool(0.15);
    let is_prime = match channel {
        FulfillmentChannel::Afn => rng.random_bool(0.7),
        FulfillmentChannel::Mfn => rng.random_bool(0.1),
    };

    let count = item_count(rng).min(products.len().max(1));
    let mut items: Vec<OrderItem> = Vec::with_capacity(count);
    let first_pick = rng.random_range(0..products.len());
    for n in 0..count {
        let product = &products[(first_pick + n * 7) % products.len()];
        let quantity = match rng.random_range(0..100) {
            0..75 => 1,
            75..93 => 2,
            _ => 3,
        };
        let mut item_id = ids::order_item_id(rng);
        while book.item_id_taken(item_id) || items.iter().any(|i| i.order_item_id == item_id) {
            item_id = ids::order_item_id(rng);
        }
        let item_price = i64::from(product.unit_yen) * i64::from(quantity) * 100;
        let promotion_discount = if rng.random_bool(0.1) {
            (i64::from(rng.random_range(1..6u32)) * 10_000).min(item_price / 2)
        } else {
            0
        };
        items.push(OrderItem {
            order_item_id: item_id,
            asin: product.asin,
            sku: product.sku.clone(),
            title: product.title.clone(),
            quantity,
            item_price,
            shipping_price: 0,
            promotion_discount,
            cod_fee: 0,
            is_gift: rng.random_bool(0.03),
            condition: "New",
        });
    }
    let subtotal: i64 = items.iter().map(|i| i.item_price).sum();
    let shipping_yen: i64 = match channel {
        FulfillmentChannel::Mfn if subtotal < 200_000 => {
            [350, 500, 650, 800][rng.random_range(0..4)]
        }
        FulfillmentChannel::Afn if !is_prime && subtotal < 200_000 => 410,
        _ => 0,
    };
    items[0].shipping_price = shipping_yen * 100;
    if payment == PaymentMethod::Cod {
        items[0].cod_fee = 33_000;
    }

    let t0_timeline = timeline(rng, channel, payment, t0);
    Order {
        id,
        seller_order_id: None,
        marketplace_id: crate::marketplaces::JP,
        currency: "JPY",
        channel,
        timeline: t0_timeline,
        buyer_name,
        buyer_email: ids::buyer_email(rng),
        address,
        ship_service_level: format!(
            "{} JP {}",
            if expedited { "Exp" } else { "Std" },
            place.region
        ),
        service_category: if expedited { "Expedited" } else { "Standard" },
        payment,
        is_prime,
        is_business: rng.random_bool(0.05),
        items,
        shipments: Vec::new(),
    }
}
