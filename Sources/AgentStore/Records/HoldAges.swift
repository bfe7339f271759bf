import Foundation
import FulfillmentCore

/// Open holds counted by how long they have waited.
public struct HoldAges: Sendable, Equatable {
    /// Upper bounds of the buckets, in seconds; the last bucket has none.
    public static let bounds: [(label: String, seconds: TimeInterval)] = [
        ("under_1h", 3600), ("1h_to_4h", 4 * 3600), ("4h_to_24h", 86_400),
    ]
    public static let lastLabel = "over_24h"
    public static var labels: [String] { bounds.map(\.label) + [lastLabel] }

    /// Label → count, every label present.
    public var counts: [String: Int]
    /// When the longest-waiting hold was first held.
    public var oldestSince: Date?

    public init(heldSince: [Date], now: Date) {
        counts = Dictionary(uniqueKeysWithValues: Self.labels.map { ($0, 0) })
        for since in heldSince {
            let age = now.timeIntervalSince(since)
            let label = Self.bounds.first { age < $0.seconds }?.label ?? Self.lastLabel
            counts[label, default: 0] += 1
        }
        oldestSince = heldSince.min()
    }

    public var total: Int { counts.values.reduce(0, +) }

    /// `3 under 1h, 1 1h–4h, 0 4h–24h, 2 over 24h`.
    public var text: String {
        Self.labels.map { "\(counts[$0] ?? 0) \(Self.title($0))" }.joined(separator: ", ")
    }

    /// `under 1h`, `1h–4h`, …
    public static func title(_ label: String) -> String {
        label.replacingOccurrences(of: "_to_", with: "–").replacingOccurrences(of: "_", with: " ")
    }
}
