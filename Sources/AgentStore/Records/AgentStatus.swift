import Foundation
import FulfillmentCore

/// What `status` shows.
public struct AgentStatus: Sendable {
    public var lastCycle: CycleRecord?
    public var openHolds: Int
    public var pendingAnswers: Int
    public var failedAnswers: Int
    public var withdrawnAnswers: Int = 0
    public var quarantined: Int
    public var answered: Int
    public var lastStockImport: Date?
    public var decisionsByKind: [String: Int]

    /// Every field, as the engines build it.
    public init(
        lastCycle: CycleRecord? = nil, openHolds: Int, pendingAnswers: Int, failedAnswers: Int,
        withdrawnAnswers: Int = 0, quarantined: Int, answered: Int, lastStockImport: Date? = nil,
        decisionsByKind: [String: Int]
    ) {
        self.lastCycle = lastCycle
        self.openHolds = openHolds
        self.pendingAnswers = pendingAnswers
        self.failedAnswers = failedAnswers
        self.withdrawnAnswers = withdrawnAnswers
        self.quarantined = quarantined
        self.answered = answered
        self.lastStockImport = lastStockImport
        self.decisionsByKind = decisionsByKind
    }
}
