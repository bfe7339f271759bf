import AgentStore
import Foundation
import FulfillmentCore
import Logging
import SourceAgent

/// The rules page: the file in force with its history; an edit checked (`rules check`'s
/// diagnostics), previewed (the last days of logged decisions replayed under it, and the rule
/// test files run), applied (written atomically, kept as a version, reloaded as SIGHUP does)
/// or reverted to any earlier version through the same check.
struct ConsoleRules: Sendable {
    let view: ConsoleView
    let logger: Logger

    /// Versions listed on the page.
    static let historyShown = 50
    /// Changed FRs listed by a preview; the rest are counted.
    static let changesShown = 200
    /// The longest preview window, in days.
    static let longestPreview = 90

    /// What a person asked of an edit.
    enum Step: String {
        case check, preview, apply
    }

    /// The rule file's text on disk.
    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// The page: the fleet's version in force, which processes decide by it, its history, and
    /// the edit box (the version in force, or the person's edit).
    func page(person: ConsoleAccess.Person, source: SourceRuntime, edit: String? = nil, now: Date) async throws
        -> [String: Any]
    {
        let path = source.rules.path
        let ruleSet = await source.rules.current
        let inForce = await source.rules.version
        let onDisk = (try? Self.text(path)) ?? ""
        let text = inForce?.text ?? onDisk
        let zone = ruleSet.calendar.timeZone
        var context = view.base(title: "Rules", person: person, source: source)
        context["path"] = path
        context["inForce"] = inForce.map(FleetStatus.label) ?? String(ruleSet.sha256.prefix(12))
        if let inForce {
            context["inForceBy"] = inForce.actor
            context["inForceAt"] = ConsoleView.localTime(inForce.at, zone: zone)
        }
        context["diskDiffers"] = SHA256.hex(Array(onDisk.utf8)) != ruleSet.sha256
        context["lines"] = Self.numbered(text)
        context["edit"] = edit ?? text
        context["base"] = inForce?.id.map(String.init) ?? ""
        context["days"] = 7
        try await view.fleet(into: &context, source: source, leases: false, now: now)
        let versions = try await source.database.ruleVersions(name: source.rules.name, limit: Self.historyShown)
        context["history"] = versions.map { version -> [String: Any] in
            [
                "id": version.id ?? 0, "at": ConsoleView.localTime(version.at, zone: zone), "actor": version.actor,
                "note": version.note ?? "", "sha": String(version.sha256.prefix(12)),
                "current": version.id == inForce?.id,
            ]
        }
        return context
    }

    /// A text's lines, numbered for the page.
    static func numbered(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            ["number": $0.offset + 1, "text": String($0.element)] as [String: Any]
        }
    }

    /// The diagnostics of an edit, as `rules check` prints them, for the page.
    static func diagnostics(_ result: RuleLoadResult) -> [[String: Any]] {
        result.diagnostics.map { ["text": $0.description, "error": $0.severity == .error] }
    }

    /// Replays the last `days` of logged decisions under `ruleSet` and runs the rule test
    /// files; the page's preview section.
    func preview(_ ruleSet: RuleSet, days: Int, source: SourceRuntime, now: Date) async throws -> [String: Any] {
        let since = now.addingTimeInterval(-Double(days) * 86_400)
        let summary = try await Redecide.summary(source.database, since: since, until: now, ruleSet: ruleSet)
        let zone = ruleSet.calendar.timeZone
        var context: [String: Any] = [
            "replayed": summary.replayed, "changed": summary.changed, "days": days,
            "unreadable": summary.unreadable,
            "byChange": ReplayChange.allCases.map {
                ["kind": $0.rawValue, "count": summary.byChange[$0.rawValue] ?? 0] as [String: Any]
            },
            "changes": summary.changes.prefix(Self.changesShown).map { change -> [String: Any] in
                [
                    "frId": change.frId, "name": change.frNumber ?? "#\(change.frId)",
                    "decidedAt": ConsoleView.localTime(
                        (try? Timestamp.parseInstant(change.decidedAt)) ?? now, zone: zone),
                    "before": "\(change.before.decision.rawValue) (\(change.before.rule))",
                    "after": "\(change.after.decision.rawValue) (\(change.after.rule))",
                    "kinds": change.kinds.joined(separator: ", "),
                ]
            },
            "moreChanges": max(0, summary.changes.count - Self.changesShown),
            "hasChanges": !summary.changes.isEmpty,
        ]
        var tests: [[String: Any]] = []
        var passed = 0
        var failed = 0
        var problems: [String] = []
        for file in view.ruleTests.run(testing: source.rules.path, under: ruleSet) {
            problems += file.messages
            guard let results = file.results else {
                problems.append("\(file.path): could not be run")
                continue
            }
            for result in results {
                if result.passed { passed += 1 } else { failed += 1 }
                tests.append([
                    "name": result.name, "passed": result.passed, "where": "\(file.path):\(result.line)",
                    "failures": result.failures,
                ])
            }
        }
        context["tests"] = tests
        context["testSummary"] =
            tests.isEmpty && problems.isEmpty
            ? "No rule test file names this rule file (files ending in .test.yaml beside it or one folder below)."
            : "\(passed) passed, \(failed) failed"
        context["testsFailed"] = failed > 0
        context["testProblems"] = problems
        return context
    }

    /// Puts `text` in force for the fleet while version `base` is still in force (any version
    /// when nil): kept in the store, written to this machine's file, decided by from the next
    /// cycle of every process. Returns what came of it and the diff from the version replaced.
    func apply(_ text: String, by actor: String, note: String?, base: Int64?, source: SourceRuntime) async throws
        -> (outcome: RulePutOutcome, diff: [LineDiff.Line])
    {
        let before = await source.rules.version?.text ?? ((try? Self.text(source.rules.path)) ?? "")
        let outcome = try await source.rules.apply(
            text, actor: actor, note: note, guard: base.map { .version($0) } ?? .anything, logger: logger)
        return (outcome, LineDiff.lines(before, text))
    }
}
