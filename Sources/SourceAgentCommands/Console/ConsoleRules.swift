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

    /// The page: the file in force, its history, the edit box (the file, or the person's edit).
    func page(person: ConsoleAccess.Person, source: SourceRuntime, edit: String? = nil) async throws
        -> [String: Any]
    {
        let path = source.rules.path
        let ruleSet = await source.rules.current
        let onDisk = (try? Self.text(path)) ?? ""
        var context = view.base(title: "Rules", person: person, source: source)
        context["path"] = path
        context["inForce"] = String(ruleSet.sha256.prefix(12))
        context["diskDiffers"] = SHA256.hex(Array(onDisk.utf8)) != ruleSet.sha256
        context["lines"] = onDisk.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            ["number": $0.offset + 1, "text": String($0.element)] as [String: Any]
        }
        context["edit"] = edit ?? onDisk
        context["base"] = SHA256.hex(Array(onDisk.utf8))
        context["days"] = 7
        let zone = ruleSet.calendar.timeZone
        let versions = try await source.database.ruleVersions(path: path, limit: Self.historyShown)
        context["history"] = versions.map { version -> [String: Any] in
            [
                "id": version.id ?? 0, "at": ConsoleView.localTime(version.at, zone: zone), "actor": version.actor,
                "note": version.note ?? "", "sha": String(version.sha256.prefix(12)),
                "current": version.sha256 == ruleSet.sha256,
            ]
        }
        return context
    }

    /// The diagnostics of an edit, as `rules check` prints them, for the page.
    static func diagnostics(_ result: RuleLoadResult) -> [[String: Any]] {
        result.diagnostics.map { ["text": $0.description, "error": $0.severity == .error] }
    }

    /// Replays the last `days` of logged decisions under `ruleSet` and runs the rule test
    /// files; the page's preview section.
    func preview(_ ruleSet: RuleSet, days: Int, source: SourceRuntime, now: Date) async throws -> [String: Any] {
        let since = now.addingTimeInterval(-Double(days) * 86_400)
        var summary = ReplaySummary()
        var batch = try await source.database.loggedDecisions(since: since, until: now, afterId: 0, limit: 1000)
        while let last = batch.last?.id {
            async let next = source.database.loggedDecisions(since: since, until: now, afterId: last, limit: 1000)
            for (logged, after) in await ReplayCommand.redecide(batch, ruleSet: ruleSet) {
                summary.add(logged, after: after)
            }
            batch = try await next
        }
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
        for file in RuleTestLoader.files(testing: source.rules.path) {
            let (outcome, messages) = Terminal.capturingErrors { try RuleTestLoader.run(file: file, ruleSet: ruleSet) }
            problems += messages
            guard case .success(let results) = outcome else {
                problems.append("\(file): could not be run")
                continue
            }
            for result in results {
                if result.passed { passed += 1 } else { failed += 1 }
                tests.append([
                    "name": result.name, "passed": result.passed, "where": "\(file):\(result.line)",
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

    /// Writes `text` as the rule file, atomically, keeping the file it replaces beside it as
    /// `PATH.previous` (and, the first time, in the history), records the version, and reloads
    /// the rules. Returns the diff from the file replaced.
    func apply(_ text: String, ruleSet: RuleSet, by actor: String, note: String?, source: SourceRuntime, now: Date)
        async throws -> [LineDiff.Line]
    {
        let path = source.rules.path
        let old = (try? Self.text(path)) ?? ""
        let database = source.database
        let oldSHA = SHA256.hex(Array(old.utf8))
        if try await database.ruleVersions(path: path, limit: 1).first?.sha256 != oldSHA {
            // The file as it was before the console first changed it (or after an edit by hand):
            // kept, so a revert can go back to it.
            try await database.recordRuleVersion(
                RuleVersion(
                    path: path, sha256: oldSHA, text: old, actor: "(on disk)", note: "as found before a change",
                    at: now))
        }
        try Self.writeAtomically(text, to: path, previous: old)
        try await database.recordRuleVersion(
            RuleVersion(path: path, sha256: ruleSet.sha256, text: text, actor: actor, note: note, at: now))
        let diagnostics = await source.rules.reload(logger: logger)
        if diagnostics.contains(where: { $0.severity == .error }) {
            // Checked before writing; only a file changed under us between the two gets here.
            logger.error("the applied rule file did not load", metadata: ["rules.path": "\(path)"])
        }
        return LineDiff.lines(old, text)
    }

    /// Replaces the file at `path` in one rename, with the mode it had, after keeping the old
    /// text as `PATH.previous`.
    static func writeAtomically(_ text: String, to path: String, previous: String) throws {
        let manager = FileManager.default
        let mode = (try? manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0o644
        let backup = path + ".previous"
        try? manager.removeItem(atPath: backup)
        _ = manager.createFile(atPath: backup, contents: Data(previous.utf8), attributes: [.posixPermissions: mode])
        let temporary = path + ".console-\(ConsoleAccess.randomToken().prefix(8))"
        guard
            manager.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        else {
            throw ConsoleSetupError(description: "cannot write beside \(path)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? manager.removeItem(atPath: temporary)
            throw ConsoleSetupError(description: "cannot replace \(path): \(reason)")
        }
    }
}
