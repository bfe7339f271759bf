/// A SKU sold as one item and built from components (ShipHero's kits, ShipBob's bundles):
/// stock exists only for the components, so an FR line for a kit is promised from them.
public struct Kit: Sendable, Equatable, Codable {
    /// One component of a kit: a SKU and how many of it one kit takes.
    public struct Component: Sendable, Equatable, Codable {
        /// The component's SKU; itself a kit when kits nest.
        public var sku: String
        /// Units of it per kit, at least 1.
        public var quantity: Int

        /// A `Component` from its parts.
        public init(sku: String, quantity: Int) {
            self.sku = sku
            self.quantity = quantity
        }
    }

    /// The kit's own SKU, the one an FR names.
    public var sku: String
    /// Its components, in the order the file gave them.
    public var components: [Component]

    /// A `Kit` from its parts.
    public init(sku: String, components: [Component]) {
        self.sku = sku
        self.components = components
    }
}

/// The kits of one stock pool, each resolved to the stocked SKUs it is built from.
///
/// A kit may contain another kit; it is expanded down to SKUs that are not kits, quantities
/// multiplied along the way. A kit that contains itself, directly or through others, is refused.
public struct KitCatalog: Sendable, Equatable {
    /// No kits: every SKU is stocked as itself.
    public static let empty = KitCatalog(resolved: [:], kits: [])

    /// Most units of one stocked SKU a kit may take, nested kits multiplied out.
    public static let maxUnitsPerKit = 1_000_000

    /// The kits as given.
    public let kits: [Kit]
    /// Kit SKU → stocked components and units of each per kit, in first-seen order.
    private let resolved: [String: [Kit.Component]]

    private init(resolved: [String: [Kit.Component]], kits: [Kit]) {
        self.resolved = resolved
        self.kits = kits
    }

    /// Why a set of kits cannot be used.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        /// The kit the problem is about.
        public var kit: String
        /// What is wrong, for a person.
        public var description: String
    }

    /// The catalog of `kits`, or the first kit that contains itself (naming the loop).
    public init(_ kits: [Kit]) throws(Problem) {
        let bySKU = Dictionary(kits.map { ($0.sku, $0) }, uniquingKeysWith: { first, _ in first })
        var resolved: [String: [Kit.Component]] = [:]
        // Depth-first with the path so far: a SKU met again on its own path is a loop.
        func expand(_ sku: String, path: [String]) throws(Problem) -> [Kit.Component] {
            if let done = resolved[sku] { return done }
            guard let kit = bySKU[sku] else { return [Kit.Component(sku: sku, quantity: 1)] }
            if path.contains(sku) {
                let loop = (path.drop(while: { $0 != sku }) + [sku]).joined(separator: " → ")
                throw Problem(kit: path[0], description: "kit \(path[0]) contains itself: \(loop)")
            }
            var parts: [Kit.Component] = []
            for component in kit.components {
                for part in try expand(component.sku, path: path + [sku]) {
                    let at = parts.firstIndex { $0.sku == part.sku }
                    let (units, over) = part.quantity.multipliedReportingOverflow(by: component.quantity)
                    let total = units + (at.map { parts[$0].quantity } ?? 0)
                    // Nesting multiplies: bounded like a stock count, so sums never overflow.
                    guard !over, total <= Self.maxUnitsPerKit else {
                        throw Problem(
                            kit: sku,
                            description: "kit \(sku) needs more than \(Self.maxUnitsPerKit) units of \(part.sku)")
                    }
                    if let at {
                        parts[at].quantity = total
                    } else {
                        parts.append(Kit.Component(sku: part.sku, quantity: units))
                    }
                }
            }
            resolved[sku] = parts
            return parts
        }
        for kit in kits { _ = try expand(kit.sku, path: []) }
        self.init(resolved: resolved, kits: kits)
    }

    /// Whether `sku` is a kit here.
    public func isKit(_ sku: String) -> Bool { resolved[sku] != nil }

    /// The stocked SKUs one `sku` kit is built from, with units of each per kit; nil for a SKU
    /// that is not a kit.
    public func components(of sku: String) -> [Kit.Component]? { resolved[sku] }

    /// A kit's cost: its components' unit costs times their units; nil when one has no cost.
    public func cost(of sku: String, costs: [String: Double]) -> Double? {
        guard let parts = resolved[sku] else { return costs[sku] }
        var total = 0.0
        for part in parts {
            guard let each = costs[part.sku] else { return nil }
            total += each * Double(part.quantity)
        }
        return total
    }

    /// Kits of `sku` that `free` units of each component can build (0 when one is missing).
    public func buildable(_ sku: String, free: (String) -> Int) -> Int {
        guard let parts = resolved[sku], !parts.isEmpty else { return 0 }
        return parts.map { free($0.sku) / $0.quantity }.min() ?? 0
    }
}

/// How many of one kit the free units of its components build now, component by component:
/// what `kits list` and the console's stock page show.
public struct KitAvailability: Sendable, Equatable {
    /// One stocked component: units per kit, units free, and whether it is the one that limits.
    public struct Part: Sendable, Equatable {
        /// The component's SKU.
        public var sku: String
        /// Units of it one kit takes.
        public var perKit: Int
        /// Its units free of holds and safety stock.
        public var free: Int
        /// Whether it is the component that limits the kits built (the first such).
        public var limits: Bool
    }

    /// The kit's SKU.
    public var sku: String
    /// Kits the free components build.
    public var buildable: Int
    /// Its stocked components, nested kits expanded.
    public var parts: [Part]

    /// The components as a person reads them: "1 × MUG (5 free), 2 × COASTER (1 free, limits)".
    public var partsText: String {
        parts.map { "\($0.perKit) × \($0.sku) (\($0.free) free\($0.limits ? ", limits" : ""))" }
            .joined(separator: ", ")
    }
}

extension StockLedger {
    /// The kit `sku`'s availability from the units free of safety stock, or nil when `sku` is
    /// not one of the ledger's kits.
    public func availability(ofKit sku: String, safetyStock: Int = 0) -> KitAvailability? {
        guard let components = kits.components(of: sku) else { return nil }
        let free = components.map { promisable(sku: $0.sku, safetyStock: safetyStock) }
        let builds = zip(components, free).map { $1 / $0.quantity }
        let buildable = builds.min() ?? 0
        let limiting = builds.firstIndex(of: buildable)
        return KitAvailability(
            sku: sku, buildable: buildable,
            parts: components.indices.map {
                .init(sku: components[$0].sku, perKit: components[$0].quantity, free: free[$0], limits: $0 == limiting)
            })
    }
}
