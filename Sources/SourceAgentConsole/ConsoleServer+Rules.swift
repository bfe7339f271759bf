import AgentStore
import Foundation
import FulfillmentCore
import HTTPTypes
import Hummingbird
import SourceAgent

/// The rules page's routes: view, version, check / preview / apply an edit, revert.
extension ConsoleServer {
    var rules: ConsoleRules { ConsoleRules(view: view, logger: logger) }

    func addRulePages(_ group: RouterGroup<ConsoleRequestContext>) {
        group.get("rules") { request, context in
            try await page(request, context) { person, source in
                ("rules", try await rules.page(person: person, source: source, now: view.clock()))
            }
        }
        group.get("rules/version") { request, context in
            let id = Self.query(request)["id"].flatMap(Int64.init) ?? 0
            return try await page(request, context) { person, source in
                ("ruleVersion", try await version(id, person: person, source: source))
            }
        }
    }

    /// What admins do: check, preview and apply an edit, put a kept version back.
    func addRuleChanges(_ group: RouterGroup<ConsoleRequestContext>) {
        group.post("rules/edit") { request, context in
            try await act(request, context, RulesEditForm.self) { actor, form in try await edit(form, by: actor) }
        }
        group.post("rules/revert") { request, context in
            try await act(request, context, RulesRevertForm.self) { actor, form in try await revert(form, by: actor) }
        }
    }

    /// One kept version: its text and what it changed from the version before it.
    private func version(_ id: Int64, person: ConsoleAccess.Person, source: SourceRuntime) async throws
        -> [String: Any]
    {
        var context = view.base(title: "Rule version #\(id)", person: person, source: source)
        let versions = try await source.database.ruleVersions(name: source.rules.name, limit: 10_000)
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
        context["lines"] = ConsoleRules.numbered(version.text)
        let before =
            version.replaces.flatMap { id in versions.first { $0.id == id } }?.text
            ?? (index + 1 < versions.count ? versions[index + 1].text : nil)
        context["hasBefore"] = before != nil
        context["diff"] = Self.diffRows(LineDiff.lines(before ?? "", version.text))
        return context
    }

    static func diffRows(_ lines: [LineDiff.Line]) -> [[String: Any]] {
        lines.map { ["mark": $0.kind.rawValue, "text": $0.text, "kind": "\($0.kind)"] }
    }

    /// Check, preview or apply the edit box's text.
    private func edit(_ form: RulesEditForm, by actor: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        let source = view.source(form.source)
        // Browsers send a text area's lines with CR LF.
        let text = (form.text ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        let step = ConsoleRules.Step(rawValue: form.step ?? "") ?? .check
        let days = min(max(Int(form.days ?? "") ?? 7, 1), ConsoleRules.longestPreview)
        var context = try await rules.page(
            person: .named(actor, .admin), source: source, edit: text, now: view.clock())
        context["page"] = "rules"
        context["days"] = days
        context["note"] = form.note ?? ""
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
            context["preview"] = try await rules.preview(ruleSet, days: days, source: source, now: view.clock())
            return (.ok, context)
        case .apply:
            return try await apply(
                text, by: actor, note: form.note, base: form.base.flatMap { Int64($0) }, source: source,
                what: "apply")
        }
    }

    /// Puts a kept version back in force, through the same check as an edit.
    private func revert(_ form: RulesRevertForm, by actor: String) async throws -> (HTTPResponse.Status, [String: Any])
    {
        let source = view.source(form.source)
        guard let id = form.id.flatMap(Int64.init), let version = try await source.database.ruleVersion(id: id),
            version.name == source.rules.name
        else { return (.notFound, ["kind": "refused", "message": "No such rule version."]) }
        let loaded = RuleSet.load(contents: version.text, path: source.rules.path)
        guard loaded.ruleSet != nil else {
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
            version.text, by: actor, note: "revert to version #\(id)", base: nil, source: source, what: "revert")
    }

    /// Puts the text in force for the fleet, unless another version came into force since the
    /// page showed `base` (the edit is then shown again beside what is in force now).
    private func apply(
        _ text: String, by actor: String, note: String?, base: Int64?, source: SourceRuntime, what: String
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        let note = note.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let (outcome, diff) = try await rules.apply(text, by: actor, note: note, base: base, source: source)
        guard case .applied(let version) = outcome else {
            if case .unchanged(let version) = outcome {
                return (
                    .ok,
                    [
                        "page": "rulesApplied", "title": "Rules unchanged",
                        "message":
                            "This text is already in force for the fleet as version \(FleetStatus.label(version)):"
                            + " nothing was changed.", "diff": [[String: Any]](),
                    ]
                )
            }
            var context = try await rules.page(
                person: .named(actor, .admin), source: source, edit: text, now: view.clock())
            context["page"] = "rules"
            context["checkFailed"] =
                "Another version came into force since this page was opened "
                + "(\(outcome.inForce.map(FleetStatus.label) ?? "none")): nothing was applied. Your edit is below; "
                + "compare it with the rules in force and apply again."
            return (.conflict, context)
        }
        let added = diff.filter { $0.kind == .added }.count
        let removed = diff.filter { $0.kind == .removed }.count
        try await record(
            actor, "rules-\(what)", source: source.name,
            "\(source.rules.name) → version \(FleetStatus.label(version)): +\(added) −\(removed) lines"
                + (note.map { " (note: \($0))" } ?? ""),
            metadata: ["rules.sha256": "\(version.sha256)", "rules.version": "\(version.id ?? 0)"])
        wake.poke()
        return (
            .ok,
            [
                "page": "rulesApplied", "title": "Rules applied",
                "message": "\(source.rules.name) version \(FleetStatus.label(version)) is in force for the fleet, "
                    + "changed by \(actor): +\(added) −\(removed) lines. Every agent process decides by it from its "
                    + "next cycle (this one now).",
                "diff": Self.diffRows(diff),
            ]
        )
    }
}
