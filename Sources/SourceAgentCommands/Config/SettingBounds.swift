import Foundation
import FulfillmentCore

/// Every number a person or a file gives a setting, by kind, with both ends stated: the one
/// place `Settings.problem` reads them from, and what `--help` and docs/configuration.md say.
/// A value outside its range is refused naming the setting, the value and the range; nothing
/// out of range ever reaches the code that would trap or stall on it.
enum SettingBound: Sendable, Equatable {
    /// Requests per second: 0 for no limit, else `minimum` to `maximum`.
    case rate(minimum: Double, maximum: Double)
    /// A length of time from `minimum` to `maximum` seconds.
    case duration(minimum: Double, maximum: Double)
    /// A TCP port; 0 (the system picks a free one) when `allowsZero`.
    case port(allowsZero: Bool)

    /// The bound of each numeric setting.
    static let bySetting: [Settings.Key: SettingBound] = [
        .maxRPS: .rate(minimum: 0.01, maximum: 1_000),
        .interval: .duration(minimum: 0.1, maximum: 86_400),
        .stockMaxAge: .duration(minimum: 1, maximum: 3_650 * 86_400),
        .inventoryInterval: .duration(minimum: 1, maximum: 30 * 86_400),
        .inventoryInboundWithin: .duration(minimum: 0, maximum: 365 * 86_400),
        .trackingSettle: .duration(minimum: 0, maximum: 3_600),
        .readBackAfter: .duration(minimum: 0, maximum: 365 * 86_400),
        .leaseTTL: .duration(minimum: 1, maximum: 3_600),
        .leaseRenew: .duration(minimum: 0.1, maximum: 3_600),
        .metricsPort: .port(allowsZero: false),
        .consolePort: .port(allowsZero: true),
    ]

    /// A setting's range for its `--help` line.
    static func words(_ key: Settings.Key) -> String { bySetting[key]?.range ?? "" }

    /// The range in words, as `--help`, the docs and the error say it.
    var range: String {
        switch self {
        case .rate(let minimum, let maximum):
            "0 (no limit) or from \(Self.number(minimum)) to \(Self.number(maximum)) requests per second"
        case .duration(let minimum, let maximum):
            "from \(Self.duration(minimum)) to \(Self.duration(maximum))"
        case .port(let allowsZero):
            allowsZero ? "a port from 0 (any free port) to 65535" : "a port from 1 to 65535"
        }
    }

    /// Nil when `value` is within the bound; else why not, naming `name`, the value and the range.
    func problem(_ name: String, _ value: String) -> String? {
        let got = "got \(Quote.short(value))"
        switch self {
        case .rate(let minimum, let maximum):
            guard let rate = Double(value), rate.isFinite, rate == 0 || (minimum...maximum).contains(rate) else {
                return "\(name) must be \(range), \(got)"
            }
            return nil
        case .duration(let minimum, let maximum):
            guard let seconds = DurationArgument.seconds(value), (minimum...maximum).contains(seconds) else {
                return "\(name) must be a duration \(range) (such as 30s, 5m, 24h or 2d), \(got)"
            }
            return nil
        case .port(let allowsZero):
            guard let port = Int(value), ((allowsZero ? 0 : 1)...65_535).contains(port) else {
                return "\(name) must be \(range), \(got)"
            }
            return nil
        }
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    private static func duration(_ seconds: Double) -> String {
        for (unit, length) in [("d", 86_400.0), ("h", 3_600), ("m", 60)] where seconds >= length {
            if seconds.truncatingRemainder(dividingBy: length) == 0 { return "\(Int(seconds / length))\(unit)" }
        }
        return "\(number(seconds))s"
    }
}
