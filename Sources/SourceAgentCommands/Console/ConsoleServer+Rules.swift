import AgentStore
import Foundation
import FulfillmentCore
import HTTPTypes
import Hummingbird

/// The rules page's routes: view, version, check / preview / apply an edit, revert.
extension ConsoleServer {
    /// The largest rule file the edit box sends.
    static let ruleFileLimit = 1024 * 1024

    var rules: ConsoleRules { ConsoleRules(view: view, logger: logger) }

    func addRules(_ router: Router<BasicRequestContext>) {
        router.get("rules") { request, _ in
            try await page(request) { person, source in ("rules", try await rules.page(person: person, source: source))
            }
        }
        router.get("rules/version") { request, _ in
            let id = Self.query(request)["id"].flatMap(Int64.init) ?? 0
            return try await page(request) { person, source in
                ("ruleVersion", try await version(id, person: person, source: source))
            }
        }
        router.post("rules/edit") { request, _ in
            try await action(request, needs: .admin, bodyLimit: Self.ruleFileLimit) { actor, form in
                try await edit(form, by: actor)
            }
        }
        router.post("rules/revert") { request, _ in
            try await action(request, needs: .admin) { actor, form in try await revert(form, by: actor) }
        }
    }

    /// One kept version: its text and what it changed from the version before it.
    private func version(_ id: Int64, person: ConsoleAccess.Person, source: SourceRuntime) async throws
        -> [String: Any]
    {
        var context = view.base(title: "Rule version #\(id)", person: person, source: source)
        let versions = try await source.database.ruleVersions(path: source.rules.path, limit: 10_000)
        guard let index = versions.firstIndex(where: { $0.id == id }) else {
            context["missing"] = true
            return context
        }
        let version = versions[index]
        let zone = await source.rules.current.calendar.timeZone
        context["id"] = id
        context["at"] = ConsoleView.localTime(version.at, zone: zone)
        context["actor"] = version.actor
        context["note"] = version.note ?? ""
        context["lines"] = version.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            ["number": $0.offset + 1, "text": String($0.element)] as [String: Any]
        }
        let before = index + 1 < versions.count ? versions[index + 1].text : nil
        context["hasBefore"] = before != nil
        context["diff"] = Self.diffRows(LineDiff.lines(before ?? "", version.text))
        return context
    }

    static func diffRows(_ lines: [LineDiff.Line]) -> [[String: Any]] {
        lines.map { ["mark": $0.kind.rawValue, "text": $0.text, "kind": "\($0.kind)"] }
    }

    /// Check, preview or apply the edit box's text.
    private func edit(_ form: ConsoleForm, by actor: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        let source = view.source(form["source"])
        // Browsers send a text area's lines with CR LF.
        let text = (form["text"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        let step = ConsoleRules.Step(rawValue: form["step"] ?? "") ?? .check
        let days = min(max(Int(form["days"] ?? "") ?? 7, 1), ConsoleRules.longestPreview)
        var context = try await rules.page(person: .named(actor, .admin), source: source, edit: text)
        context["page"] = "rules"
        context["days"] = days
        context["note"] = form["note"] ?? ""
        let loaded = RuleSet.load(contents: text, path: source.rules.path)
        context["diagnostics"] = ConsoleRules.diagnostics(loaded)
        context["hasDiagnostics"] = !loaded.diagnostics.isEmpty
        guard let ruleSet = loaded.ruleSet else {
            context["checkFailed"] = "\(loaded.errors.count) error(s): nothing was applied."
            return (step == .apply ? .badRequest : .ok, context)
        }
        context["checkPassed"] =
            "ok — \(ruleSet.ruleNames.count - 1) rules and a default"
            + (loaded.warnings.isEmpty ? "" : ", \(loaded.warnings.count) warning(s)")
        switch step {
        case .check:
            return (.ok, context)
        case .preview:
            context["preview"] = try await rules.preview(ruleSet, days: days, source: source, now: AgentClock.now())
            return (.ok, context)
        case .apply:
            let onDisk = (try? ConsoleRules.text(source.rules.path)) ?? ""
            guard form["base"] == SHA256.hex(Array(onDisk.utf8)) else {
                context["checkFailed"] =
                    "The rule file changed since this page was opened: nothing was applied. Your edit is below; "
                    + "compare it with the file above and apply again."
                context["edit"] = text
                return (.conflict, context)
            }
            return try await apply(text, ruleSet: ruleSet, by: actor, note: form["note"], source: source, what: "apply")
        }
    }

    /// Puts a kept version back in force, through the same check as an edit.
    private func revert(_ form: ConsoleForm, by actor: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        let source = view.source(form["source"])
        guard let id = form["id"].flatMap(Int64.init), let version = try await source.database.ruleVersion(id: id),
            version.path == source.rules.path
        else { return (.notFound, ["kind": "refused", "message": "No such rule version."]) }
        let loaded = RuleSet.load(contents: version.text, path: source.rules.path)
        guard let ruleSet = loaded.ruleSet else {
            return (
                .badRequest,
                [
                    "kind": "refused",
                    "message": "Version #\(id) no longer loads, nothing was applied: "
                        + loaded.errors.map(\.description).joined(separator: "; "),
                ]
            )
        }
        return try await apply(
            version.text, ruleSet: ruleSet, by: actor, note: "revert to version #\(id)", source: source, what: "revert")
    }

    private func apply(
        _ text: String, ruleSet: RuleSet, by actor: String, note: String?, source: SourceRuntime, what: String
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        let note = note.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let diff = try await rules.apply(
            text, ruleSet: ruleSet, by: actor, note: note, source: source, now: AgentClock.now())
        let added = diff.filter { $0.kind == .added }.count
        let removed = diff.filter { $0.kind == .removed }.count
        try await record(
            actor, "rules-\(what)", source: source.name,
            "\(source.rules.path) → \(ruleSet.sha256.prefix(12)): +\(added) −\(removed) lines"
                + (note.map { " (note: \($0))" } ?? ""),
            metadata: ["rules.sha256": "\(ruleSet.sha256)"])
        wake.poke()
        return (
            .ok,
            [
                "page": "rulesApplied", "title": "Rules applied",
                "message": "\(source.rules.path) is in force (\(ruleSet.sha256.prefix(12))), changed by \(actor): "
                    + "+\(added) −\(removed) lines. The agent decides by it from its next cycle (now).",
                "diff": Self.diffRows(diff),
            ]
        )
    }
}
