import AgentStore
import ArgumentParser
import Foundation
import FulfillmentCore

/// `source-agent stock import CSV`.
struct StockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock", abstract: "Manage the stock the agent decides with.",
        subcommands: [StockImportCommand.self])
}

struct StockImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Replace on-hand figures from a CSV (sku, on_hand[, location][, cost]): all rows or none.")

    @Argument(help: ArgumentHelp("The stock CSV.", valueName: "csv"))
    var file: String

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let levels = try InputFiles.stock(file)
        let db = try AgentDatabase.open(path: database.db)
        try db.replaceStock(levels, source: file, at: Date())
        let skus = Set(levels.map(\.sku)).count
        let locations = Set(levels.map(\.location)).count
        Terminal.out("imported \(levels.count) rows: \(skus) SKUs at \(locations) location\(locations == 1 ? "" : "s")")
    }
}
