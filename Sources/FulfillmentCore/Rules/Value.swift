import Foundation

/// The static type of an expression.
indirect enum ValueType: Sendable, Equatable, CustomStringConvertible {
    case bool, int, decimal, string, time, date, duration, item
    case list(ValueType)
    /// The element type of `[]`, compatible with any list.
    case unknown

    var description: String {
        switch self {
        case .bool: return "bool"
        case .int: return "int"
        case .decimal: return "decimal"
        case .string: return "string"
        case .time: return "time"
        case .date: return "date"
        case .duration: return "duration"
        case .item: return "item"
        case .list(let element): return element == .unknown ? "list" : "list of \(element)"
        case .unknown: return "unknown"
        }
    }

    var isNumeric: Bool { self == .int || self == .decimal }
    var isTemporal: Bool { self == .time || self == .date }

    /// Whether values of the two types can be compared with `==` and ordered.
    func comparable(with other: ValueType) -> Bool {
        if self == other || self == .unknown || other == .unknown { return true }
        if isNumeric && other.isNumeric { return true }
        if isTemporal && other.isTemporal { return true }
        if case .list(let a) = self, case .list(let b) = other { return a.comparable(with: b) }
        return false
    }
}

/// A runtime value. `missing` is an optional fact that is absent.
public enum Value: Sendable, Equatable {
    case missing
    case bool(Bool)
    case int(Int)
    /// Exact base-10: money adds up to the cent (`12.15 + 3 * 245.95` is exactly 750).
    case decimal(Decimal)
    case string(String)
    case time(Date)
    case date(LocalDate)
    /// Seconds.
    case duration(Double)
    case list([Value])
    /// Index of an FR line.
    case item(Int)

    var isTrue: Bool { if case .bool(true) = self { return true } else { return false } }

    var number: Decimal? {
        switch self {
        case .int(let i): return Decimal(i)
        case .decimal(let d): return d
        default: return nil
        }
    }

    /// How the value reads in a trace, with times in the warehouse zone.
    func rendered(in zone: TimeZone) -> String {
        switch self {
        case .missing: return "missing"
        case .bool(let b): return String(b)
        case .int(let i): return String(i)
        case .decimal(let d): return Self.decimalText(d)
        case .string(let s): return "\"\(s)\""
        case .time(let t): return Timestamp.string(t, in: zone)
        case .date(let d): return d.description
        case .duration(let s): return Self.durationText(s)
        case .list(let values): return "[" + values.map { $0.rendered(in: zone) }.joined(separator: ", ") + "]"
        case .item(let i): return "line \(i + 1)"
        }
    }

    /// How the value reads inside a note: like a trace, but strings unquoted.
    func plainText(in zone: TimeZone) -> String {
        switch self {
        case .string(let s): return s
        case .list(let values): return values.map { $0.plainText(in: zone) }.joined(separator: ", ")
        default: return rendered(in: zone)
        }
    }

    static func decimalText(_ d: Double) -> String {
        if d.rounded() == d, abs(d) < 1e15 { return String(Int(d)) }
        let text = String(format: "%.4f", d)
        var trimmed = Substring(text)
        while trimmed.last == "0" { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// Exact as stored; a quotient with a long expansion (2 / 3) is rounded to 6 places.
    static func decimalText(_ d: Decimal) -> String {
        var value = d
        if value.exponent < -6 {
            var rounded = Decimal()
            NSDecimalRound(&rounded, &value, 6, .plain)
            value = rounded
        }
        return NSDecimalNumber(decimal: value).description(withLocale: Locale(identifier: "en_US_POSIX"))
    }

    /// About 31,700 years: further than any rule needs, near enough that days and instants
    /// derived from it stay well inside `Int`.
    static let maxDuration: Double = 1e12

    static func durationText(_ seconds: Double) -> String {
        if seconds == 0 { return "0s" }
        guard abs(seconds) <= maxDuration else { return "\(seconds)s" }
        var rest = Int(abs(seconds).rounded())
        var parts: [String] = []
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            parts.append("\(rest / size)\(unit)")
            rest %= size
        }
        return (seconds < 0 ? "-" : "") + parts.joined(separator: " ")
    }
}
