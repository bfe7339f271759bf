import AgentStore
import Foundation
import FulfillmentCore

/// `status --format json`: the same facts as the screen, as one object with stable keys
/// (`version: 1`), times in UTC ISO 8601, ages in seconds.
struct StatusJSON: Encodable {
    let version = 1
    /// The Flxpoint account (`default` without `sources:`) and the stock pool it draws on.
    let source: String
    let pool: String
    let lastCycle: Cycle?
    let answers: Answers
    let holds: Int
    /// When the oldest open hold was first held, as of the last cycle.
    let oldestHoldSince: String?
    let oldestHoldAgeSeconds: Int?
    /// Open holds that can no longer meet their ship-by day, as of the last cycle.
    let holdsPastShipBy: Int
    /// Open holds by how long they have waited: `under_1h`, `1h_to_4h`, `4h_to_24h`, `over_24h`.
    let holdsByAge: [String: Int]
    /// Decisions each person took, by name. A list, not an object: the snake-case encoder
    /// would rewrite a name like `AnaB` if it were a key.
    let manualDecisions: [Person]

    /// Decisions one person took.
    struct Person: Encodable {
        let by: String
        let decisions: Int
    }
    let awaitingShipment: Awaiting
    let quarantined: Int
    let paused: Bool
    let guardTripped: Bool
    let stockImportedAt: String?
    let decisions: [String: Int]

    /// The last cycle.
    struct Cycle: Encodable {
        let id: Int64
        let startedAt: String
        let finishedAt: String?
        let ageSeconds: Int
        let fetched, decided, sent, failed: Int
        let error: String?
    }

    /// Answers by state.
    struct Answers: Encodable {
        let sent, waiting, refused, withdrawn: Int
    }

    /// Units acknowledged and waiting to ship.
    struct Awaiting: Encodable {
        let units, frs: Int
        let oldestFR: String?
        let oldestAcknowledgedAt: String?
    }

    init(
        source: String, pool: String, status: AgentStatus, awaiting: AwaitingShipment, paused: Bool,
        holdAges: HoldAges, people: [String: Int], now: Date = AgentClock.now()
    ) {
        self.source = source
        self.pool = pool
        holdsByAge = holdAges.counts
        manualDecisions = people.sorted { $0.key < $1.key }.map { Person(by: $0.key, decisions: $0.value) }
        lastCycle = status.lastCycle.map {
            Cycle(
                id: $0.id ?? 0, startedAt: Timestamp.utcString($0.startedAt),
                finishedAt: $0.finishedAt.map(Timestamp.utcString),
                ageSeconds: Int(now.timeIntervalSince($0.finishedAt ?? $0.startedAt)), fetched: $0.fetched,
                decided: $0.decided, sent: $0.sent, failed: $0.failed, error: $0.error)
        }
        answers = Answers(
            sent: status.answered, waiting: status.pendingAnswers, refused: status.failedAnswers,
            withdrawn: status.withdrawnAnswers)
        holds = status.openHolds
        let oldest = status.openHolds > 0 ? status.lastCycle?.oldestHoldSince : nil
        oldestHoldSince = oldest.map(Timestamp.utcString)
        oldestHoldAgeSeconds = oldest.map { Int(now.timeIntervalSince($0)) }
        holdsPastShipBy = status.openHolds > 0 ? status.lastCycle?.holdsPastShipBy ?? 0 : 0
        self.awaitingShipment = Awaiting(
            units: awaiting.units, frs: awaiting.frs,
            oldestFR: awaiting.oldestFRNumber ?? awaiting.oldestFRId.map { "#\($0)" },
            oldestAcknowledgedAt: awaiting.oldestAnsweredAt.map(Timestamp.utcString))
        quarantined = status.quarantined
        self.paused = paused
        guardTripped = status.lastCycle?.guardTripped ?? false
        stockImportedAt = status.lastStockImport.map(Timestamp.utcString)
        decisions = Dictionary(
            uniqueKeysWithValues: DecisionKind.allCases.map { ($0.rawValue, status.decisionsByKind[$0.rawValue] ?? 0) })
    }

    var text: String { Self.text(self) }

    static func text(_ value: some Encodable) -> String {
        String(decoding: (try? StableJSON.encoder(snakeCase: true).encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// `status --format json` for a database holding several sources: one object per source.
struct StatusJSONList: Encodable {
    let version = 1
    let sources: [StatusJSON]
}
