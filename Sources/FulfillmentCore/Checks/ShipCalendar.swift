import Foundation

extension WarehouseCalendar {
    /// A weekday the warehouse ships on that is not a holiday.
    public func isShipDay(_ day: LocalDate) -> Bool {
        shipDays.contains(day.isoWeekday) && !holidays.contains(day)
    }

    /// The first ship day strictly after `day`. Terminates because the loader requires at
    /// least one ship day and holidays are finite.
    public func nextShipDay(after day: LocalDate) -> LocalDate {
        var candidate = day.adding(days: 1)
        while !isShipDay(candidate) { candidate = candidate.adding(days: 1) }
        return candidate
    }

    /// The day a parcel can leave: today when it is a ship day and `now` is before the
    /// cutoff (exactly at the cutoff counts as after), else the next ship day; then
    /// `handlingDays` more ship days.
    public func earliestShipDay(now: Date) -> LocalDate {
        let today = timeZone.localDate(of: now)
        let beforeCutoff = timeZone.minuteOfDay(of: now) < cutoffMinute
        var day = isShipDay(today) && beforeCutoff ? today : nextShipDay(after: today)
        for _ in 0..<handlingDays { day = nextShipDay(after: day) }
        return day
    }

    /// The calendar facts for an FR decided at `now`.
    public func shipFacts(now: Date, shipBy: ShipBy?) -> ShipFacts {
        let day = earliestShipDay(now: now)
        // The parcel leaves with the carrier pickup at the cutoff; with no cutoff, at the end of the day.
        let earliest = timeZone.instant(on: day, minute: min(cutoffMinute, 24 * 60 - 1))
        let meets: Bool
        let lastDay: LocalDate
        switch shipBy {
        case nil:
            return ShipFacts(earliest: earliest, meetsShipBy: true, daysLate: 0)
        case .day(let due):
            meets = day <= due
            lastDay = due
        case .instant(let due):
            meets = earliest <= due
            lastDay = timeZone.localDate(of: due)
        }
        guard !meets else { return ShipFacts(earliest: earliest, meetsShipBy: true, daysLate: 0) }
        var late = 0
        var cursor = lastDay
        while cursor < day {
            cursor = cursor.adding(days: 1)
            if isShipDay(cursor) { late += 1 }
        }
        return ShipFacts(earliest: earliest, meetsShipBy: false, daysLate: max(1, late))
    }
}
