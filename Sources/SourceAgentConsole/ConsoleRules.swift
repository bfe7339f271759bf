import AgentStore
import Foundation
import FulfillmentCore
import HTTPTypes
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

    /// The rules page's model: the version in force, its lines and history, the edit box
    /// with what checking, previewing or applying it said.
    struct Page: Sendable {
        var path: String
        var inForce: String
        var inForceBy: String?
        var inForceAt: String?
        var diskDiffers: Bool
        var lines: [Line]
        var edit: String
        var base: String
        var days = 7
        var note = ""
        var history: [Version]
        var diagnostics: [Diagnostic] = []
        var hasDiagnostics = false
        var checkFailed: String?
        var checkPassed: String?
        var preview: Preview?

        /// A numbered line of a rule file.
        struct Line: Sendable {
            var number: Int
            var text: String
        }

        /// A kept version in the history.
        struct Version: Sendable {
            var id: Int64
            var at: String
            var actor: String
            var note: String
            var sha: String
            var current: Bool
        }

        /// A line of `rules check`'s output.
        struct Diagnostic: Sendable {
            var text: String
            var error: Bool
        }
    }

    /// A preview: the last days replayed under the edit, and the rule tests run.
    struct Preview: Sendable {
        var replayed: Int
        var changed: Int
        var days: Int
        var unreadable: Int?
        var byChange: [Count]
        var changes: [Change]
        var moreChanges: Int?
        var hasChanges: Bool
        var tests: [Test] = []
        var testSummary = ""
        var testsFailed = false
        var testProblems: [String] = []

        /// How many decisions changed in one way.
        struct Count: Sendable {
            var kind: String
            var count: Int
        }

        /// A decision the edit would change.
        struct Change: Sendable {
            var frId: Int
            var name: String
            var decidedAt: String
            var before: String
            var after: String
            var kinds: String
        }

        /// A rule test case's result.
        struct Test: Sendable {
            var name: String
            var passed: Bool
            var `where`: String
            var failures: [String]
        }
    }

    /// The page: the fleet's version in force, which processes decide by it, its history, and
    /// the edit box (the version in force, or the person's edit).
    func page(source: SourceRuntime, edit: String? = nil) async throws -> Page {
        let path = source.rules.path
        let ruleSet = await source.rules.current
        let inForce = await source.rules.version
        let onDisk = (try? Self.text(path)) ?? ""
        let text = inForce?.text ?? onDisk
        let zone = ruleSet.calendar.timeZone
        let versions = try await source.database.ruleVersions(name: source.rules.name, limit: Self.historyShown)
        return Page(
            path: path, inForce: inForce.map(FleetStatus.label) ?? String(ruleSet.sha256.prefix(12)),
            inForceBy: inForce?.actor, inForceAt: inForce.map { ConsoleView.localTime($0.at, zone: zone) },
            diskDiffers: SHA256.hex(Array(onDisk.utf8)) != ruleSet.sha256, lines: Self.numbered(text),
            edit: edit ?? text, base: inForce?.id.map(String.init) ?? "",
            history: versions.map { version in
                Page.Version(
                    id: version.id ?? 0, at: ConsoleView.localTime(version.at, zone: zone), actor: version.actor,
                    note: version.note ?? "", sha: String(version.sha256.prefix(12)), current: version.id == inForce?.id
                )
            })
    }

    /// The page as shown, with the fleet's rule versions beside it.
    func shown(_ page: Page, person: ConsoleAccess.Person, source: SourceRuntime, status: HTTPResponse.Status = .ok)
        async throws -> Shown
    {
        let fleet = try await view.fleet(source: source, leases: false, now: view.clock())
        return Shown(
            .rules, view.frame(title: "Rules", person: person, source: source), page, fleet, status: status)
    }

    /// A text's lines, numbered for the page.
    static func numbered(_ text: String) -> [Page.Line] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            Page.Line(number: $0.offset + 1, text: String($0.element))
        }
    }

    /// The diagnostics of an edit, as `rules check` prints them, for the page.
    static func diagnostics(_ result: RuleLoadResult) -> [Page.Diagnostic] {
        result.diagnostics.map { Page.Diagnostic(text: $0.description, error: $0.severity == .error) }
    }

    /// Replays the last `days` of logged decisions under `ruleSet` and runs the rule test
    /// files; the page's preview section.
    func preview(_ ruleSet: RuleSet, days: Int, source: SourceRuntime, now: Date) async throws -> Preview {
        let since = now.addingTimeInterval(-Double(days) * 86_400)
        let summary = try await Redecide.summary(source.database, since: since, until: now, ruleSet: ruleSet)
        let zone = ruleSet.calendar.timeZone
        var preview = Preview(
            replayed: summary.replayed, changed: summary.changed, days: days,
            unreadable: summary.unreadable == 0 ? nil : summary.unreadable,
            byChange: ReplayChange.allCases.map { .init(kind: $0.rawValue, count: summary.byChange[$0.rawValue] ?? 0) },
            changes: summary.changes.prefix(Self.changesShown).map { change in
                Preview.Change(
                    frId: change.frId, name: change.frNumber ?? "#\(change.frId)",
                    decidedAt: ConsoleView.localTime(
                        (try? Timestamp.parseInstant(change.decidedAt)) ?? now, zone: zone),
                    before: "\(change.before.decision.rawValue) (\(change.before.rule))",
                    after: "\(change.after.decision.rawValue) (\(change.after.rule))",
                    kinds: change.kinds.joined(separator: ", "))
            },
            moreChanges: summary.changes.count > Self.changesShown ? summary.changes.count - Self.changesShown : nil,
            hasChanges: !summary.changes.isEmpty)
        var passed = 0
        var failed = 0
        for file in view.ruleTests.run(testing: source.rules.path, under: ruleSet) {
            preview.testProblems += file.messages
            guard let results = file.results else {
                preview.testProblems.append("\(file.path): could not be run")
                continue
            }
            for result in results {
                if result.passed { passed += 1 } else { failed += 1 }
                preview.tests.append(
                    Preview.Test(
                        name: result.name, passed: result.passed, where: "\(file.path):\(result.line)",
                        failures: result.failures))
            }
        }
        preview.testSummary =
            preview.tests.isEmpty && preview.testProblems.isEmpty
            ? "No rule test file names this rule file (files ending in .test.yaml beside it or one folder below)."
            : "\(passed) passed, \(failed) failed"
        preview.testsFailed = failed > 0
        return preview
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
