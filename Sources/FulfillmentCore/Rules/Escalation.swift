import Foundation

/// What a `hold` rule's `escalate:` says happens when nobody acts in time: after `after`
/// from the first hold, or `beforeShipBy` before the ship-by deadline, whichever is first.
public struct Escalation: Sendable, Equatable {
    /// How long after the first hold it fires, if set.
    public var after: TimeInterval?
    /// How long before the ship-by deadline it fires, if set.
    public var beforeShipBy: TimeInterval?
    /// `cancel` or `acknowledge`.
    public var then: DecisionKind
    /// The cancel reason, when `then` is `cancel`.
    public var reason: DecisionReason?

    /// A `Escalation` from its parts.
    public init(after: TimeInterval?, beforeShipBy: TimeInterval?, then: DecisionKind, reason: DecisionReason?) {
        self.after = after
        self.beforeShipBy = beforeShipBy
        self.then = then
        self.reason = reason
    }

    /// When it fires for an FR first held at `heldSince`: the earlier of the two triggers.
    public func firesAt(heldSince: Date, shipByDeadline: Date?) -> Date? {
        var times: [Date] = []
        if let after { times.append(heldSince.addingTimeInterval(after)) }
        if let beforeShipBy, let shipByDeadline { times.append(shipByDeadline.addingTimeInterval(-beforeShipBy)) }
        return times.min()
    }

    /// An escalation waits at most a year: longer is a typo, and it would never fire.
    static let longest: TimeInterval = 366 * 86_400

    /// `30s`, `90m`, `36h`, `2d`, `1w`: the same units as durations in expressions, at most
    /// `longest`.
    static func duration(_ text: String) -> TimeInterval? {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard text.utf8.count <= 20, let last = text.last, let unit = units[last], let value = Double(text.dropLast()),
            value >= 0, value.isFinite, text.dropLast().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            value * unit <= longest
        else { return nil }
        return value * unit
    }
}

extension WarehouseCalendar {
    /// The last moment an FR can leave and still meet its ship-by: the carrier pickup
    /// (cutoff) on the ship-by day, or the exact ship-by instant.
    public func shipByDeadline(_ shipBy: ShipBy?) -> Date? {
        switch shipBy {
        case nil: return nil
        case .instant(let date): return date
        case .day(let day): return timeZone.instant(on: day, minute: min(cutoffMinute, 24 * 60 - 1))
        }
    }
}
