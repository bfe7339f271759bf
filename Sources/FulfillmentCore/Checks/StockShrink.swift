/// What a stock import would take away: the SKUs that have units on hand now and would have
/// none after it (zeroed, or missing from the file). A header-only file, or an export cut
/// short by a warehouse system, would otherwise wipe the shelves in the agent's eyes, and it
/// would cancel orders it could fill.
public struct StockShrink: Sendable, Equatable {
    /// An import that empties more than this share of the SKUs in stock needs a person's word
    /// (`stock import --allow-shrink`).
    public static let maxShare = 0.5

    /// SKUs in stock now that the import would leave at zero, sorted.
    public var emptied: [String]
    /// SKUs with units on hand now.
    public var inStock: Int

    /// Share of the SKUs in stock that the import would leave with none.
    public var share: Double { inStock == 0 ? 0 : Double(emptied.count) / Double(inStock) }

    /// True when the import empties more than `maxShare` of the SKUs in stock.
    public var isTooLarge: Bool { !emptied.isEmpty && share > Self.maxShare }

    /// A `StockShrink` from its parts.
    public init(current: [StockLevel], incoming: [StockLevel]) {
        var before: [String: Int] = [:]
        for level in current { before[level.sku, default: 0] += level.onHand }
        var after: [String: Int] = [:]
        for level in incoming { after[level.sku, default: 0] += level.onHand }
        let stocked = before.filter { $0.value > 0 }
        inStock = stocked.count
        emptied = stocked.keys.filter { (after[$0] ?? 0) == 0 }.sorted()
    }

    /// What to tell the person: how many, which (the first ten), and how to go ahead.
    public var refusal: String {
        let shown = emptied.prefix(10).map { TerminalText.escaped($0) }.joined(separator: ", ")
        let more = emptied.count > 10 ? " and \(emptied.count - 10) more" : ""
        return "this import would leave \(emptied.count) of the \(inStock) SKUs in stock with none "
            + "(\(Int((share * 100).rounded()))%, more than \(Int(Self.maxShare * 100))%): \(shown)\(more). "
            + "A truncated or empty export? Nothing was changed. If the shelves really are empty, "
            + "run it again with --allow-shrink"
    }
}

/// A stock import refused because it would empty too much of the pool.
public struct StockShrinkRefused: Error, Sendable, CustomStringConvertible {
    /// The shrink that was refused.
    public var shrink: StockShrink
    /// A `StockShrinkRefused` from its parts.
    public init(_ shrink: StockShrink) { self.shrink = shrink }
    /// The text shown in messages and logs.
    public var description: String { shrink.refusal }
}
