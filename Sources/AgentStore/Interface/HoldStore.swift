import Foundation

/// The hold queue: FRs waiting for a person, and what people decided.
public protocol HoldStore: Sendable {
    /// Open holds, the longest held first, at most `limit`. FRs voided or cancelled upstream
    /// are left out.
    func openHolds(limit: Int) async throws -> [OpenHold]
    /// When each open hold was first held: what `status`, `/metrics` and alerts count by age.
    func openHoldsSince() async throws -> [Date]
    /// An FR by id or number (an id is tried first), with its live answer and how long it has
    /// been held.
    func standing(of key: String) async throws -> FRStanding?
    /// How many decisions each person took, for `status` and `/metrics`.
    func manualDecisionsByPerson() async throws -> [String: Int]
}

extension HoldStore {
    /// Every open hold, the longest held first.
    public func openHolds() async throws -> [OpenHold] { try await openHolds(limit: 100_000) }
}
