import Foundation
import FulfillmentCore

/// One answer as `answers list` shows it.
public struct AnswerListing: Codable, Sendable, Equatable {
    public var id: Int64
    public var frId: Int
    public var frNumber: String?
    public var decision: DecisionKind
    public var rule: String
    public var kind: OutboxRecord.Kind
    public var state: OutboxRecord.State
    public var attempts: Int
    public var lastError: String?
    public var outcome: String?
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, decision, rule, kind, state, attempts, outcome
        case frId = "fr_id"
        case frNumber = "fr_number"
        case lastError = "last_error"
        case nextAttemptAt = "next_attempt_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: Int64, frId: Int, frNumber: String? = nil, decision: DecisionKind, rule: String, kind: OutboxRecord.Kind,
        state: OutboxRecord.State,
        attempts: Int, lastError: String? = nil, outcome: String? = nil, nextAttemptAt: Date? = nil, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.frId = frId
        self.frNumber = frNumber
        self.decision = decision
        self.rule = rule
        self.kind = kind
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.outcome = outcome
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
