//! Civil dates as day numbers (days since 1970-01-01), so the engine counts with integer arithmetic.

use jiff::civil::Date;

/// Days since 1970-01-01 (negative before it).
pub(crate) type Day = i32;

/// Days before the first of each month in a common year.
const DAYS_BEFORE_MONTH: [u16; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/// The day number of a civil date.
#[inline]
pub(crate) fn day_of(date: Date) -> Day {
    let year = date.year();
    if year >= 1 {
        // Fast path with unsigned arithmetic: every date the register will see.
        let y = u32::from(year.unsigned_abs());
        let prior = y - 1;
        let days_before_year = prior * 365 + prior / 4 - prior / 100 + prior / 400;
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        let month = usize::from(date.month().unsigned_abs()).clamp(1, 12);
        let day_of_year = u32::from(DAYS_BEFORE_MONTH[month - 1])
            + u32::from(leap && month > 2)
            + u32::from(date.day().unsigned_abs())
            - 1;
        // 719 162 days from 0001-01-01 to 1970-01-01.
        return i32::try_from(days_before_year + day_of_year).unwrap_or(Day::MAX) - 719_162;
    }
    day_of_any(date)
}

/// Howard Hinnant's days-from-civil, valid for every year jiff supports.
fn day_of_any(date: Date) -> Day {
    let month = i32::from(date.month());
    let day = i32::from(date.day());
    let year = i32::from(date.year()) - i32::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12; // March = 0, so the leap day is last
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date of a day number; saturates at the ends of the supported range.
pub(crate) fn date_of(day: Day) -> Date {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let dom = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i32::from(month <= 2);
    let (Ok(y), Ok(m), Ok(d)) = (i16::try_from(year), i8::try_from(month), i8::try_from(dom)) else {
        return if day < 0 { Date::MIN } else { Date::MAX };
    };
    Date::new(y, m, d).unwrap_or(if day < 0 { Date::MIN } else { Date::MAX })
}

/// 1 January of the year that contains `day`.
pub(crate) fn year_start(day: Day) -> Day {
    let date = date_of(day);
    day - i32::from(date.day_of_year()) + 1
}

/// Weekday with Monday = 0 … Sunday = 6.
pub(crate) fn weekday(day: Day) -> u8 {
    // 1970-01-01 was a Thursday (3).
    u8::try_from((day + 3).rem_euclid(7)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn epoch_and_known_dates_round_trip() {
        assert_eq!(day_of(date(1970, 1, 1)), 0);
        assert_eq!(day_of(date(2000, 3, 1)), 11_017);
        assert_eq!(date_of(day_of(date(2024, 2, 29))), date(2024, 2, 29));
        assert_eq!(weekday(day_of(date(2025, 1, 1))), 2, "1 January 2025 is a Wednesday");
        assert_eq!(year_start(day_of(date(2025, 12, 31))), day_of(date(2025, 1, 1)));
        assert_eq!(day_of(date(1, 1, 1)), day_of_any(date(1, 1, 1)));
        assert_eq!(date_of(day_of(date(-5, 3, 1))), date(-5, 3, 1));
    }

    #[test]
    fn every_day_of_four_centuries_round_trips_and_agrees_with_jiff() {
        let mut d = date(1900, 1, 1);
        let mut n = day_of(d);
        while d < date(2300, 1, 1) {
            assert_eq!(date_of(n), d);
            assert_eq!(day_of(d), n);
            assert_eq!(day_of_any(d), n);
            assert_eq!(weekday(n), d.weekday().to_monday_zero_offset() as u8);
            d = d.tomorrow().unwrap();
            n += 1;
        }
    }
}
