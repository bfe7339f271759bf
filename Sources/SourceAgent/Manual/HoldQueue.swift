import AgentStore
import Foundation
import FulfillmentCore

/// One open hold as a person needs to see it: how long it waited and how long is left
/// before it escalates or its ship-by day is lost. The terminal and the console both list these.
public struct HoldQueueEntry: Sendable {
    public var hold: OpenHold
    public var fr: FulfillmentRequest?
    public var shipBy: String?
    /// The last moment the FR can leave and still meet its ship-by.
    public var shipByDeadline: Date?
    /// When the rule's `escalate:` fires, and what it does then.
    public var escalatesAt: Date?
    public var escalatesTo: String?
    /// A person's keep-holding ends here (the rules take the FR again).
    public var heldUntil: Date?

    public init(_ hold: OpenHold, ruleSet: RuleSet?) {
        self.hold = hold
        fr = try? FRListDecoder.decodeOne(text: hold.frJSON)
        shipBy = fr?.shipBy?.description
        heldUntil = hold.decision.rule == ManualDecision.rule ? hold.decision.holdUntil : nil
        guard let ruleSet else { return }
        shipByDeadline = ruleSet.calendar.shipByDeadline(fr?.shipBy)
        if hold.decision.rule != ManualDecision.rule, let escalate = ruleSet.escalation(ofRule: hold.decision.rule) {
            escalatesAt = escalate.firesAt(heldSince: hold.heldSince, shipByDeadline: shipByDeadline)
            escalatesTo = escalatesAt.map { _ in escalate.then.rawValue }
        }
    }

    /// The first of: escalation, the end of a person's keep-holding, the ship-by deadline.
    public var nextDeadline: (at: Date, what: String)? {
        let candidates: [(Date, String)] = [
            escalatesAt.map { ($0, "escalates to \(escalatesTo ?? "an answer")") },
            heldUntil.map { ($0, "back to the rules") },
            shipByDeadline.map { ($0, "ship-by lost") },
        ].compactMap { $0 }
        return candidates.min { $0.0 < $1.0 }
    }

    /// `3h 10m until escalates to cancel`, or `ship-by lost 2h ago`.
    public func timeLeft(now: Date) -> String {
        guard let next = nextDeadline else { return "no deadline" }
        let seconds = next.at.timeIntervalSince(now)
        if seconds < 0 {
            return next.what == "ship-by lost" ? "ship-by lost \(Self.span(-seconds)) ago" : "\(next.what) now"
        }
        return "\(Self.span(seconds)) until \(next.what)"
    }

    /// `45s`, `12m`, `3h 10m`, `2d 4h`.
    public static func span(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        return "\(s / 86_400)d \(s % 86_400 / 3600)h"
    }
}
