import Foundation
import FulfillmentCore

/// An alert waiting for (or past) delivery to the webhook.
public struct AlertRecord: Codable, Sendable, Equatable {
    public var id: Int64
    public var event: String
    public var frId: Int?
    public var payloadJSON: String
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, event, state, attempts
        case frId = "fr_id"
        case payloadJSON = "payload_json"
        case nextAttemptAt = "next_attempt_at"
        case lastError = "last_error"
        case createdAt = "created_at"
    }

    public init(
        id: Int64, event: String, frId: Int? = nil, payloadJSON: String, state: State, attempts: Int,
        nextAttemptAt: Date? = nil, lastError: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.event = event
        self.frId = frId
        self.payloadJSON = payloadJSON
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
    }

    /// Where a delivery stands: waiting for its (next) try, sent, or given up.
    public enum State: String, Codable, Sendable, CaseIterable {
        case pending, sent, dropped
    }
}
