import AgentStore
import ArgumentParser
import Foundation
import FulfillmentCore
import Logging
import SourceAgent

/// `source-agent inventory push`.
struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory", abstract: "Keep Flxpoint's quantities right.",
        subcommands: [InventoryPushCommand.self])
}

/// `inventory push`: promisable stock to Flxpoint.
struct InventoryPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Send each SKU's promisable quantity to Flxpoint, 50 per request, only where it changed.",
        discussion: """
            Promisable = on hand in the last stock snapshot − units held for acknowledged FRs − units shipped since \
            the snapshot − safety stock (from the rule file): the figure new FRs are decided against. SKUs Flxpoint \
            has no inventory variant for are listed and skipped. Exit 1 when a request failed.
            """)

    @OptionGroup var database: DatabaseOption
    @OptionGroup var rules: RulesOption
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var source: SourceOption

    @Flag(help: "Send every SKU, not only those that changed since the last successful push.")
    var all = false

    @Flag(help: "Send cost too (the stock file's cost column).")
    var cost = false

    @Option(
        name: .customLong("inbound-within"),
        help: ArgumentHelp(
            "Add stock on its way landing within this long, \(SettingBound.words(.inventoryInboundWithin)).",
            valueName: "duration"))
    var inboundWithin: DurationArgument?

    @Flag(name: .customLong("dry-run"), help: "Print what would be sent; send nothing.")
    var dryRun = false

    func run() async throws {
        let settings = try connection.settings(database, rules: rules.given)
        let file = try await settings.existingStore()
        // Every source's account is told its pool's figure, unless one is named.
        let chosen = try source.name.map { [try settings.source(named: $0)] } ?? settings.sources
        for source in chosen {
            if chosen.count > 1 { Terminal.out("source \(source.name) (stock pool \(source.pool)):") }
            try await push(
                source, database: file.store.scoped(to: source.name, pool: source.pool), opened: file,
                location: settings.location)
        }
    }

    private func push(
        _ source: SourceSettings, database db: any SourceStore, opened: OpenedStore, location: StoreLocation
    ) async throws {
        let safetyStock = try InputFiles.ruleSet(source.rules).ruleSet.stockPolicy.safetyStock
        let logger = Logger(label: "source-agent")
        let push = InventoryPush(
            database: db,
            api: AgentComposition.makeClient(
                try source.clientConfiguration(), store: opened, location: location, source: source.name,
                logger: logger),
            logger: logger, maxShare: source.maxShare, clock: AgentClock.now)
        let plan = try await push.plan(
            safetyStock: safetyStock, includeCost: cost, all: all, inboundWithin: inboundWithin?.duration.timeInterval)
        for sku in plan.unknownSKUs { Terminal.err("\(sku): Flxpoint has no inventory variant for it; not pushed") }
        if dryRun {
            Terminal.out(Self.table(plan, cost: cost))
            Terminal.out(
                "would push \(plan.entries.count) SKUs in \((plan.entries.count + 49) / 50) requests; "
                    + "\(plan.unchanged) unchanged, \(plan.unknownSKUs.count) unknown to Flxpoint")
            return
        }
        let progress = ProgressLine()
        let report = try await push.push(plan, includeCost: cost) { done, total in
            progress.show("pushed \(done) of \(total) SKUs")
        }
        progress.finish()
        Terminal.out(
            "pushed \(report.pushed) SKUs in \(report.requests) requests; \(plan.unchanged) unchanged, "
                + "\(plan.unknownSKUs.count) unknown to Flxpoint")
    }

    static func table(_ plan: InventoryPush.Plan, cost: Bool) -> String {
        var lines = ["SKU                      VARIANT     QUANTITY  WAS" + (cost ? "    COST" : "")]
        for entry in plan.entries {
            var line = entry.sku.padding(toLength: 24, withPad: " ", startingAt: 0) + " "
            line += String(entry.variantId).padding(toLength: 11, withPad: " ", startingAt: 0) + " "
            line += String(entry.quantity).padding(toLength: 9, withPad: " ", startingAt: 0) + " "
            line += (entry.previous.map { String($0.quantity) } ?? "-").padding(
                toLength: 6, withPad: " ", startingAt: 0)
            if cost { line += entry.cost.map { String(format: " %.2f", $0) } ?? " -" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

/// A progress line on stderr that rewrites itself, shown only when stderr is a terminal.
struct ProgressLine {
    let enabled = isatty(STDERR_FILENO) == 1

    func show(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
