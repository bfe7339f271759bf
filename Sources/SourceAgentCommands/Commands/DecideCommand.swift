import AgentStore
import ArgumentParser
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging
import SourceAgent

/// `source-agent decide FR ...`: a person's decision for a held FR, through the same
/// pipeline as the rules' (stock plan, reservations, outbox, exactly once).
struct DecideCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Decide a held FR yourself: acknowledge, split, cancel, or keep holding.",
        discussion: """
            The decision is logged under rule 'manual' with who and why, and is final: the rules never overturn it \
            (after --keep-holding --until, the rules take the FR again from then). While 'source-agent run' runs, \
            it sends the answer on its next pass; without one, --send reads the FR from Flxpoint, decides it as it \
            is now and sends the answer at once. Exit 1 when the FR is not open (unknown, voided, already \
            answered) or --send could not send the answer (it stays queued), 3 when an acknowledge would \
            backorder stock and --force was not given.
            """)

    @Argument(help: ArgumentHelp("FR id or number.", valueName: "fr"))
    var fr: String

    @Flag(help: "Acknowledge every line (beyond free stock only with --force).")
    var acknowledge = false

    @Flag(help: "Acknowledge what stock covers, cancel the rest (--remainder).")
    var split = false

    @Option(help: ArgumentHelp("Cancel every line, with this reason.", valueName: "reason"))
    var cancel: DecisionReason?

    @Option(help: "What the cancelled quantity does: fill (route elsewhere, default) or kill.")
    var remainder: Remainder?

    @Flag(name: .customLong("keep-holding"), help: "Keep it on hold; the rules leave it alone.")
    var keepHolding = false

    @Option(help: "With --keep-holding: until this time (ISO 8601, or a duration such as 4h); then the rules decide.")
    var until: String?

    @Option(help: "Why, in a few words; shown by explain, holds and the report.")
    var note: String?

    @Option(help: "Who decides (default: your login name).")
    var by: String?

    @Flag(help: "Acknowledge even where stock does not cover it (the shortfall is backordered).")
    var force = false

    @Flag(help: "Without a running agent: read the FR from Flxpoint and send the answer now.")
    var send = false

    @OptionGroup var database: DatabaseOption
    @OptionGroup var rules: RulesOption
    @OptionGroup var source: SourceOption
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        let actions = [acknowledge, split, cancel != nil, keepHolding].filter { $0 }.count
        guard actions == 1 else {
            throw ValidationError("give one of --acknowledge, --split, --cancel REASON or --keep-holding")
        }
        if until != nil && !keepHolding { throw ValidationError("--until goes with --keep-holding") }
        if remainder != nil && cancel == nil && !split {
            throw ValidationError("--remainder goes with --cancel or --split")
        }
        if force && !acknowledge { throw ValidationError("--force goes with --acknowledge") }
        if cancel == .guardHold { throw ValidationError("'guard' is the agent's own reason; pick another") }
        if let by, by.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--by needs a name") }
    }

    func run() async throws {
        let settings = try connection.settings(database, rules: rules.given)
        let chosen = try settings.source(named: source.name)
        let opened = try await settings.existingStore()
        let db = try await opened.store.scoped(to: chosen.name, pool: chosen.pool)
        let ruleSet = try InputFiles.ruleSet(chosen.rules).ruleSet
        let action = try self.action(now: AgentClock.now())
        let person = by ?? Self.loginName
        let logger = Logger(label: "source-agent")
        let manual = ManualDecisions(database: db, logger: logger, clock: AgentClock.now)
        // A running agent sends the answer itself; two senders must never race on one answer.
        var lock: RunLock?
        var agentPid: Int32?
        do {
            // On the shared store no lock file says whether an agent runs: the holder of the
            // source's lease sends the answer (docs/high-availability.md, "Limits").
            if let file = settings.location.filePath { lock = try RunLock.acquire(besideDatabase: file) }
        } catch let held as RunLock.Held {
            agentPid = held.pid
        } catch {
            // The lock file cannot be opened: assume an agent may be running, and never send beside it.
        }
        let agentRunning = lock == nil
        // Held only while this command sends; otherwise let go at once, so an agent starting
        // now is not turned away.
        if !send { lock = nil }
        let decision: FRDecision
        var sent: OutboxSender.Report?
        do {
            if send, !agentRunning {
                let api = AgentComposition.makeClient(
                    try chosen.clientConfiguration(), store: opened, location: settings.location, source: chosen.name,
                    logger: logger)
                let sender = OutboxSender(
                    database: db, api: api,
                    settings: AgentSettings(
                        rulesPath: settings.rules, pauseFile: settings.location.pauseFile),
                    logger: logger, clock: AgentClock.now)
                (decision, sent) = try await manual.decideAndSend(
                    fr, action: action, by: person, note: note, ruleSet: ruleSet, api: api, sender: sender)
            } else {
                decision = try await manual.decide(fr, action: action, by: person, note: note, ruleSet: ruleSet)
            }
        } catch let refused as ManualDecisionRefused {
            Terminal.err("refused: \(refused.description)")
            throw refused.needsForce ? Exit.guardTripped : Exit.failure
        } catch let error as FlxpointError {
            Terminal.err("error: could not read the FR from Flxpoint: \(error.description)")
            throw Exit.failure
        }
        let detail = DecisionText.detail(decision)
        Terminal.out(
            "\(decision.displayName): \(decision.decision.rawValue)\(detail.isEmpty ? "" : " (\(detail))"), "
                + "decided by \(person)"
                + (decision.holdUntil.map { "; the rules take it again from \(Timestamp.utcString($0))" } ?? ""))
        for note in decision.trace.notes where note.hasPrefix("backordered") { Terminal.out("  \(note)") }
        guard decision.decision != .hold else { return }
        // The running agent sends it on its next cycle; a signal starts that cycle now.
        let woken = agentRunning && agentPid.map { kill($0, SIGUSR1) == 0 } == true
        Terminal.out(Self.sendLine(sent: sent, agentRunning: agentRunning, woken: woken))
        withExtendedLifetime(lock) {}
        // Asked to send now and it did not go (refused, withdrawn, Flxpoint unreachable): exit 1.
        // Paused is the operator's own choice, not a failure.
        if let sent, sent.sent == 0, !sent.paused { throw Exit.failure }
    }

    func action(now: Date) throws -> ManualAction {
        if acknowledge { return .acknowledge(force: force) }
        if split { return .split(remainder: remainder ?? .fill) }
        if let cancel { return .cancel(reason: cancel, remainder: remainder ?? .fill) }
        guard let until else { return .keepHolding(until: nil) }
        guard let end = DurationText.until(until, now: now) else {
            throw ValidationError("--until: expected a duration such as 4h or a time with a zone, got '\(until)'")
        }
        return .keepHolding(until: end)
    }

    /// Who is at the keyboard: `$USER`, else the account's name.
    static var loginName: String {
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }

    static func sendLine(sent: OutboxSender.Report?, agentRunning: Bool, woken: Bool) -> String {
        guard let sent else {
            if woken { return "answer queued: the running agent was woken and sends it now" }
            return agentRunning
                ? "answer queued: the running agent sends it on its next pass"
                : "answer queued: the next 'source-agent run' sends it (or decide with --send)"
        }
        if sent.sent > 0 { return "answer sent to Flxpoint" }
        if sent.withdrawn > 0 { return "answer withdrawn: the FR changed upstream; it is back in the hold queue" }
        if sent.failed > 0 { return "answer refused by Flxpoint: see 'source-agent answers list --state failed'" }
        if sent.paused { return "answer queued: the agent is paused; it is sent after 'source-agent resume'" }
        if let auth = sent.authFailure { return "answer queued: Flxpoint refused the token (\(auth))" }
        return "answer queued: Flxpoint did not answer; the next 'source-agent run' tries again"
    }
}

extension DecisionReason: ExpressibleByArgument {}
extension Remainder: ExpressibleByArgument {}
