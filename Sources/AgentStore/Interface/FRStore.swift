import Foundation
import FulfillmentCore

/// FRs as read from Flxpoint, and the malformed ones kept aside.
public protocol FRStore: Sendable {
    /// Upserts a page of FRs as seen now, in one transaction; an FR that decodes now leaves quarantine.
    func recordSeen(_ page: [(fr: FulfillmentRequest, rawJSON: String)], at now: Date) async throws
    /// The JSON of the FRs with these ids as `recordSeen` stored it, by id. Decoding is the
    /// caller's: a cycle reads its backlog back a batch at a time rather than holding every
    /// open FR in memory.
    func storedFRTexts(ids: [Int]) async throws -> [Int: String]
    /// FRs of the other sources drawing on this source's pool that were seen since `since`, are
    /// open upstream, have no decision yet and were created by `newest` (any time when nil): the
    /// ones another source's cycle has read and is about to decide, which may come before this
    /// source's FRs. Empty, without a scan, when no other source shares the pool.
    func undecidedElsewhereInPool(seenSince since: Date, createdBy newest: Date?) async throws -> [WaitingFR]
    /// The JSON of the FRs `waiting` names (of any source), as their sources last stored it.
    func storedFRTexts(_ waiting: [WaitingFR]) async throws -> [WaitingFR: String]
    /// The stored FR row.
    func frRecord(id: Int) async throws -> FRRecord?
    /// Every FR id with at least one decision.
    func decidedFRIds() async throws -> [Int]
    /// Keeps a malformed FR once per distinct text. Returns true when this text is new, so
    /// the caller reports it once rather than every cycle.
    func quarantine(_ failure: FRDecodeFailure, at now: Date) async throws -> Bool
    /// Every quarantined FR text, resolved or not.
    func quarantined() async throws -> [QuarantineRecord]
}
