import Foundation

/// Spans as people write them in settings, flags and the console's forms: `30s`, `5m`, `2h`,
/// `1d` or plain seconds.
public enum DurationText {
    /// Ten years: beyond it a span is a typo (or `inf`, `1e300s`), refused rather than trapping
    /// when it becomes a `Duration`.
    public static let longest: Double = 10 * 365.25 * 86_400

    /// The seconds `text` says, from 0 to `longest`; nil for anything else, a NaN, an infinity
    /// or a negative number included.
    public static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        let seconds: Double
        if let unit = text.last.flatMap({ units[$0] }), let value = Double(text.dropLast()) {
            seconds = value * unit
        } else if let value = Double(text) {
            seconds = value
        } else {
            return nil
        }
        guard seconds.isFinite, (0...longest).contains(seconds) else { return nil }
        return seconds
    }

    /// "Hold until" as `decide --until` and the console take it: a span from `now` (`4h`, `2d`)
    /// or an ISO 8601 time with a zone; nil when it is neither.
    public static func until(_ text: String, now: Date) -> Date? {
        if let span = seconds(text) { return now.addingTimeInterval(span) }
        return try? Timestamp.parseInstant(text)
    }
}
