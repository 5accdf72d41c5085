//! The office's clock: every "today", "this week" and "overdue" is reckoned on the calendar of
//! Mexico City, whatever zone a meeting is held in. Callers pass the instant (`now`), so tests
//! pin the date.

use crate::model::DEFAULT_TIME_ZONE;
use jiff::Timestamp;
use jiff::civil::Date;

/// The office's calendar day at `now`.
pub fn office_today(now: Timestamp) -> Date {
    office_zone().to_datetime(now).date()
}

/// `now` on the office's clock (Mexico City).
pub(crate) fn office_now(now: Timestamp) -> jiff::ZonedDateTime {
    now.to_zoned_datetime(office_zone().clone())
}

/// The office's time zone, looked up once.
fn office_zone() -> &'static jiff::tz::TimeZone {
    static ZONE: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();
    ZONE.get_or_init(|| {
        jiff::tz::db().get(DEFAULT_TIME_ZONE).expect("the bundled time-zone database has Mexico City")
    })
}
