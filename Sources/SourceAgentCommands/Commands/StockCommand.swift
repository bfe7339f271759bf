import AgentStore
import AgentStoreSQLite
import ArgumentParser
import Foundation
import FulfillmentCore
import Logging

/// `source-agent stock import CSV`.
struct StockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock", abstract: "Manage the stock the agent decides with.",
        subcommands: [StockImportCommand.self, StockInboundCommand.self])
}

/// `stock import`: a stock CSV replaces the pool's counts.
struct StockImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Replace on-hand figures from a CSV (sku, on_hand[, location][, cost]): all rows or none.")

    @Argument(help: ArgumentHelp("The stock CSV.", valueName: "csv"))
    var file: String

    @OptionGroup var database: DatabaseOption

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "When the figures were counted (ISO 8601 with a zone; default now). Units shipped after it are "
                + "subtracted from them, units shipped before it are not.", valueName: "time"))
    var asOf: String?

    @Option(
        help: ArgumentHelp(
            "The stock pool these figures are for (a source's 'stock_pool'; default shared). Other pools keep theirs.",
            valueName: "name"))
    var pool = AgentDatabase.defaultPool

    @Flag(
        name: .customLong("allow-shrink"),
        help: "Import even when the file would leave more than half of the SKUs in stock with none.")
    var allowShrink = false

    func validate() throws {
        if let problem = SourceName.problem(pool) { throw ValidationError("--pool: \(problem)") }
    }

    func run() async throws {
        let counted = try asOf.map { try InputFiles.instant($0, option: "--as-of") }
        if let problem = DatabasePath.fileProblem(database.db) { throw ValidationError(problem) }
        let levels = try InputFiles.stock(file)
        let db = try await StoreLocation(database.db).open(
            passwordFile: database.passwordFile, create: true, logger: Logger(label: "source-agent")
        ).store
        do {
            try await db.replaceStock(
                levels, source: file, pool: pool, at: AgentClock.now(), asOf: counted, allowShrink: allowShrink)
        } catch let refused as StockShrinkRefused {
            Terminal.err("refused: \(file): \(refused.description)")
            throw Exit.guardTripped
        }
        let skus = Set(levels.map(\.sku)).count
        let locations = Set(levels.map(\.location)).count
        Terminal.out(
            "imported \(levels.count) rows: \(skus) SKUs at \(locations) location\(locations == 1 ? "" : "s")"
                + (pool == AgentDatabase.defaultPool ? "" : " into pool \(pool)"))
    }
}
