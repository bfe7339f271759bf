/// How one FR line would be filled: units promised and where they come from.
public struct LinePlan: Sendable, Equatable, Codable {
    /// Position in the FR, from 0.
    public var index: Int
    /// Flxpoint's FR item id, which `adjust` needs when a SKU repeats.
    public var itemId: Int?
    /// The line's SKU.
    public var sku: String?
    /// Units ordered.
    public var quantity: Int
    /// Units this line could promise before it took any (`item.available`).
    public var available: Int
    /// Units promised from stock.
    public var promised: Int
    /// Where the line's units come from.
    public var allocations: [Allocation]

    /// Units of a line taken from one location.
    public struct Allocation: Sendable, Equatable, Codable {
        /// The location.
        public var location: String
        /// Units taken there.
        public var quantity: Int
    }
}

/// The stock plan for one FR: per-line promises, the locations chosen, and the facts rules see.
public struct StockPlan: Sendable, Equatable, Codable {
    /// One plan per FR line, in order.
    public var lines: [LinePlan]
    /// The `stock.*` facts the plan gives.
    public var facts: StockFacts

    /// A `StockPlan` from its parts.
    public init(lines: [LinePlan], facts: StockFacts) {
        self.lines = lines
        self.facts = facts
    }

    /// Units available per line, for the `line` facts.
    public var lineFacts: [LineFacts] { lines.map { LineFacts(available: $0.available) } }
}

/// Plans which units of which location an FR can be promised.
public enum StockPlanner {
    /// Exhaustive location search up to this many candidate locations; greedy beyond.
    static let exhaustiveLimit = 12

    /// Prefers one location that covers everything promisable (in the configured order),
    /// otherwise the fewest locations. Safety stock is held back per SKU across locations.
    public static func plan(_ fr: FulfillmentRequest, ledger: StockLedger, policy: StockPolicy) -> StockPlan {
        // Promisable units per SKU, consumed line by line so a repeated SKU is never promised twice.
        var remaining: [String: Int] = [:]
        var lines: [LinePlan] = []
        for (index, item) in fr.items.enumerated() {
            var available = 0
            if let sku = item.sku {
                if remaining[sku] == nil {
                    remaining[sku] = ledger.promisable(sku: sku, safetyStock: policy.safetyStock)
                }
                available = remaining[sku] ?? 0
            }
            let promised = min(item.quantity, available)
            if let sku = item.sku { remaining[sku] = available - promised }
            lines.append(
                LinePlan(
                    index: index, itemId: item.id, sku: item.sku, quantity: item.quantity, available: available,
                    promised: promised, allocations: []))
        }

        var demand: [String: Int] = [:]
        for line in lines where line.promised > 0 { demand[line.sku!, default: 0] += line.promised }
        let order = orderedLocations(for: demand.keys, ledger: ledger, policy: policy)
        let chosen = chooseLocations(demand: demand, order: order, ledger: ledger)

        var free: [String: [String: Int]] = [:]
        for sku in demand.keys {
            for location in chosen { free[sku, default: [:]][location] = ledger.free(sku: sku, location: location) }
        }
        var used = Set<String>()
        for i in lines.indices where lines[i].promised > 0 {
            let sku = lines[i].sku!
            var need = lines[i].promised
            for location in chosen where need > 0 {
                let take = min(need, free[sku]?[location] ?? 0)
                guard take > 0 else { continue }
                lines[i].allocations.append(.init(location: location, quantity: take))
                free[sku]![location]! -= take
                need -= take
                used.insert(location)
            }
        }

        let units = lines.reduce(0) { $0 + $1.quantity }
        let promised = lines.reduce(0) { $0 + $1.promised }
        let facts = StockFacts(
            coversAll: promised == units, coversAny: promised > 0,
            fillRate: units == 0 ? 1 : Double(promised) / Double(units), missingUnits: units - promised,
            locationsNeeded: used.count)
        return StockPlan(lines: lines, facts: facts)
    }

    /// Configured locations first, in their order, then any other location holding the SKUs, by name.
    static func orderedLocations(for skus: some Sequence<String>, ledger: StockLedger, policy: StockPolicy) -> [String]
    {
        var others = Set<String>()
        for sku in skus { others.formUnion(ledger.locations(of: sku)) }
        others.subtract(policy.locations)
        return policy.locations + others.sorted()
    }

    /// The smallest set of locations whose free units cover `demand`, earliest in `order`
    /// first among sets of the same size.
    static func chooseLocations(demand: [String: Int], order: [String], ledger: StockLedger) -> [String] {
        guard !demand.isEmpty else { return [] }
        func covers(_ set: [String]) -> Bool {
            demand.allSatisfy { sku, need in set.reduce(0) { $0 + ledger.free(sku: sku, location: $1) } >= need }
        }
        let candidates = order.filter { location in
            demand.keys.contains { ledger.free(sku: $0, location: location) > 0 }
        }
        if candidates.count <= exhaustiveLimit {
            for size in 1...max(1, candidates.count) {
                if let set = firstCombination(of: candidates, size: size, where: covers) { return set }
            }
            return candidates
        }
        // Greedy: repeatedly add the location that covers the most still-missing units.
        var chosen: [String] = []
        var missing = demand
        while missing.values.contains(where: { $0 > 0 }) {
            let best = candidates.filter { !chosen.contains($0) }.max { a, b in
                let ga = missing.reduce(0) { $0 + min($1.value, ledger.free(sku: $1.key, location: a)) }
                let gb = missing.reduce(0) { $0 + min($1.value, ledger.free(sku: $1.key, location: b)) }
                return ga < gb || (ga == gb && order.firstIndex(of: a)! > order.firstIndex(of: b)!)
            }
            guard let best else { break }
            chosen.append(best)
            for (sku, need) in missing { missing[sku] = max(0, need - ledger.free(sku: sku, location: best)) }
        }
        return chosen.sorted { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! }
    }

    /// Combinations in lexicographic order of position, so preferred locations come first.
    private static func firstCombination(of items: [String], size: Int, where accept: ([String]) -> Bool) -> [String]? {
        guard size <= items.count else { return nil }
        var indices = Array(0..<size)
        while true {
            let set = indices.map { items[$0] }
            if accept(set) { return set }
            var i = size - 1
            while i >= 0 && indices[i] == items.count - size + i { i -= 1 }
            if i < 0 { return nil }
            indices[i] += 1
            for j in (i + 1)..<size { indices[j] = indices[j - 1] + 1 }
        }
    }
}
