//! Dates and times as Seller Central shows them to a Japanese seller: `2019-04-17` and
//! `2018-04-17 10:26:33 JST`.
//!
//! Japan has kept UTC+09:00 without daylight saving since 1951, so a fixed offset is exact and needs no
//! time-zone database on the host.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{self, TimeZone};

/// Japan Standard Time.
pub fn zone() -> TimeZone {
    TimeZone::fixed(tz::offset(9))
}

/// `YYYY-MM-DD`.
pub fn date(date: Date) -> String {
    date.strftime("%Y-%m-%d").to_string()
}

/// `YYYY-MM-DD HH:MM:SS JST`.
pub fn date_time(instant: Timestamp) -> String {
    format!(
        "{} JST",
        zone().to_datetime(instant).strftime("%Y-%m-%d %H:%M:%S")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_shown_in_japan_time() {
        let instant: Timestamp = "2018-04-17T01:26:33Z".parse().unwrap();
        assert_eq!(date_time(instant), "2018-04-17 10:26:33 JST");
        let late: Timestamp = "2019-04-16T15:00:00Z".parse().unwrap();
        assert_eq!(date_time(late), "2019-04-17 00:00:00 JST");
    }

    #[test]
    fn dates_are_iso() {
        assert_eq!(date(jiff::civil::date(2019, 4, 7)), "2019-04-07");
    }
}
