//! The delivery speed behind Amazon's shipping level. The level is stored as Amazon sent it (MWS
//! `ShipServiceLevel`, e.g. `Std JP Kanto8`; SP-API `fulfillmentServiceLevel`, e.g. `STANDARD`); pages show the
//! speed it names in the reader's language, and the raw value when it names none they know.

/// A delivery speed Amazon's shipping levels name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShippingSpeed {
    /// Standard delivery (通常配送): MWS `Std …` / `Standard`, SP-API `STANDARD`.
    Standard,
    /// Expedited delivery (お急ぎ便): `Exp …` / `Expedited`, `EXPEDITED`.
    Expedited,
    /// A delivery date and time chosen by the buyer (お届け日時指定便): `Sched …` / `Scheduled`.
    Scheduled,
    /// Delivered the same day (当日お急ぎ便): `SameDay`, `SAME_DAY`.
    SameDay,
    /// Delivered the next day: `NextDay`, `NEXT_DAY`.
    NextDay,
    /// Delivered in two days: `SecondDay`, `SECOND_DAY`.
    SecondDay,
    /// Free economy delivery: `FreeEconomy`, `FREE_ECONOMY`.
    FreeEconomy,
    /// Priority delivery: `Priority`, `PRIORITY`.
    Priority,
}

impl ShippingSpeed {
    /// The speed a shipping level names, or `None` for a level this version does not know.
    ///
    /// A whole-word level (`Standard`, `NEXT_DAY`, `second day`; case, spaces and `_` ignored) names its speed;
    /// otherwise the level's first word does (`Std JP Kanto8` → standard, `Exp US D2D Dom` → expedited).
    pub fn of(level: &str) -> Option<Self> {
        let compact: String = level
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        Self::word(&compact).or_else(|| {
            let first = level.split_whitespace().next()?.to_ascii_lowercase();
            Self::word(&first)
        })
    }

    fn word(word: &str) -> Option<Self> {
        Some(match word {
            "std" | "standard" => Self::Standard,
            "exp" | "expedited" => Self::Expedited,
            "sched" | "scheduled" => Self::Scheduled,
            "sameday" => Self::SameDay,
            "nextday" => Self::NextDay,
            "secondday" => Self::SecondDay,
            "freeeconomy" => Self::FreeEconomy,
            "priority" => Self::Priority,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_apis_levels_name_one_speed() {
        for (mws, spapi, speed) in [
            ("Std JP Kanto8", "STANDARD", ShippingSpeed::Standard),
            ("Exp JP Kansai", "EXPEDITED", ShippingSpeed::Expedited),
            ("NextDay", "NEXT_DAY", ShippingSpeed::NextDay),
            ("SecondDay", "SECOND_DAY", ShippingSpeed::SecondDay),
            ("SameDay", "SAME_DAY", ShippingSpeed::SameDay),
            ("Scheduled", "SCHEDULED", ShippingSpeed::Scheduled),
            ("FreeEconomy", "FREE_ECONOMY", ShippingSpeed::FreeEconomy),
            ("Priority", "PRIORITY", ShippingSpeed::Priority),
        ] {
            assert_eq!(ShippingSpeed::of(mws), Some(speed), "{mws}");
            assert_eq!(ShippingSpeed::of(spapi), Some(speed), "{spapi}");
        }
        assert_eq!(
            ShippingSpeed::of("Std Domestic"),
            Some(ShippingSpeed::Standard)
        );
        assert_eq!(
            ShippingSpeed::of("Sched JP Kanto"),
            Some(ShippingSpeed::Scheduled)
        );
    }

    #[test]
    fn unknown_levels_name_nothing() {
        for level in ["", "   ", "Drone", "Stdx JP", "Express Kanto"] {
            assert_eq!(ShippingSpeed::of(level), None, "{level:?}");
        }
    }
}
