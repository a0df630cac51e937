//! The deterministic world generator.
//!
//! Given a seed, the same developers, sellers, catalogs, stock and orders come out every time.
//! Orders are spread over the 30 days before the clock start and the 7 days after it; orders
//! placed after "now" stay invisible until the clock reaches them, and each order's seeded
//! timeline (Pending → Unshipped → Shipped/Canceled, AFN Pending → Shipped) moves it along as
//! the clock runs, so incremental imports by LastUpdatedAfter see real changes.

pub mod ids;
pub mod japan;
pub mod orders;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::stock::StockLevel;
use crate::world::{DEMO_DEVELOPER_ID, DEMO_DEVELOPER_NAME, SellerAccount, World};

/// How far back generated orders start.
pub const HISTORY_DAYS: i64 = 30;
/// How far into the future generated orders continue.
pub const FUTURE_DAYS: i64 = 7;

/// The second seeded developer (another company the sellers also work with; R7).
pub const OTHER_DEVELOPER_NAME: &str = "example-logistics";
/// Its developer ID.
pub const OTHER_DEVELOPER_ID: &str = "123432144321";

const DAY_MS: i64 = 86_400_000;

/// The seller number `n` (1-based) login e-mail.
pub fn seller_email(n: usize) -> String {
    format!("seller{n}@example.jp")
}

/// The seller number `n` password.
pub fn seller_password(n: usize) -> String {
    format!("sandbox-pass-{n}")
}

/// The seller number `n` mobile phone.
pub fn seller_phone(n: usize) -> String {
    format!("090-{:04}-{:04}", 1000 + n / 10_000, n % 10_000)
}

/// Fills an empty world: the demo developer, another developer, `sellers` seller accounts with
/// catalogs, stock and `orders_per_seller` orders each, and grants of the other developer to
/// every seller but the first (the demo seller starts with no grant, so the guide's flow can be
/// walked through from the start). Every order's timeline is laid out around `start`, the clock's
/// start, never the clock's reading when generation runs, so one seed and start give the same
/// orders to the millisecond however long building the world took.
pub fn populate(
    world: &mut World,
    start: jiff::Timestamp,
    sellers: usize,
    orders_per_seller: usize,
) {
    let seed = world.seed();
    let mut rng = StdRng::seed_from_u64(seed);
    let demo_keys = ids::access_key_pair(&mut rng);
    let other_keys = ids::access_key_pair(&mut rng);
    world
        .add_developer(DEMO_DEVELOPER_NAME, DEMO_DEVELOPER_ID, Some(demo_keys))
        .expect("the demo developer is valid");
    world
        .add_developer(OTHER_DEVELOPER_NAME, OTHER_DEVELOPER_ID, Some(other_keys))
        .expect("the other developer is valid");

    let start_ms = start.as_millisecond();
    for n in 1..=sellers {
        let mut seller_rng = StdRng::seed_from_u64(
            seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(n as u64),
        );
        let mut seller_id = ids::seller_id(&mut seller_rng);
        while world.seller(&seller_id).is_some() {
            seller_id = ids::seller_id(&mut seller_rng);
        }
        let mut marketplace_ids = vec![crate::marketplaces::JP.to_owned()];
        if n % 3 == 0 {
            marketplace_ids.push("A39IBJ37TRP1C6".to_owned());
        }
        if n % 5 == 0 {
            marketplace_ids.push("A19VAU5U5O7RUS".to_owned());
        }
        let display_name = format!(
            "{}{}",
            japan::SHOP_PREFIXES[seller_rng.random_range(0..japan::SHOP_PREFIXES.len())],
            japan::SHOP_SUFFIXES[seller_rng.random_range(0..japan::SHOP_SUFFIXES.len())]
        );
        let account = SellerAccount {
            seller_id: seller_id.clone(),
            display_name,
            email: seller_email(n),
            phone: seller_phone(n),
            password: seller_password(n),
            marketplace_ids,
        };
        world
            .add_seller(account)
            .expect("generated sellers are unique");
        populate_seller(
            world,
            &mut seller_rng,
            n,
            &seller_id,
            orders_per_seller,
            start_ms,
        );
        if n > 1 {
            let granted_at = jiff::Timestamp::from_millisecond(
                start_ms - seller_rng.random_range(30..300) * DAY_MS,
            )
            .ok();
            world
                .create_grant(&seller_id, OTHER_DEVELOPER_ID, granted_at, n % 4 != 0)
                .expect("a generated seller has no grant yet");
        }
    }
}

fn populate_seller(
    world: &mut World,
    rng: &mut StdRng,
    n: usize,
    seller_id: &str,
    count: usize,
    start_ms: i64,
) {
    let catalog_size = (20 + count / 50).min(400);
    let products = orders::catalog(rng, n, catalog_size);
    let stamp = jiff::Timestamp::from_millisecond(start_ms)
        .map(|t| t.to_string())
        .unwrap_or_default();
    for product in &products {
        let level = StockLevel {
            quantity: rng.random_range(0..300),
            fulfillment_network: false,
            fulfillment_latency: Some(rng.random_range(1..4)),
            restock_date: None,
            switch_fulfillment_to: None,
            updated_at: stamp.clone(),
            feed_submission_id: None,
        };
        world.stock.set(seller_id, &product.sku, level);
    }
    let from = start_ms - HISTORY_DAYS * DAY_MS;
    let span = (HISTORY_DAYS + FUTURE_DAYS) * DAY_MS;
    let mut times: Vec<i64> = (0..count)
        .map(|_| from + rng.random_range(0..span) / 1000 * 1000)
        .collect();
    times.sort_unstable();
    world.orders.reserve(seller_id, count);
    for t0 in times {
        let order = orders::order(rng, &world.orders, &products, t0);
        world
            .orders
            .insert(seller_id, order)
            .expect("generated order IDs are unique");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(seed: u64) -> World {
        let start = "2024-03-01T00:00:00Z".parse().unwrap();
        let mut world = World::empty(seed, start, 1.0);
        populate(&mut world, start, 3, 200);
        world
    }

    /// Every seller's orders with their timelines, as text.
    fn orders_in_full(world: &World) -> Vec<String> {
        world
            .sellers()
            .iter()
            .flat_map(|s| {
                world
                    .orders
                    .seller(&s.seller_id)
                    .unwrap()
                    .all()
                    .iter()
                    .map(|o| format!("{} {} {:?}", o.id, o.purchase_ms(), o.timeline))
            })
            .collect()
    }

    #[test]
    fn a_world_built_slowly_has_the_same_timelines() {
        let start = "2024-03-01T00:00:00Z".parse().unwrap();
        let mut slow = World::empty(42, start, 1.0);
        // The clock runs while the world is built (a loaded machine, thousands of sellers).
        std::thread::sleep(std::time::Duration::from_millis(30));
        populate(&mut slow, start, 3, 200);
        assert_eq!(orders_in_full(&world(42)), orders_in_full(&slow));
    }

    #[test]
    fn same_seed_same_world() {
        let a = world(42);
        let b = world(42);
        let c = world(43);
        let ids = |w: &World| -> Vec<String> {
            w.sellers()
                .iter()
                .flat_map(|s| {
                    w.orders
                        .seller(&s.seller_id)
                        .unwrap()
                        .all()
                        .iter()
                        .map(|o| o.id.to_string())
                })
                .collect()
        };
        assert_eq!(ids(&a), ids(&b));
        assert_ne!(ids(&a), ids(&c));
        assert_eq!(a.developers()[0], b.developers()[0]);
        assert_eq!(a.developers()[0].access_key_id.len(), 20);
        assert_eq!(a.developers()[0].secret_key.len(), 40);
        assert_eq!(a.sellers()[0].seller_id.len(), 14);
        assert_eq!(a.orders.total(), 600);
    }

    #[test]
    fn orders_look_japanese_and_move_over_time() {
        let w = world(1);
        let seller = &w.sellers()[0];
        let orders = w.orders.seller(&seller.seller_id).unwrap().all();
        let now = w.now().as_millisecond();
        let future = orders.iter().filter(|o| o.purchase_ms() > now).count();
        assert!(
            future > 0 && future < orders.len() / 2,
            "{future} future orders"
        );
        for order in orders {
            let id = order.id.as_str();
            assert!(id.starts_with("249-") || id.starts_with("250-") || id.starts_with("503-"));
            assert!((1..=5).contains(&order.items.len()));
            assert_eq!(order.address.postal_code.len(), 8);
            assert!(order.total() > 0);
            let last = order.timeline.last().status;
            assert!(matches!(
                last,
                crate::orders::OrderStatus::Shipped | crate::orders::OrderStatus::Canceled
            ));
        }
    }
}
