import AgentStore
import Foundation
import FulfillmentCore

/// The replay result in the shape docs/commands.md gives.
public struct ReplaySummary: Encodable, Sendable {
    public init() {}

    public var replayed = 0
    public var changed = 0
    public var byChange: [String: Int] = Dictionary(
        uniqueKeysWithValues: ReplayChange.allCases.map { ($0.rawValue, 0) })
    public var changes: [Change] = []
    public var unreadable = 0

    /// One decision that would change, as JSON.
    public struct Change: Encodable, Sendable {
        public var frId: Int
        public var frNumber: String?
        public var decidedAt: String
        public var before: ReplayOutcome
        public var after: ReplayOutcome
        public var kinds: [String]

        enum CodingKeys: String, CodingKey {
            case before, after
            case frId = "fr_id"
            case frNumber = "fr_number"
            case decidedAt = "decided_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case replayed, changed, changes
        case byChange = "by_change"
    }

    /// Counts one replayed decision; `after` is nil when its stored FR or outcome cannot be read.
    public mutating func add(_ logged: LoggedDecision, after: ReplayOutcome?) {
        guard let before = logged.outcome, let after else {
            unreadable += 1
            return
        }
        replayed += 1
        let kinds = Replay.changes(before, after)
        guard !kinds.isEmpty else { return }
        changed += 1
        for kind in kinds { byChange[kind.rawValue, default: 0] += 1 }
        changes.append(
            Change(
                frId: logged.frId, frNumber: logged.frNumber, decidedAt: Timestamp.utcString(logged.decidedAt),
                before: before, after: after, kinds: ReplayChange.allCases.filter(kinds.contains).map(\.rawValue)))
    }

    /// The summary as `replay --format json` prints it.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The summary as `replay` prints it: one line per change, then the counts.
    public func table(zone: TimeZone) -> String {
        var lines = changes.map { change in
            let name = change.frNumber ?? "#\(change.frId)"
            let before = "\(change.before.decision.rawValue) (\(change.before.rule))"
            let after = "\(change.after.decision.rawValue) (\(change.after.rule))"
            return "\(name)  \(change.decidedAt)  \(before) → \(after)  [\(change.kinds.joined(separator: ", "))]"
        }
        let counts = ReplayChange.allCases.map { "\(byChange[$0.rawValue] ?? 0) \($0.rawValue)" }
        lines.append(
            "\(replayed) decisions replayed, \(changed) would change (\(counts.joined(separator: ", ")))"
                + (unreadable > 0 ? "; \(unreadable) skipped: their FR JSON could not be read" : ""))
        return lines.joined(separator: "\n")
    }
}
