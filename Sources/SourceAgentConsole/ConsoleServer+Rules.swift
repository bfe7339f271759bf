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
                try await rules.shown(try await rules.page(source: source), person: person, source: source)
            }
        }
        group.get("rules/version") { request, context in
            let id = Self.query(request)["id"].flatMap(Int64.init) ?? 0
            return try await page(request, context) { person, source in
                try await version(id, person: person, source: source)
            }
        }
    }

    /// What admins do: check, preview and apply an edit, put a kept version back.
    func addRuleChanges(_ group: RouterGroup<ConsoleRequestContext>) {
        group.post("rules/edit") { request, context in
            try await acting(request, context, RulesEditForm.self) { actor, form in
                try await edit(form, by: actor, person: context.person)
            }
        }
        group.post("rules/revert") { request, context in
            try await acting(request, context, RulesRevertForm.self) { actor, form in
                try await revert(form, by: actor, person: context.person)
            }
        }
    }

    /// One kept version: its text and what it changed from the version before it.
    struct VersionPage: Sendable {
        var missing = false
        var id: Int64 = 0
        var at = ""
        var actor = ""
        var note: String?
        var lines: [ConsoleRules.Page.Line] = []
        var hasBefore = false
        var diff: [DiffRow] = []
    }

    /// A line of a diff as the diff table shows it.
    struct DiffRow: Sendable {
        var mark: String
        var text: String
        var kind: String
    }

    /// A rule change applied, or found unchanged, with its diff.
    struct Applied: Sendable {
        var message: String
        var diff: [DiffRow]
    }

    private func version(_ id: Int64, person: ConsoleAccess.Person, source: SourceRuntime) async throws -> Shown {
        let frame = view.frame(title: "Rule version #\(id)", person: person, source: source)
        var page = VersionPage()
        let versions = try await source.database.ruleVersions(name: source.rules.name, limit: 10_000)
        guard let index = versions.firstIndex(where: { $0.id == id }) else {
            page.missing = true
            return Shown(.ruleVersion, frame, page)
        }
        let version = versions[index]
        let zone = await source.rules.current.calendar.timeZone
        page.id = id
        page.at = ConsoleView.localTime(version.at, zone: zone)
        page.actor = version.actor
        page.note = version.note.flatMap { $0.isEmpty ? nil : $0 }
        page.lines = ConsoleRules.numbered(version.text)
        let before =
            version.replaces.flatMap { id in versions.first { $0.id == id } }?.text
            ?? (index + 1 < versions.count ? versions[index + 1].text : nil)
        page.hasBefore = before != nil
        page.diff = Self.diffRows(LineDiff.lines(before ?? "", version.text))
        return Shown(.ruleVersion, frame, page)
    }

    static func diffRows(_ lines: [LineDiff.Line]) -> [DiffRow] {
        lines.map { DiffRow(mark: $0.kind.rawValue, text: $0.text, kind: "\($0.kind)") }
    }

    /// Check, preview or apply the edit box's text.
    private func edit(_ form: RulesEditForm, by actor: String, person: ConsoleAccess.Person) async throws -> Shown {
        let source = view.source(form.source)
        // Browsers send a text area's lines with CR LF.
        let text = (form.text ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        let step = ConsoleRules.Step(rawValue: form.step ?? "") ?? .check
        let days = min(max(Int(form.days ?? "") ?? 7, 1), ConsoleRules.longestPreview)
        var page = try await rules.page(source: source, edit: text)
        page.days = days
        page.note = form.note ?? ""
        let loaded = RuleSet.load(contents: text, path: source.rules.path)
        page.diagnostics = ConsoleRules.diagnostics(loaded)
        page.hasDiagnostics = !loaded.diagnostics.isEmpty
        guard let ruleSet = loaded.ruleSet else {
            page.checkFailed = "\(loaded.errors.count) error(s): nothing was applied."
            return try await rules.shown(
                page, person: person, source: source, status: step == .apply ? .badRequest : .ok)
        }
        page.checkPassed =
            "ok — \(ruleSet.ruleNames.count - 1) rules and a default"
            + (loaded.warnings.isEmpty ? "" : ", \(loaded.warnings.count) warning(s)")
        switch step {
        case .check:
            return try await rules.shown(page, person: person, source: source)
        case .preview:
            page.preview = try await rules.preview(ruleSet, days: days, source: source, now: view.clock())
            return try await rules.shown(page, person: person, source: source)
        case .apply:
            return try await apply(
                text, by: actor, note: form.note, base: form.base.flatMap { Int64($0) }, source: source, what: "apply",
                person: person)
        }
    }

    /// Puts a kept version back in force, through the same check as an edit.
    private func revert(_ form: RulesRevertForm, by actor: String, person: ConsoleAccess.Person) async throws -> Shown {
        let source = view.source(form.source)
        guard let id = form.id.flatMap(Int64.init), let version = try await source.database.ruleVersion(id: id),
            version.name == source.rules.name
        else { return shownResult(.notFound, .refused("No such rule version."), person: person, source: source) }
        let loaded = RuleSet.load(contents: version.text, path: source.rules.path)
        guard loaded.ruleSet != nil else {
            return shownResult(
                .badRequest,
                .refused(
                    "Version #\(id) no longer loads, nothing was applied: "
                        + loaded.errors.map(\.description).joined(separator: "; ")), person: person, source: source)
        }
        return try await apply(
            version.text, by: actor, note: "revert to version #\(id)", base: nil, source: source, what: "revert",
            person: person)
    }

    /// Puts the text in force for the fleet, unless another version came into force since the
    /// page showed `base` (the edit is then shown again beside what is in force now).
    private func apply(
        _ text: String, by actor: String, note: String?, base: Int64?, source: SourceRuntime, what: String,
        person: ConsoleAccess.Person
    ) async throws -> Shown {
        let note = note.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let (outcome, diff) = try await rules.apply(text, by: actor, note: note, base: base, source: source)
        guard case .applied(let version) = outcome else {
            if case .unchanged(let version) = outcome {
                return Shown(
                    .rulesApplied, view.frame(title: "Rules unchanged", person: person, source: source),
                    Applied(
                        message: "This text is already in force for the fleet as version \(FleetStatus.label(version)):"
                            + " nothing was changed.", diff: []))
            }
            var page = try await rules.page(source: source, edit: text)
            page.checkFailed =
                "Another version came into force since this page was opened "
                + "(\(outcome.inForce.map(FleetStatus.label) ?? "none")): nothing was applied. Your edit is below; "
                + "compare it with the rules in force and apply again."
            return try await rules.shown(page, person: person, source: source, status: .conflict)
        }
        let added = diff.filter { $0.kind == .added }.count
        let removed = diff.filter { $0.kind == .removed }.count
        try await record(
            actor, "rules-\(what)", source: source.name,
            "\(source.rules.name) → version \(FleetStatus.label(version)): +\(added) −\(removed) lines"
                + (note.map { " (note: \($0))" } ?? ""),
            metadata: ["rules.sha256": "\(version.sha256)", "rules.version": "\(version.id ?? 0)"])
        wake.poke()
        return Shown(
            .rulesApplied, view.frame(title: "Rules applied", person: person, source: source),
            Applied(
                message: "\(source.rules.name) version \(FleetStatus.label(version)) is in force for the fleet, "
                    + "changed by \(actor): +\(added) −\(removed) lines. Every agent process decides by it from its "
                    + "next cycle (this one now).", diff: Self.diffRows(diff)))
    }
}
