import Foundation

/// How far a moment is from now, in the words a person reads at a glance: "just now",
/// "12 minutes ago", "6 days ago", "in 3 hours". The exact time goes beside it (a tooltip in
/// the console) where it matters.
public enum HumanTime {
    /// `date` relative to `now`, in the largest unit that keeps the number readable (whole
    /// units, rounded down, as "6 days ago" means at least six days).
    public static func relative(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        let distance = abs(seconds)
        guard distance.isFinite else { return "at an unknown time" }
        if distance < 10 { return "just now" }
        let span = Self.span(distance)
        return seconds >= 0 ? "\(span) ago" : "in \(span)"
    }

    /// The local day of `date` with its weekday, as a trace says when stock lands: "Wed 2026-12-09".
    public static func day(_ date: Date, zone: TimeZone) -> String {
        let day = zone.localDate(of: date)
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return "\(names[day.isoWeekday - 1]) \(day)"
    }

    /// A length of time: "45 seconds", "3 hours", "6 days", "5 weeks", "4 months", "2 years".
    public static func span(_ seconds: TimeInterval) -> String {
        let units: [(limit: TimeInterval, size: TimeInterval, name: String)] = [
            (90, 1, "second"), (90 * 60, 60, "minute"), (36 * 3600, 3600, "hour"), (14 * 86_400, 86_400, "day"),
            (60 * 86_400, 7 * 86_400, "week"), (730 * 86_400, 30 * 86_400, "month"),
        ]
        let distance = max(0, seconds)
        let unit = units.first { distance < $0.limit } ?? (.infinity, 365 * 86_400, "year")
        let count = Int(min(distance / unit.size, 1e9))
        return "\(count) \(unit.name)\(count == 1 ? "" : "s")"
    }
}
