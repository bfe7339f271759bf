import Foundation
import FulfillmentCore

/// `--since` / `--until` for `replay` and `report`: a date (midnight in the warehouse zone), a
/// date-time with a zone, or a span back from now such as `7d`, `36h` or `90m`.
public struct TimeWindow: Sendable, Equatable {
    public var since: Date
    public var until: Date

    public init(since: Date, until: Date) {
        self.since = since
        self.until = until
    }

    /// The window `since` to `until` say (either may be missing); throws `TimeWindowError`.
    public static func parse(since: String?, until: String?, now: Date, zone: TimeZone) throws -> TimeWindow {
        let from = try since.map { try instant($0, option: "--since", now: now, zone: zone) } ?? .distantPast
        let to = try until.map { try instant($0, option: "--until", now: now, zone: zone) } ?? .distantFuture
        guard from < to else { throw TimeWindowError("--since must be before --until") }
        return TimeWindow(since: from, until: to)
    }

    /// One end of the window, named by `option` in the error.
    public static func instant(_ text: String, option: String, now: Date, zone: TimeZone) throws -> Date {
        let units: [Character: TimeInterval] = ["m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let unit = text.last.flatMap({ units[$0] }), let count = Int(text.dropLast()), count >= 0 {
            // A century back covers any history; more is a typo, and far dates break formatting.
            guard Double(count) * unit <= 100 * 366 * 86_400 else {
                throw TimeWindowError("\(option): \(Quote.short(text)) reaches back more than 100 years")
            }
            return now.addingTimeInterval(-Double(count) * unit)
        }
        do {
            switch try Timestamp.parse(text) {
            case .date(let day): return zone.instant(on: day, minute: 0)
            case .instant(let instant, _): return instant
            }
        } catch {
            throw TimeWindowError("\(option): \(error.description); or a span back from now such as 7d or 36h")
        }
    }
}

/// A `--since`/`--until` (or the report page's fields) that names no usable time.
public struct TimeWindowError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
