import Foundation
import FulfillmentCore

/// The kits of each stock pool, as imported from the warehouse's kits file: which SKUs are
/// built from which components. The pool's ledger carries them, so every source drawing on the
/// pool promises a kit from the same components.
public protocol KitStore: Sendable {
    /// Replaces every kit of the pool (this source's unless `pool` names another) with `kits`,
    /// in one transaction: all of the file or, on any error, none of it.
    func replaceKits(_ kits: [Kit], source file: String, pool: String?, at now: Date) async throws
    /// The pool's kits as the file gave them, with when and from which file.
    func kitListing() async throws -> KitListing
}

/// A pool's kits and where they came from.
public struct KitListing: Sendable, Equatable {
    /// The kits, in the order of the file.
    public var kits: [Kit]
    /// When they were imported; nil when the pool has none.
    public var importedAt: Date?
    /// The file they came from.
    public var file: String?

    /// A `KitListing` from its parts.
    public init(kits: [Kit], importedAt: Date?, file: String?) {
        self.kits = kits
        self.importedAt = importedAt
        self.file = file
    }

    /// Kits from stored rows (`kit_sku`, `component_sku`, `quantity`) in file order: a kit's
    /// components in the order of their rows, kits in the order of their first row.
    public static func kits(rows: [(kit: String, component: String, quantity: Int)]) -> [Kit] {
        var kits: [Kit] = []
        var index: [String: Int] = [:]
        for row in rows {
            let component = Kit.Component(sku: row.component, quantity: row.quantity)
            if let at = index[row.kit] {
                kits[at].components.append(component)
            } else {
                index[row.kit] = kits.count
                kits.append(Kit(sku: row.kit, components: [component]))
            }
        }
        return kits
    }

    /// The catalog the ledger decides with. Kits were checked when imported; a database edited
    /// by hand into a loop is refused with the loop named, rather than decided wrongly.
    public static func catalog(_ kits: [Kit]) throws -> KitCatalog {
        do {
            return try KitCatalog(kits)
        } catch {
            throw KitsUnusable(problem: error.description)
        }
    }
}

/// The stored kits cannot be used (only a database edited by hand gets here).
public struct KitsUnusable: Error, CustomStringConvertible {
    /// What is wrong with them.
    public var problem: String
    /// The problem, with what to do about it.
    public var description: String { "the stored kits cannot be used: \(problem); import the kits file again" }
}
