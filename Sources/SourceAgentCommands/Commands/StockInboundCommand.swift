import AgentStore
import AgentStoreSQLite
import ArgumentParser
import Foundation
import FulfillmentCore
import Logging
import SourceAgent

/// `source-agent stock inbound import CSV` and `stock inbound list`.
struct StockInboundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbound", abstract: "Manage stock on its way (purchase orders, transfers).",
        subcommands: [StockInboundImportCommand.self, StockInboundListCommand.self])
}

/// `stock inbound import`: an inbound file replaces the pool's expected arrivals.
struct StockInboundImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Replace the pool's stock on its way from a CSV (sku, quantity, expected_at[, location]): all rows or none."
    )

    @Argument(help: ArgumentHelp("The inbound CSV.", valueName: "csv"))
    var file: String

    @OptionGroup var database: DatabaseOption
    @OptionGroup var rules: RulesOption

    @Option(
        help: ArgumentHelp(
            "The stock pool it lands in (a source's 'stock_pool'; default shared). Other pools keep theirs.",
            valueName: "name"))
    var pool = AgentDatabase.defaultPool

    func validate() throws {
        if let problem = SourceName.problem(pool) { throw ValidationError("--pool: \(problem)") }
    }

    func run() async throws {
        if let problem = DatabasePath.fileProblem(database.db) { throw ValidationError(problem) }
        let inbound = try InputFiles.inbound(file)
        let db = try await StoreLocation(database.db).open(
            passwordFile: database.passwordFile, create: true, logger: Logger(label: "source-agent")
        ).store
        try await db.replaceInbound(inbound, source: file, pool: pool, at: AgentClock.now())
        let units = inbound.reduce(0) { $0 + $1.quantity }
        let skus = Set(inbound.map(\.sku)).count
        Terminal.out(
            "imported \(inbound.count) arrival\(inbound.count == 1 ? "" : "s"): \(units) units of \(skus) SKU"
                + (skus == 1 ? "" : "s") + (pool == AgentDatabase.defaultPool ? "" : " into pool \(pool)"))
        // Promises the new dates break are said now; the agent alerts them at its next cycle too.
        guard let calendar = rules.ruleSetIfReadable?.calendar else {
            Terminal.err(
                "note: \(rules.rules) does not load here; the agent checks promised arrivals at its next cycle")
            return
        }
        for (name, sourcePool) in try await db.knownSources() where sourcePool == pool {
            let scoped = try await db.scoped(to: name)
            for slip in try await InboundWatch.slips(scoped, calendar: calendar, now: AgentClock.now()) {
                Terminal.err("warning: \(slip.text(zone: calendar.timeZone))")
            }
        }
    }
}

/// `stock inbound list`: the source's pool's arrivals not yet counted, with the units still free.
struct StockInboundListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show the pool's stock on its way and how much of it is promised.")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var source: SourceOption

    func run() async throws {
        let db = try await source.scope(
            try await StoreLocation(database.db).open(
                passwordFile: database.passwordFile, create: false, logger: Logger(label: "source-agent")
            ).store)
        let listing = try await db.inboundListing()
        let ledger = try await db.loadLedger()
        guard let at = listing.importedAt, !listing.rows.isEmpty else {
            Terminal.out(
                "pool \(db.pool) has no stock on its way (import some with 'source-agent stock inbound import FILE')")
            return
        }
        // Arrivals due before the last count are in it; the rest, with what is still unpromised.
        var rows: [[String]] = []
        for sku in Set(listing.rows.map(\.sku)).sorted() {
            for arrival in ledger.allArrivals(of: sku) {
                rows.append([
                    sku, arrival.location, Timestamp.utcString(arrival.expectedAt), "\(arrival.quantity)",
                    "\(arrival.free)",
                ])
            }
        }
        Terminal.out(
            "pool \(db.pool): \(listing.rows.count) arrivals from \(listing.file ?? "?"), imported "
                + StatusCommand.ago(at) + "; \(rows.count) not yet counted")
        if !rows.isEmpty {
            Terminal.out(
                TextTable.render(header: ["SKU", "LOCATION", "EXPECTED (UTC)", "UNITS", "UNPROMISED"], rows: rows))
        }
    }
}
