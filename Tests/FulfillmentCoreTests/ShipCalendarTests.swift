import Foundation
import Testing

@testable import FulfillmentCore

@Suite("Ship calendar")
struct ShipCalendarTests {
    let chicago = WarehouseCalendar(
        timeZone: TimeZone(identifier: "America/Chicago")!, cutoffMinute: 14 * 60, handlingDays: 0,
        shipDays: [1, 2, 3, 4, 5],
        holidays: [LocalDate("2026-11-26")!, LocalDate("2026-12-25")!, LocalDate("2027-01-01")!])

    func earliest(_ now: String, _ calendar: WarehouseCalendar? = nil) -> String {
        let cal = calendar ?? chicago
        return Timestamp.string(cal.shipFacts(now: Build.instant(now), shipBy: nil).earliest, in: cal.timeZone)
    }

    @Test(
        "earliest ship instant",
        arguments: [
            ("2026-11-27T09:00:00-06:00", "2026-11-27T14:00-06:00"),  // Friday morning: today
            ("2026-11-27T13:59:59-06:00", "2026-11-27T14:00-06:00"),  // a second before cutoff
            ("2026-11-27T14:00:00-06:00", "2026-11-30T14:00-06:00"),  // exactly at cutoff counts as after
            ("2026-11-27T16:30:00-06:00", "2026-11-30T14:00-06:00"),  // Friday after cutoff: Monday
            ("2026-11-28T10:00:00-06:00", "2026-11-30T14:00-06:00"),  // Saturday
            ("2026-11-25T15:00:00-06:00", "2026-11-27T14:00-06:00"),  // Wed after cutoff, Thu is a holiday
            ("2026-12-24T15:00:00-06:00", "2026-12-28T14:00-06:00"),  // Christmas Eve after cutoff, then a weekend
            ("2026-12-31T15:00:00-06:00", "2027-01-04T14:00-06:00"),  // New Year holiday, weekend, year end
            ("2026-11-27T19:30:00Z", "2026-11-27T14:00-06:00"),  // 13:30 in Chicago given in UTC
            ("2026-11-27T20:30:00Z", "2026-11-30T14:00-06:00"),  // 14:30 in Chicago given in UTC
        ])
    func earliestShip(now: String, expected: String) {
        #expect(earliest(now) == expected)
    }

    @Test("across a DST change the cutoff stays at 14:00 local")
    func daylightSaving() {
        // US DST ends 2026-11-01 (Sunday) and begins 2027-03-14 (Sunday).
        #expect(earliest("2026-10-30T15:00:00-05:00") == "2026-11-02T14:00-06:00")
        #expect(earliest("2027-03-12T15:00:00-06:00") == "2027-03-15T14:00-05:00")
        #expect(earliest("2027-03-15T13:30:00-05:00") == "2027-03-15T14:00-05:00")
        // A cutoff inside the spring-forward gap lands on the first valid instant.
        var night = chicago
        night.cutoffMinute = 2 * 60 + 30
        night.shipDays = [7]
        #expect(earliest("2027-03-14T01:00:00-06:00", night) == "2027-03-14T03:30-05:00")
    }

    @Test("handling days add ship days, skipping holidays and weekends")
    func handling() {
        var calendar = chicago
        calendar.handlingDays = 2
        // Tuesday before cutoff, then Wednesday and (Thursday is a holiday) Friday.
        #expect(earliest("2026-11-24T09:00:00-06:00", calendar) == "2026-11-27T14:00-06:00")
        #expect(earliest("2026-11-24T15:00:00-06:00", calendar) == "2026-11-30T14:00-06:00")
    }

    @Test("a run of holidays is skipped")
    func holidayRun() {
        var calendar = chicago
        calendar.holidays = Set((21...31).map { LocalDate(year: 2026, month: 12, day: $0)! })
        #expect(earliest("2026-12-18T15:00:00-06:00", calendar) == "2027-01-01T14:00-06:00")
    }

    @Test("ship-by of today: met before the cutoff, one ship day late after it")
    func shipByToday() {
        let today = ShipBy.day(LocalDate("2026-11-27")!)
        let before = chicago.shipFacts(now: Build.instant("2026-11-27T13:00:00-06:00"), shipBy: today)
        #expect(before.meetsShipBy && before.daysLate == 0)
        let after = chicago.shipFacts(now: Build.instant("2026-11-27T14:00:00-06:00"), shipBy: today)
        #expect(!after.meetsShipBy && after.daysLate == 1)
    }

    @Test("days late counts ship days, and an instant ship-by compares as an instant")
    func daysLate() {
        let now = Build.instant("2026-11-27T15:00:00-06:00")  // earliest Monday 11-30
        let pastDue = chicago.shipFacts(now: now, shipBy: .day(LocalDate("2026-11-20")!))
        #expect(!pastDue.meetsShipBy && pastDue.daysLate == 5)  // 11-23, 24, 25, 27, 30 (26 is a holiday)
        let saturday = chicago.shipFacts(now: now, shipBy: .day(LocalDate("2026-11-28")!))
        #expect(!saturday.meetsShipBy && saturday.daysLate == 1)
        let instant = chicago.shipFacts(
            now: Build.instant("2026-11-27T09:00:00-06:00"),
            shipBy: .instant(Build.instant("2026-11-27T12:00:00-06:00")))
        #expect(!instant.meetsShipBy && instant.daysLate == 1)
        let later = chicago.shipFacts(
            now: Build.instant("2026-11-27T09:00:00-06:00"), shipBy: .instant(Build.instant("2026-11-27T21:00:00Z")))
        #expect(later.meetsShipBy)
        #expect(chicago.shipFacts(now: now, shipBy: nil).meetsShipBy)
    }

    @Test("local dates and weekdays")
    func localDates() {
        #expect(LocalDate("2026-11-27")!.isoWeekday == 5)
        #expect(LocalDate("2024-02-29") != nil && LocalDate("2026-02-29") == nil)
        #expect(LocalDate("1969-12-31")!.dayNumber == -1)
        #expect(LocalDate(dayNumber: LocalDate("2400-03-01")!.dayNumber).description == "2400-03-01")
        #expect(LocalDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
    }
}
