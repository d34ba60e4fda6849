//! Japanese era dates (和暦): 令和8年4月1日, with 元年 for the first year of an era.

use crate::config::Lang;
use crate::model::Date;

/// Eras from their first day, newest first.
pub const ERAS: [(&str, (i32, u32, u32)); 5] = [
    ("令和", (2019, 5, 1)),
    ("平成", (1989, 1, 8)),
    ("昭和", (1926, 12, 25)),
    ("大正", (1912, 7, 30)),
    ("明治", (1868, 10, 23)),
];

/// A date in 和暦: 令和8年4月1日, 令和元年5月1日. Dates before 明治 fall back to 西暦.
pub fn wareki(d: Date) -> String {
    for (name, start) in ERAS {
        if (d.year, d.month, d.day) >= start {
            let y = d.year - start.0 + 1;
            let year = if y == 1 { "元".to_string() } else { y.to_string() };
            return format!("{name}{year}年{}月{}日", d.month, d.day);
        }
    }
    format!("{}年{}月{}日", d.year, d.month, d.day)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as English readers expect it: April 1, 2026.
pub fn english(d: Date) -> String {
    format!("{} {}, {}", MONTHS[d.month as usize - 1], d.day, d.year)
}

/// A date in the reading language: 和暦 in Japanese, Gregorian in English.
pub fn format_date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Ja => wareki(d),
        Lang::En => english(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn reiwa_heisei_and_gannen() {
        assert_eq!(wareki(d("2026-04-01")), "令和8年4月1日");
        assert_eq!(wareki(d("2019-05-01")), "令和元年5月1日");
        assert_eq!(wareki(d("2019-04-30")), "平成31年4月30日");
        assert_eq!(wareki(d("1989-01-08")), "平成元年1月8日");
        assert_eq!(wareki(d("1989-01-07")), "昭和64年1月7日");
        assert_eq!(english(d("2026-04-01")), "April 1, 2026");
        assert_eq!(format_date(d("2026-04-01"), Lang::Ja), "令和8年4月1日");
    }
}
