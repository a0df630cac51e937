//! How an order's values read on the order pages, the same whichever API imported it: money as the marketplace's
//! currency writes it (`¥7,360`, `$12.50`), Amazon's instants as Seller Central writes them, statuses, channels,
//! payment methods and shipping levels in the reader's language. See docs/ORDERS.md.

use jiff::Timestamp;
use jiff::ZonedDateTime;
use jiff::tz::{self, TimeZone};
use sellerlink_domain::order::{FulfillmentChannel, Money, Order, ShippingSpeed};

use crate::i18n::Texts;

/// An instant in Japan time (Japan has no daylight saving time, so a fixed +09:00 is exact).
pub(crate) fn in_japan(at: Timestamp) -> ZonedDateTime {
    at.to_zoned_datetime(TimeZone::fixed(tz::offset(9)))
}

/// The symbol written before an amount of the currency, for the currencies of Amazon's marketplaces that have
/// one everybody reads; `None` writes the amount followed by the ISO code (`1,234.50 SEK`).
fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency {
        "JPY" => "¥",
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "CAD" => "CA$",
        "AUD" => "A$",
        "MXN" => "MX$",
        "BRL" => "R$",
        "INR" => "₹",
        "SGD" => "S$",
        _ => return None,
    })
}

/// `7360` → `7,360`.
fn group_thousands(whole: &str) -> String {
    let mut out = String::with_capacity(whole.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// An amount as its currency writes it: `¥7,360`, `$12.50`, `-€3.00`, `1,234.50 SEK`; with exactly the
/// currency's decimals whichever API sent it (`7360.00` JPY and `7360` JPY both read `¥7,360`). The decimal
/// separator is always `.` and thousands are grouped with `,` (so `€12.50`, not `12,50 €`). An amount that is not
/// money reads as Amazon wrote it; none reads `—`.
pub(crate) fn money(amount: Option<&Money>) -> String {
    let Some(raw) = amount else {
        return "—".to_owned();
    };
    let Some(normal) = raw.normalized() else {
        return format!("{} {}", raw.amount, raw.currency);
    };
    let (negative, whole, fraction) = normal.parts();
    let mut number = group_thousands(whole);
    if !fraction.is_empty() {
        number.push('.');
        number.push_str(fraction);
    }
    let sign = if negative { "-" } else { "" };
    match symbol(&normal.currency) {
        Some(symbol) => format!("{sign}{symbol}{number}"),
        None => format!("{sign}{number} {}", normal.currency),
    }
}

/// 自社出荷 / FBA (or `—`).
pub(crate) fn channel(t: &Texts, channel: Option<FulfillmentChannel>) -> String {
    match channel {
        Some(FulfillmentChannel::Mfn) => t.channel_mfn.to_owned(),
        Some(FulfillmentChannel::Afn) => t.channel_afn.to_owned(),
        None => "—".to_owned(),
    }
}

/// The delivery speed a shipping level names (通常配送 for `Std JP Kanto8` and `STANDARD` alike), or the level as
/// Amazon wrote it, or `—`.
pub(crate) fn shipping_level(t: &Texts, level: Option<&str>) -> String {
    match level.map(str::trim).filter(|l| !l.is_empty()) {
        None => "—".to_owned(),
        Some(level) => match ShippingSpeed::of(level) {
            Some(speed) => (t.shipping_speed_label)(speed).to_owned(),
            None => level.to_owned(),
        },
    }
}

/// An instant of Amazon's as Seller Central writes it, or `—`.
pub(crate) fn amazon_time(t: &Texts, at: Option<Timestamp>) -> String {
    at.map_or_else(|| "—".to_owned(), t.seller_central_time)
}

/// Where an order stands against its ship-by deadline at `now`: the CSS class of its 出荷期限 cell.
pub(crate) fn ship_by_class(order: &Order, now: Timestamp) -> &'static str {
    let Some(deadline) = order.latest_ship_date else {
        return "";
    };
    if !order.status.awaits_shipment() {
        return "";
    }
    if deadline < now {
        return "overdue";
    }
    if in_japan(deadline).date() == in_japan(now).date() {
        return "due-today";
    }
    ""
}

#[cfg(test)]
mod tests {
    use sellerlink_domain::connection::Language;
    use sellerlink_domain::order::OrderStatus;

    use super::*;
    use crate::i18n::texts;

    fn money_of(currency: &str, amount: &str) -> String {
        money(Some(&Money {
            currency: currency.to_owned(),
            amount: amount.to_owned(),
        }))
    }

    #[test]
    fn amounts_read_as_their_currency_writes_them() {
        assert_eq!(money_of("JPY", "7360.00"), "¥7,360");
        assert_eq!(money_of("JPY", "7360"), "¥7,360");
        assert_eq!(money_of("JPY", "1234567"), "¥1,234,567");
        assert_eq!(money_of("JPY", "999"), "¥999");
        assert_eq!(money_of("USD", "12.5"), "$12.50");
        assert_eq!(money_of("EUR", "-3"), "-€3.00");
        assert_eq!(money_of("SEK", "1234.5"), "1,234.50 SEK");
        assert_eq!(money_of("JPY", "1e3"), "1e3 JPY");
        assert_eq!(money(None), "—");
    }

    #[test]
    fn amazon_instants_read_as_seller_central_writes_them() {
        let at: Timestamp = "2018-04-17T01:26:33Z".parse().unwrap();
        assert_eq!(
            amazon_time(texts(Language::Ja), Some(at)),
            "2018年4月17日 10時26分33秒"
        );
        assert_eq!(
            amazon_time(texts(Language::En), Some(at)),
            "Apr 17, 2018 10:26:33 JST"
        );
        assert_eq!(amazon_time(texts(Language::Ja), None), "—");
    }

    #[test]
    fn words_come_from_seller_central() {
        let ja = texts(Language::Ja);
        assert_eq!((ja.order_status_label)(&OrderStatus::Unshipped), "未出荷");
        assert_eq!(
            (ja.order_status_label)(&OrderStatus::parse("Weird")),
            "Weird"
        );
        assert_eq!(channel(ja, Some(FulfillmentChannel::Mfn)), "自社出荷");
        assert_eq!(channel(ja, Some(FulfillmentChannel::Afn)), "FBA");
        assert_eq!(shipping_level(ja, Some("Std JP Kanto8")), "通常配送");
        assert_eq!(shipping_level(ja, Some("STANDARD")), "通常配送");
        assert_eq!(shipping_level(ja, Some("Drone JP")), "Drone JP");
        assert_eq!(shipping_level(ja, None), "—");
    }
}
