import AgentStore
import Foundation
import Logging

/// The cycle's second step: withdraws unsent answers whose FR changed or closed upstream
/// since it was decided. An answer already attempted is left to the sender, which reads the
/// FR back first.
struct StaleAnswers: Sendable {
    let database: any SourceStore
    let logger: Logger
    let clock: @Sendable () -> Date

    func withdraw(among frs: [SeenFR], report: inout CycleReport) async throws {
        let pending = try await database.pendingAnswers(among: frs.map(\.id))
        for fr in frs {
            guard let answer = pending[fr.id], answer.attempts == 0 else { continue }
            let reason: String
            if fr.isClosedUpstream {
                reason = "FR is \(fr.status ?? "voided") upstream: no answer is sent"
            } else if let decided = answer.fingerprint, decided != fr.fingerprint {
                reason = "FR changed upstream after it was decided (items, quantities, address or ship-by)"
            } else {
                continue
            }
            if try await database.withdrawPending(
                frId: fr.id, reason: reason, backToPerson: !fr.isClosedUpstream, at: clock())
            {
                report.withdrawn += 1
                logger.notice("unsent answer withdrawn", metadata: ["fr.id": "\(fr.id)", "reason": "\(reason)"])
            }
        }
    }
}
