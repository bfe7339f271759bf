import AgentStore
import ArgumentParser
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging

/// `source-agent dry-run`: decide FRs without touching the API or the database.
struct DryRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Decide FRs without side effects and show what would be sent.",
        discussion: """
            Reads FRs in Flxpoint's JSON shape, computes stock, address and ship-date facts, runs the rules \
            oldest FR first (earlier FRs reserve stock for later ones) and prints the decisions. A malformed FR \
            is reported on stderr and skipped.
            """)

    /// How decisions are printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, ndjson
    }

    @Option(help: ArgumentHelp("FRs as a JSON array in Flxpoint's shape, or - for standard input.", valueName: "file"))
    var input: String?

    @Flag(help: "Read open FRs from the Flxpoint API (read-only GETs; never answers).")
    var live = false

    @OptionGroup var source: SourceOption
    @OptionGroup var connection: ConnectionOptions

    @Option(
        help: ArgumentHelp(
            "Decide against this database's stock and reservations (read only; without it, only --stock).",
            valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Stock CSV (sku,on_hand[,location][,cost]).", valueName: "csv"))
    var stock: String?

    @Option(
        help: ArgumentHelp(
            "Kits CSV (kit_sku,component_sku,quantity): kit lines are promised from their components (in place of "
                + "the kits --db holds).", valueName: "csv"))
    var kits: String?

    @Option(
        help: ArgumentHelp(
            "Inbound CSV (sku,quantity,expected_at[,location]): stock on its way, counted as not yet landed (in "
                + "place of what --db holds).", valueName: "csv"))
    var inbound: String?

    @Option(
        help: ArgumentHelp("The decision instant, ISO 8601 with a zone (default: the current time).", valueName: "time")
    )
    var now: String?

    @OptionGroup var rules: RulesOption

    @Option(help: "Output format: table, json or ndjson.")
    var format: Format = .table

    @Flag(help: "Show why: every rule tried, the values compared, and the facts.")
    var explain = false

    func validate() throws {
        if live && input != nil { throw ValidationError("use either --input or --live, not both") }
        if !live && input == nil { throw ValidationError("say where the FRs come from: --input FILE (or - for stdin)") }
    }

    func run() async throws {
        let ruleSet = try InputFiles.ruleSet(rules.rules)
        for warning in ruleSet.warnings { Terminal.err(warning.description) }
        let instant = try now.map { try InputFiles.instant($0, option: "--now") } ?? AgentClock.now()
        var ledger: StockLedger
        if let stock {
            ledger = StockLedger(levels: try InputFiles.stock(stock))
        } else if let db {
            ledger = try await source.scope(InputFiles.existingDatabase(db, passwordFile: nil, forReading: true))
                .loadLedger()
            Terminal.err("using the stock and reservations in \(db)")
        } else {
            Terminal.err("warning: neither --stock nor --db given: every SKU counts as out of stock")
            ledger = StockLedger()
        }
        if let kits {
            // The file was checked for loops as it was read.
            ledger.kits = try KitCatalog(try InputFiles.kits(kits))
        }
        if let inbound {
            ledger.replaceInbound(try InputFiles.inbound(inbound))
        }
        let frs = live ? try await liveFRs() : try InputFiles.frs(input ?? "-")
        // The table shows checks only with --explain; json and ndjson always carry the trace (docs/commands.md).
        let outcome = DecisionCycle.decide(
            frs.valid, ruleSet: ruleSet.ruleSet, ledger: &ledger, now: instant, traced: format != .table || explain)
        try print(outcome.decisions, skipped: frs.skipped, zone: ruleSet.ruleSet.calendar.timeZone)
        if outcome.guardTripped {
            let held = outcome.decisions.filter { $0.reason == .guardHold }.count
            Terminal.err(
                "guard tripped: \(held) of \(outcome.decisions.count) FRs would be cancelled; run would hold those "
                    + "cancels for review, as shown")
            throw Exit.guardTripped
        }
    }

    /// Open FRs from Flxpoint; GETs only, so a dry run can never answer an FR.
    private func liveFRs() async throws -> (valid: [FulfillmentRequest], skipped: Int) {
        // Without --db the dry run touches no file, so the default path is not checked.
        let chosen = try connection.settings(db: db, rules: rules.given, opensDatabase: db != nil)
            .source(named: source.name)
        let configuration = try chosen.clientConfiguration()
        // With --db, share the running agent's request budget (in the database itself when it is
        // a postgres:// one); without it, touch no file at all.
        let location = db.map(StoreLocation.init)
        var shared: OpenedStore?
        if let db, location?.isShared == true { shared = try await InputFiles.existingStore(db, passwordFile: nil) }
        let client =
            location.map {
                AgentComposition.makeClient(
                    configuration, store: shared, location: $0, source: chosen.name, logger: Logger(label: "dry-run"))
            }
            ?? FlxpointClient(
                configuration: configuration, logger: Logger(label: "dry-run"),
                limiter: RateLimiter(requestsPerSecond: configuration.requestsPerSecond))
        var results: [Result<FulfillmentRequest, FRDecodeFailure>] = []
        do {
            for try await page in client.fulfillmentRequestPages(.open) { results += page.map(\.result) }
        } catch let error as FlxpointError {
            Terminal.err("error: \(error.description)")
            throw Exit.failure
        }
        return InputFiles.keepDecoded(results)
    }

    private func print(_ decisions: [FRDecision], skipped: Int, zone: TimeZone) throws {
        switch format {
        case .table:
            if explain {
                Terminal.out(decisions.map { DecisionText.explain($0, zone: zone) }.joined(separator: "\n"))
                Terminal.out(DecisionText.summary(decisions, skipped: skipped))
            } else {
                Terminal.out(DecisionText.table(decisions, skipped: skipped))
            }
        case .json:
            let records = decisions.map { DecisionOutput($0, includeFacts: explain) }
            Terminal.out(String(decoding: try DecisionOutput.encoder(pretty: true).encode(records), as: UTF8.self))
        case .ndjson:
            var out: [UInt8] = []
            for decision in decisions {
                out += try DecisionOutput(decision, includeFacts: explain).jsonLine()
                out.append(0x0A)
                if out.count > 1 << 20 {
                    Terminal.write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            Terminal.write(out)
        }
    }
}
