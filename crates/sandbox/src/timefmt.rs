//! ISO 8601 parsing as MWS accepted it, and the output formats MWS used.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// Parses an ISO 8601 date-time: `2020-05-28T11:22:24Z`, with fractional seconds, with an offset
/// (`+09:00`, `+0900`, `-07`), or with no zone at all (read as UTC, as python-amazon-mws sends
/// it); a bare date means midnight UTC.
pub fn parse(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    if let Some(ts) = parse_short_offset(text) {
        return Some(ts);
    }
    if let Ok(dt) = text.parse::<DateTime>() {
        return TimeZone::UTC.to_timestamp(dt).ok();
    }
    if let Ok(date) = text.parse::<Date>() {
        return TimeZone::UTC
            .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .ok();
    }
    None
}

/// Handles `…±HH` and `…±HHMM`, which jiff's RFC 3339 parser does not take.
fn parse_short_offset(text: &str) -> Option<Timestamp> {
    let t_at = text.find('T')?;
    let sign_at = text[t_at..].rfind(['+', '-'])? + t_at;
    let (civil, offset) = text.split_at(sign_at);
    let digits = &offset[1..];
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) || hours > 23 || minutes > 59 {
        return None;
    }
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let rebuilt = format!(
        "{civil}{}{:02}:{:02}",
        if sign < 0 { '-' } else { '+' },
        hours,
        minutes
    );
    rebuilt.parse::<Timestamp>().ok()
}

/// `2020-01-01T12:00:00Z` (whole seconds), as Orders dates are shown.
pub fn seconds_z(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `2020-01-01T12:00:00.123Z`, as echoed bounds and `x-mws-timestamp` are shown.
pub fn millis_z(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S.%3fZ").to_string()
}

/// `2020-06-25T12:32:14+00:00`, as Feeds dates are shown.
pub fn feeds(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// An epoch-millisecond instant, clamped into jiff's range.
pub fn from_ms(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(if ms < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_shapes_clients_send() {
        let expect: Timestamp = "2020-05-28T11:22:24Z".parse().unwrap();
        assert_eq!(parse("2020-05-28T11:22:24Z"), Some(expect));
        assert_eq!(parse("2020-05-28T11:22:24"), Some(expect));
        assert_eq!(parse("2020-05-28T20:22:24+09:00"), Some(expect));
        assert_eq!(parse("2020-05-28T20:22:24+0900"), Some(expect));
        assert_eq!(parse("2020-05-28T04:22:24-07"), Some(expect));
        assert_eq!(
            parse("2020-05-28T11:22:24.768Z").unwrap().as_millisecond(),
            expect.as_millisecond() + 768
        );
        assert_eq!(
            parse("2020-05-28"),
            Some("2020-05-28T00:00:00Z".parse().unwrap())
        );
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse(""), None);
        assert_eq!(millis_z(expect), "2020-05-28T11:22:24.000Z");
        assert_eq!(seconds_z(expect), "2020-05-28T11:22:24Z");
        assert_eq!(feeds(expect), "2020-05-28T11:22:24+00:00");
    }
}
