import FulfillmentCore

/// A tracking file's rows for an FR with kit lines: a row may name the kit or its components,
/// and shipping a kit ships its components (the units its decision reserved).
struct KitShipment {
    /// Kit SKU → its stocked components per kit, as the answering decision promised it.
    private let components: [String: [Kit.Component]]
    /// Component SKU → the kit on the FR it belongs to (the first, when kits share it).
    private let kitOf: [String: String]

    init(kits: [Kit], fr: FulfillmentRequest) {
        let onFR = Set(fr.items.compactMap(\.sku))
        var components: [String: [Kit.Component]] = [:]
        var kitOf: [String: String] = [:]
        for kit in kits where onFR.contains(kit.sku) && components[kit.sku] == nil {
            components[kit.sku] = kit.components
            for part in kit.components where kitOf[part.sku] == nil { kitOf[part.sku] = kit.sku }
        }
        self.components = components
        self.kitOf = kitOf
    }

    /// Component units named by rows, per kit, with the first row's line.
    struct Parts {
        var units: [String: [String: Int]] = [:]
        var line: [String: Int] = [:]

        mutating func add(_ quantity: Int, of sku: String, in kit: String, line row: Int) {
            units[kit, default: [:]][sku, default: 0] += quantity
            line[kit] = min(line[kit] ?? row, row)
        }
    }

    /// The kit on the FR that `sku` is a component of, if any.
    func kit(containing sku: String) -> String? { kitOf[sku] }

    /// For each kit whose components rows named: how many whole kits they make, or why they
    /// make none (a component missing, or units not a whole number of kits).
    func wholeKits(_ parts: Parts) -> [(kit: String, line: Int, result: Result<Int, KitShipmentProblem>)] {
        parts.units.keys.sorted { parts.line[$0]! < parts.line[$1]! }.map { kit in
            let named = parts.units[kit]!
            let each = components[kit]!
            let counts = each.map { (named[$0.sku] ?? 0) / $0.quantity }
            let whole = each.allSatisfy { (named[$0.sku] ?? 0) % $0.quantity == 0 } && Set(counts).count == 1
            guard whole, let count = counts.first, count > 0 else {
                let given = each.compactMap { part in named[part.sku].map { "\($0) × \(part.sku)" } }
                let recipe = each.map { "\($0.quantity) × \($0.sku)" }
                return (
                    kit, parts.line[kit]!,
                    .failure(
                        KitShipmentProblem(
                            description: "\(given.joined(separator: ", ")) do not make whole \(kit) kits (each takes "
                                + "\(recipe.joined(separator: ", "))): name the kit, or every component of whole kits"
                        ))
                )
            }
            return (kit, parts.line[kit]!, .success(count))
        }
    }

    /// Units of `sku` in `figures` (units held or shipped per SKU): a kit's are the whole
    /// kits its components' units make.
    func units(of sku: String, in figures: [String: Int]) -> Int {
        guard let each = components[sku] else { return figures[sku] ?? 0 }
        return each.map { (figures[$0.sku] ?? 0) / $0.quantity }.min() ?? 0
    }

    /// `units` per FR SKU as the shelf's units: each kit's turned into its components'.
    func shelfUnits(_ units: [String: Int]) -> [String: Int] {
        var out: [String: Int] = [:]
        for (sku, count) in units {
            guard let each = components[sku] else {
                out[sku, default: 0] += count
                continue
            }
            for part in each { out[part.sku, default: 0] += count * part.quantity }
        }
        return out
    }
}

/// Rows naming a kit's components that do not make whole kits.
struct KitShipmentProblem: Error, CustomStringConvertible {
    let description: String
}
