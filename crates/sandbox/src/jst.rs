//! Japan civil time (Asia/Tokyo). Japan has kept UTC+09:00 without daylight saving since 1951, so a
//! fixed offset is exact for every date the sandbox deals with and needs no time-zone database.

use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use jiff::{Timestamp, ToSpan};

/// The Asia/Tokyo zone as a fixed +09:00 offset.
pub fn zone() -> TimeZone {
    TimeZone::fixed(tz::offset(9))
}

/// The JST civil date of an instant.
pub fn date_of(instant: Timestamp) -> Date {
    zone().to_datetime(instant).date()
}

/// The instant at which a JST civil date begins (00:00 JST).
pub fn start_of(date: Date) -> Timestamp {
    zone()
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(Timestamp::MAX)
}

/// `date` plus one year with jiff's civil arithmetic (Feb 29 + 1 year = Feb 28).
pub fn one_year_after(date: Date) -> Date {
    date.checked_add(1.year()).unwrap_or(Date::MAX)
}

/// Formats an instant as Seller Central does: `2018-04-17 10:26:33 JST`.
pub fn format_date_time(instant: Timestamp) -> String {
    format!(
        "{} JST",
        zone().to_datetime(instant).strftime("%Y-%m-%d %H:%M:%S")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guide_example_and_leap_day() {
        let granted: Timestamp = "2018-04-17T01:26:33Z".parse().unwrap();
        assert_eq!(format_date_time(granted), "2018-04-17 10:26:33 JST");
        assert_eq!(one_year_after(date_of(granted)).to_string(), "2019-04-17");
        let leap: Date = "2024-02-29".parse().unwrap();
        assert_eq!(one_year_after(leap).to_string(), "2025-02-28");
        // 2019-04-16T15:00Z is 2019-04-17 00:00 JST.
        assert_eq!(
            start_of("2019-04-17".parse().unwrap()),
            "2019-04-16T15:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(
            date_of("2019-04-16T15:00:00Z".parse().unwrap()).to_string(),
            "2019-04-17"
        );
    }
}
