import Foundation

/// What the inventory push needs to remember between pushes.
public protocol InventoryStore: Sendable {
    /// Cached Flxpoint variant ids by SKU, for the SKUs given.
    func variantIds(for skus: [String]) async throws -> [String: Int]
    /// Remembers variant ids Flxpoint returned.
    func cacheVariantIds(_ ids: [String: Int], at now: Date) async throws
    /// The figures of the last successful push, by SKU.
    func pushedFigures() async throws -> [String: PushedFigure]
    /// Records figures Flxpoint accepted.
    func recordPushed(_ figures: [String: PushedFigure], at now: Date) async throws
    /// A unit cost per SKU from the stock snapshot: the first location (by name) that gives one.
    func stockCosts() async throws -> [String: Double]
}
