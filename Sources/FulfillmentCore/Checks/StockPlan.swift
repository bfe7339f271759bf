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
    /// Where the line's units come from (none for a kit: its components' say).
    public var allocations: [Allocation]
    /// For a kit, how each of its stocked components is filled; nil for a SKU stocked as itself.
    public var components: [ComponentPlan]?

    /// A `LinePlan` from its parts.
    public init(
        index: Int, itemId: Int?, sku: String?, quantity: Int, available: Int, promised: Int,
        allocations: [Allocation], components: [ComponentPlan]? = nil
    ) {
        self.index = index
        self.itemId = itemId
        self.sku = sku
        self.quantity = quantity
        self.available = available
        self.promised = promised
        self.allocations = allocations
        self.components = components
    }

    /// The component that let the fewest kits be promised, when the line is short of them.
    public var limitingComponent: ComponentPlan? {
        guard promised < quantity, let components else { return nil }
        return components.min { $0.available < $1.available }
    }

    /// SKU, location and units of every unit the line takes from the shelf: its own, or its
    /// components' for a kit.
    public var shelfUnits: [(sku: String, allocation: Allocation)] {
        if let components {
            return components.flatMap { component in component.allocations.map { (component.sku, $0) } }
        }
        guard let sku else { return [] }
        return allocations.map { (sku, $0) }
    }

    /// Units of a line taken from one location.
    public struct Allocation: Sendable, Equatable, Codable {
        /// The location.
        public var location: String
        /// Units taken there.
        public var quantity: Int
    }
}

/// How one stocked component of a kit line would be filled.
public struct ComponentPlan: Sendable, Equatable, Codable {
    /// The component's SKU.
    public var sku: String
    /// Units of it per kit.
    public var perKit: Int
    /// Kits this component alone could cover before the line took any.
    public var available: Int
    /// Units of it promised: the line's promised kits times `perKit`.
    public var promised: Int
    /// Where those units come from.
    public var allocations: [LinePlan.Allocation]

    /// A `ComponentPlan` from its parts.
    public init(sku: String, perKit: Int, available: Int, promised: Int, allocations: [LinePlan.Allocation] = []) {
        self.sku = sku
        self.perKit = perKit
        self.available = available
        self.promised = promised
        self.allocations = allocations
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

    /// The kits the plan's lines were promised as, each by its stocked components: what
    /// `replay` needs to plan the FR again as it was, whatever the kits file says later.
    public var kitsUsed: [Kit] {
        var seen = Set<String>()
        return lines.compactMap { line in
            guard let sku = line.sku, let components = line.components, seen.insert(sku).inserted else { return nil }
            return Kit(sku: sku, components: components.map { Kit.Component(sku: $0.sku, quantity: $0.perKit) })
        }
    }
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
            if let sku = item.sku, let parts = ledger.kits.components(of: sku) {
                lines.append(kitLine(item, index: index, parts: parts, remaining: &remaining, ledger, policy))
                continue
            }
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
        for line in lines where line.promised > 0 {
            if let components = line.components {
                for component in components { demand[component.sku, default: 0] += component.promised }
            } else {
                demand[line.sku!, default: 0] += line.promised
            }
        }
        let order = orderedLocations(for: demand.keys, ledger: ledger, policy: policy)
        let chosen = chooseLocations(demand: demand, order: order, ledger: ledger)

        var free: [String: [String: Int]] = [:]
        for sku in demand.keys {
            for location in chosen { free[sku, default: [:]][location] = ledger.free(sku: sku, location: location) }
        }
        var used = Set<String>()
        // The units of `sku` taken from the chosen locations, in their order.
        func allocate(_ sku: String, _ units: Int) -> [LinePlan.Allocation] {
            var need = units
            var taken: [LinePlan.Allocation] = []
            for location in chosen where need > 0 {
                let take = min(need, free[sku]?[location] ?? 0)
                guard take > 0 else { continue }
                taken.append(.init(location: location, quantity: take))
                free[sku]![location]! -= take
                need -= take
                used.insert(location)
            }
            return taken
        }
        for i in lines.indices where lines[i].promised > 0 {
            if let components = lines[i].components {
                for j in components.indices {
                    lines[i].components![j].allocations = allocate(components[j].sku, components[j].promised)
                }
            } else {
                lines[i].allocations = allocate(lines[i].sku!, lines[i].promised)
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

    /// A kit's line: as many kits as every component still covers, each component's units
    /// taken from what is left of it for the lines after.
    private static func kitLine(
        _ item: FulfillmentRequestItem, index: Int, parts: [Kit.Component], remaining: inout [String: Int],
        _ ledger: StockLedger,
        _ policy: StockPolicy
    ) -> LinePlan {
        for part in parts where remaining[part.sku] == nil {
            remaining[part.sku] = ledger.promisable(sku: part.sku, safetyStock: policy.safetyStock)
        }
        let each = parts.map { (remaining[$0.sku] ?? 0) / $0.quantity }
        let available = parts.isEmpty ? 0 : each.min() ?? 0
        let promised = min(item.quantity, available)
        var components: [ComponentPlan] = []
        for (part, kits) in zip(parts, each) {
            components.append(
                ComponentPlan(sku: part.sku, perKit: part.quantity, available: kits, promised: promised * part.quantity)
            )
            remaining[part.sku, default: 0] -= promised * part.quantity
        }
        return LinePlan(
            index: index, itemId: item.id, sku: item.sku, quantity: item.quantity, available: available,
            promised: promised, allocations: [], components: components)
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
