//! MWS Signature Version 2: strict RFC 3986 encoding, the canonical query string, the string
//! to sign and the HMAC-SHA256 signature (`docs/amazon/MWS.md#signature-version-2`).

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

/// Every byte except RFC 3986's unreserved characters `A-Z a-z 0-9 - _ . ~` is escaped.
const RFC3986_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `value` the way MWS signs it: UTF-8 bytes, upper-case hex, space as `%20`,
/// `*` as `%2A` and `~` left alone.
pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, RFC3986_ESCAPED).to_string()
}

/// Builds the canonical query string: parameters sorted by name in byte order (then by value,
/// so the result never depends on input order), each side percent-encoded, joined as
/// `name=value` pairs with `&`. `Signature` must not be among `params`.
pub fn canonical_query<K, V>(params: &[(K, V)]) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut sorted: Vec<(&str, &str)> = params
        .iter()
        .map(|(name, value)| (name.as_ref(), value.as_ref()))
        .collect();
    sorted.sort_unstable_by(|a, b| {
        a.0.as_bytes()
            .cmp(b.0.as_bytes())
            .then_with(|| a.1.as_bytes().cmp(b.1.as_bytes()))
    });
    let mut out = String::new();
    for (index, (name, value)) in sorted.into_iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        out.push_str(&percent_encode(name));
        out.push('=');
        out.push_str(&percent_encode(value));
    }
    out
}

/// Builds the string to sign: `METHOD \n host \n path \n canonical`. The host is lower-cased
/// (pass `host:port` when the request goes to a non-default port); an empty path becomes `/`.
pub fn string_to_sign(method: &str, host: &str, path: &str, canonical: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    format!(
        "{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        host.to_ascii_lowercase(),
        path,
        canonical
    )
}

/// Signs an already built string to sign: base64 (standard alphabet, padded) of
/// HMAC-SHA256 keyed with the secret key's UTF-8 bytes.
pub fn sign_string(secret: &SecretString, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Computes the `Signature` value for a request: canonicalises `params`, builds the string to
/// sign for `method`, `host` and `path`, and signs it with `secret`.
pub fn sign<K, V>(
    secret: &SecretString,
    method: &str,
    host: &str,
    path: &str,
    params: &[(K, V)],
) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let canonical = canonical_query(params);
    sign_string(secret, &string_to_sign(method, host, path, &canonical))
}

#[cfg(test)]
mod tests {
    use super::*;
    use percent_encoding::percent_decode_str;
    use proptest::prelude::*;

    fn secret(value: &str) -> SecretString {
        SecretString::from(value.to_owned())
    }

    #[test]
    fn vector_a_products_ca() {
        let params = [
            ("AWSAccessKeyId", "3333"),
            ("Action", "GetMatchingProduct"),
            ("Version", "2011-10-01"),
            ("SignatureMethod", "HmacSHA256"),
            ("SignatureVersion", "2"),
            ("Timestamp", "2016-12-20T18:42:04Z"),
            ("MarketplaceId", "5555"),
            ("ASINList.ASIN.1", "6666"),
            ("SellerId", "1111"),
        ];
        let canonical = canonical_query(&params);
        let to_sign = string_to_sign(
            "POST",
            "mws.amazonservices.ca",
            "/Products/2011-10-01",
            &canonical,
        );
        assert_eq!(
            to_sign,
            "POST\nmws.amazonservices.ca\n/Products/2011-10-01\nASINList.ASIN.1=6666&AWSAccessKeyId=3333&Action=GetMatchingProduct&MarketplaceId=5555&SellerId=1111&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2016-12-20T18%3A42%3A04Z&Version=2011-10-01"
        );
        assert_eq!(
            sign_string(&secret("0000"), &to_sign),
            "e7NJFMRLOOpRUp0IP42irtpKzq404KDbjZpKZ/OWRLI="
        );
    }

    #[test]
    fn vector_a_signs_the_timestamp_verbatim() {
        let params = [
            ("AWSAccessKeyId", "3333"),
            ("Action", "GetMatchingProduct"),
            ("Version", "2011-10-01"),
            ("SignatureMethod", "HmacSHA256"),
            ("SignatureVersion", "2"),
            ("Timestamp", "2016-12-20T18:42:04.000Z"),
            ("MarketplaceId", "5555"),
            ("ASINList.ASIN.1", "6666"),
            ("SellerId", "1111"),
        ];
        assert_eq!(
            sign(
                &secret("0000"),
                "POST",
                "mws.amazonservices.ca",
                "/Products/2011-10-01",
                &params
            ),
            "1rcgZi/Hac/b6ryKSiyEpZQnpLW6l3/nNbvrQkHizdk="
        );
    }

    #[test]
    fn vector_b_product_advertising_get() {
        let params = [
            ("Service", "AWSECommerceService"),
            ("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"),
            ("AssociateTag", "mytag-20"),
            ("Operation", "ItemLookup"),
            ("ItemId", "0679722769"),
            ("ResponseGroup", "Images,ItemAttributes,Offers,Reviews"),
            ("Version", "2013-08-01"),
            ("Timestamp", "2014-08-18T12:00:00Z"),
        ];
        assert!(canonical_query(&params).contains("Images%2CItemAttributes%2COffers%2CReviews"));
        assert_eq!(
            sign(
                &secret("1234567890"),
                "GET",
                "webservices.amazon.com",
                "/onca/xml",
                &params
            ),
            "j7bZM0LXZ9eXeZruTqWm2DIvDYVUU3wxPPpp+iXxzQc="
        );
    }

    const SECRET_CD: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    #[test]
    fn vector_c_japan_list_orders_with_token() {
        let params = [
            ("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"),
            ("Action", "ListOrders"),
            ("CreatedAfter", "2020-01-01T00:00:00Z"),
            (
                "MWSAuthToken",
                "amzn.mws.01234567-89ab-cdef-0123-456789abcdef",
            ),
            ("MarketplaceId.Id.1", "A1VC38T7YXB528"),
            ("SellerId", "A1EXAMPLE12345"),
            ("SignatureMethod", "HmacSHA256"),
            ("SignatureVersion", "2"),
            ("Timestamp", "2020-01-01T12:00:00Z"),
            ("Version", "2013-09-01"),
        ];
        assert_eq!(
            canonical_query(&params),
            "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=ListOrders&CreatedAfter=2020-01-01T00%3A00%3A00Z&MWSAuthToken=amzn.mws.01234567-89ab-cdef-0123-456789abcdef&MarketplaceId.Id.1=A1VC38T7YXB528&SellerId=A1EXAMPLE12345&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2020-01-01T12%3A00%3A00Z&Version=2013-09-01"
        );
        assert_eq!(
            sign(
                &secret(SECRET_CD),
                "POST",
                "mws.amazonservices.jp",
                "/Orders/2013-09-01",
                &params
            ),
            "CSaEwgISt6V0f3L90NWpCXSQJLh00bCuiEZwKFJu/Ls="
        );
    }

    #[test]
    fn vector_d_encoding_edge_cases() {
        let tricky = "a b~c*d+e/f=g&h:注文";
        assert_eq!(
            percent_encode(tricky),
            "a%20b~c%2Ad%2Be%2Ff%3Dg%26h%3A%E6%B3%A8%E6%96%87"
        );
        // Shuffled on purpose: the order of the input must not matter.
        let params = [
            ("Version", "2013-09-01"),
            ("SellerOrderId", tricky),
            ("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"),
            ("Timestamp", "2020-01-01T12:00:00.000Z"),
            ("Action", "ListOrders"),
            ("MarketplaceId.Id.1", "A1VC38T7YXB528"),
            ("SignatureVersion", "2"),
            ("SellerId", "A1EXAMPLE12345"),
            ("SignatureMethod", "HmacSHA256"),
        ];
        assert_eq!(
            sign(
                &secret(SECRET_CD),
                "POST",
                "MWS.AmazonServices.JP",
                "/Orders/2013-09-01",
                &params
            ),
            "Ai1WtJ/aERAadwYM+/zlVVvJrSjfTvLQO41snXFBUk0="
        );
    }

    #[test]
    fn byte_order_puts_upper_case_first() {
        let canonical = canonical_query(&[
            ("SellerOrderId", "2"),
            ("SellerId", "1"),
            ("MarketplaceId.Id.1", "4"),
            ("MWSAuthToken", "3"),
            ("Action", "6"),
            ("AWSAccessKeyId", "5"),
        ]);
        assert_eq!(
            canonical,
            "AWSAccessKeyId=5&Action=6&MWSAuthToken=3&MarketplaceId.Id.1=4&SellerId=1&SellerOrderId=2"
        );
    }

    #[test]
    fn empty_values_keep_their_equals_sign_and_empty_path_becomes_slash() {
        assert_eq!(canonical_query(&[("B", ""), ("A", "x")]), "A=x&B=");
        assert_eq!(
            string_to_sign("post", "Host", "", "A=x"),
            "POST\nhost\n/\nA=x"
        );
    }

    proptest! {
        #[test]
        fn encoding_round_trips(value in any::<String>()) {
            let encoded = percent_encode(&value);
            let decoded = percent_decode_str(&encoded).decode_utf8().expect("valid UTF-8");
            prop_assert_eq!(decoded.as_ref(), value.as_str());
        }

        #[test]
        fn encoding_uses_only_unreserved_and_upper_hex(value in any::<String>()) {
            let encoded = percent_encode(&value);
            let bytes = encoded.as_bytes();
            let mut index = 0;
            while index < bytes.len() {
                let byte = bytes[index];
                if byte == b'%' {
                    prop_assert!(index + 3 <= bytes.len(), "truncated escape in {}", encoded);
                    let hex = &encoded[index + 1..index + 3];
                    prop_assert!(hex.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()), "lower-case hex in {}", encoded);
                    index += 3;
                } else {
                    prop_assert!(byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte), "unescaped {:?}", byte as char);
                    index += 1;
                }
            }
        }

        #[test]
        fn canonical_query_is_sorted_and_order_independent(
            mut params in proptest::collection::vec(("[A-Za-z0-9.]{1,12}", any::<String>()), 0..12)
        ) {
            let canonical = canonical_query(&params);
            let names: Vec<&str> = if canonical.is_empty() {
                Vec::new()
            } else {
                canonical.split('&').map(|pair| pair.split('=').next().unwrap_or_default()).collect()
            };
            prop_assert_eq!(names.len(), params.len());
            prop_assert!(names.windows(2).all(|w| w[0].as_bytes() <= w[1].as_bytes()));
            params.reverse();
            prop_assert_eq!(canonical_query(&params), canonical);
        }

        #[test]
        fn signing_never_panics_and_is_a_sha256_base64(
            secret_text in any::<String>(),
            method in "[A-Z]{3,6}",
            host in any::<String>(),
            path in any::<String>(),
            params in proptest::collection::vec((any::<String>(), any::<String>()), 0..8),
        ) {
            let signature = sign(&secret(&secret_text), &method, &host, &path, &params);
            prop_assert_eq!(signature.len(), 44);
            prop_assert!(signature.ends_with('='));
        }
    }
}
