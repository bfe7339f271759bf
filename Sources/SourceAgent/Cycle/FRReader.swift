import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging
import Synchronization

/// The cycle's first step: reads every open FR once, records what it saw and quarantines
/// the malformed, so one bad FR never stops the others.
struct FRReader: Sendable {
    let database: any SourceStore
    let api: any FlxpointSourceAPI
    let settings: AgentSettings
    let alerts: Alerts
    let logger: Logger
    let metrics: AgentMetrics
    let tolerated = OncePerKey()

    /// What a reading of the open list gave.
    struct Reading: Sendable {
        /// Every open FR read, once each.
        var frs: [SeenFR] = []
        /// The FRs themselves while there are few; nil past `cycleFRsInMemory`, when they are
        /// read back from the database a batch at a time.
        var kept: [Int: (fr: FulfillmentRequest, rawJSON: String)]? = [:]
        /// False when the page bound or a stop request cut the listing short.
        var complete = true
    }

    /// Reads every open FR once (an id listed twice counts once), quarantining the malformed.
    func read(_ report: inout CycleReport, at now: Date, shouldStop: @Sendable () -> Bool) async throws -> Reading {
        var reading = Reading()
        var ids = Set<Int>()
        var pages = 0
        for try await page in api.fulfillmentRequestPages(FRQuery(pageSize: settings.pageSize)) {
            pages += 1
            var decoded: [(fr: FulfillmentRequest, rawJSON: String)] = []
            var repeated = 0
            for entry in page {
                switch entry.result {
                case .success(let fr):
                    guard ids.insert(fr.id).inserted else {
                        logger.warning(
                            "FR listed twice in one poll; it is decided once", metadata: ["fr.id": "\(fr.id)"])
                        repeated += 1
                        continue
                    }
                    decoded.append((fr, entry.rawJSON))
                    reading.frs.append(SeenFR(fr))
                    reading.kept?[fr.id] = (fr, entry.rawJSON)
                    if (reading.kept?.count ?? 0) > settings.cycleFRsInMemory { reading.kept = nil }
                    warnOfToleratedFields(fr)
                case .failure(let failure):
                    try await quarantine(failure, at: now, report: &report)
                }
            }
            try await database.recordSeen(decoded, at: now)
            report.fetched += page.count - repeated
            if pages >= settings.maxPagesPerCycle {
                logger.warning(
                    "more open FRs than one cycle reads; the rest are read next cycle",
                    metadata: [
                        "poll.max_pages": "\(settings.maxPagesPerCycle)", "poll.page_size": "\(settings.pageSize)",
                    ])
                reading.complete = false
                return reading
            }
            if shouldStop() {
                reading.complete = false
                return reading
            }
        }
        return reading
    }

    private func warnOfToleratedFields(_ fr: FulfillmentRequest) {
        for field in fr.toleratedFields where tolerated.first(field) {
            logger.warning(
                "an FR field had an unexpected type and was read as absent (logged once per field)",
                metadata: ["fr.id": "\(fr.id)", "fr.field": "\(field)"])
        }
    }

    private func quarantine(_ failure: FRDecodeFailure, at now: Date, report: inout CycleReport) async throws {
        guard try await database.quarantine(failure, at: now) else { return }
        report.quarantined += 1
        metrics.quarantined()
        logger.error(
            "malformed FR quarantined; it is read again when it changes upstream",
            metadata: [
                "fr.id": "\(failure.frId.map(String.init) ?? "unknown")", "error": "\(failure.description)",
            ])
        await alerts.raise(.frQuarantined, frId: failure.frId, message: failure.description)
    }
}

/// What a cycle keeps of each open FR while it reads the list: enough to withdraw stale
/// answers and to order the backlog. The FRs themselves are read back from the database a
/// batch at a time when they are decided, so memory does not grow with the backlog.
struct SeenFR: Sendable {
    let id: Int
    let createdAt: Date?
    let status: String?
    let isClosedUpstream: Bool
    let fingerprint: String

    init(_ fr: FulfillmentRequest) {
        id = fr.id
        createdAt = fr.createdAt
        status = fr.status
        isClosedUpstream = fr.isClosedUpstream
        fingerprint = fr.answerFingerprint
    }

    /// The order `Decider.oldestFirst` gives the FRs themselves.
    static func oldestFirst(_ frs: [SeenFR]) -> [SeenFR] {
        frs.sorted { a, b in Decider.precedes((a.createdAt, a.id), (b.createdAt, b.id)) }
    }
}

/// Remembers keys already reported, so a recurring oddity is logged once per process.
final class OncePerKey: Sendable {
    private let seen = Mutex<Set<String>>([])

    /// True the first time `key` is seen.
    func first(_ key: String) -> Bool { seen.withLock { $0.insert(key).inserted } }
}
