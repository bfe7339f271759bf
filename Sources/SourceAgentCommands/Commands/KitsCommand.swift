import AgentStore
import AgentStoreSQLite
import ArgumentParser
import Foundation
import FulfillmentCore
import Logging

/// `source-agent kits import CSV` and `kits list`.
struct KitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kits", abstract: "Manage the kits (bundles) a pool promises from their components.",
        subcommands: [KitsImportCommand.self, KitsListCommand.self])
}

/// `kits import`: a kits file replaces the pool's kits.
struct KitsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Replace the pool's kits from a CSV (kit_sku, component_sku, quantity): all rows or none.")

    @Argument(help: ArgumentHelp("The kits CSV.", valueName: "csv"))
    var file: String

    @OptionGroup var database: DatabaseOption

    @Option(
        help: ArgumentHelp(
            "The stock pool these kits are built in (a source's 'stock_pool'; default shared). Other pools keep "
                + "theirs.", valueName: "name"))
    var pool = AgentDatabase.defaultPool

    func validate() throws {
        if let problem = SourceName.problem(pool) { throw ValidationError("--pool: \(problem)") }
    }

    func run() async throws {
        if let problem = DatabasePath.fileProblem(database.db) { throw ValidationError(problem) }
        let kits = try InputFiles.kits(file)
        let db = try await StoreLocation(database.db).open(
            passwordFile: database.passwordFile, create: true, logger: Logger(label: "source-agent")
        ).store
        try await db.replaceKits(kits, source: file, pool: pool, at: AgentClock.now())
        // The stocked SKUs, a nested kit counted by its own components (the file was checked).
        let catalog = try KitCatalog(kits)
        let components = Set(kits.flatMap { catalog.components(of: $0.sku)?.map(\.sku) ?? [] }).count
        Terminal.out(
            "imported \(kits.count) kit\(kits.count == 1 ? "" : "s") built from \(components) component SKU"
                + (components == 1 ? "" : "s") + (pool == AgentDatabase.defaultPool ? "" : " into pool \(pool)"))
    }
}

/// `kits list`: the source's pool's kits, each with how many its free components build now.
struct KitsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show the pool's kits, their components and how many can be built now.")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var source: SourceOption

    func run() async throws {
        let db = try await source.scope(
            try await StoreLocation(database.db).open(
                passwordFile: database.passwordFile, create: false, logger: Logger(label: "source-agent")
            ).store)
        let listing = try await db.kitListing()
        guard let at = listing.importedAt, !listing.kits.isEmpty else {
            Terminal.out("pool \(db.pool) has no kits (import some with 'source-agent kits import FILE')")
            return
        }
        Terminal.out(KitsText.render(listing, ledger: try await db.loadLedger(), pool: db.pool, at: at))
    }
}

/// The kits list as text: one row per kit, its buildable count, and each component with its
/// free units, the limiting one named.
enum KitsText {
    static func render(_ listing: KitListing, ledger: StockLedger, pool: String, at: Date) -> String {
        let count = listing.kits.count
        let head =
            "pool \(pool): \(count) kit\(count == 1 ? "" : "s") from \(listing.file ?? "?"), imported "
            + StatusCommand.ago(at)
        let rows = listing.kits.compactMap { kit -> [String]? in
            guard let available = ledger.availability(ofKit: kit.sku) else { return nil }
            return [kit.sku, "\(available.buildable)", available.partsText]
        }
        return head + "\n" + TextTable.render(header: ["KIT", "BUILDABLE", "EACH TAKES"], rows: rows)
    }
}
