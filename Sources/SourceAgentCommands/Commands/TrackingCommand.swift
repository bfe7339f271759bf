import AgentStore
import ArgumentParser
import Foundation
import Logging
import SourceAgent

/// `source-agent tracking import CSV`.
struct TrackingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracking", abstract: "Create shipments in Flxpoint from the warehouse's tracking files.",
        subcommands: [TrackingImportCommand.self])
}

/// `tracking import`: a tracking CSV becomes shipments in Flxpoint.
struct TrackingImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create one shipment per FR and tracking number from a CSV; safe to run again on the same file.",
        discussion: """
            Columns (header names in any case, extra columns ignored): fr (FR id or number), sku, quantity, \
            tracking_number, carrier, method, shipped_at (ISO 8601 with a zone; default now). Every row is checked \
            first; a shipment with a bad row is not sent and named by line, the others go on. Exit 1 when anything \
            was rejected or could not be sent.
            """)

    @Argument(help: ArgumentHelp("The tracking CSV.", valueName: "csv"))
    var file: String

    @OptionGroup var database: DatabaseOption
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        // Standard input is read whole; a file is read as it is parsed.
        let text = file == "-" ? try InputFiles.text(file, what: "tracking file") : nil
        if text == nil { try InputFiles.mustExist(file, what: "tracking file") }
        let settings = try connection.settings(database)
        let opened = try await settings.existingStore()
        let store = opened.store
        // Each row goes to the source its `source` column names, or the one that knows its FR.
        var routes: [TrackingImport.Route] = []
        for source in settings.sources {
            let api = AgentComposition.makeClient(
                try source.clientConfiguration(), store: opened, location: settings.location, source: source.name,
                logger: Logger(label: "source-agent"))
            routes.append(.init(database: try await store.scoped(to: source.name, pool: source.pool), api: api))
        }
        let importer = TrackingImport(routes: routes, logger: Logger(label: "source-agent"), clock: AgentClock.now)
        let report: TrackingImport.Report
        do {
            report =
                if let text { try await importer.importFile(text, path: file) } else {
                    try await importer.importFile(atPath: file, name: file)
                }
        } catch let error as TrackingImport.FileError {
            Terminal.err(error.description)
            throw Exit.badInput
        }
        // The first hundred say what is wrong; the count says how much.
        for problem in report.problems.prefix(100) { Terminal.err(problem) }
        if report.problems.count > 100 { Terminal.err("… and \(report.problems.count - 100) more problems") }
        Terminal.out(report.summary)
        if report.rejected > 0 || report.waiting > 0 { throw Exit.failure }
    }
}
