import AgentStore
import Foundation
import FulfillmentCore
import HTTPTypes
import Hummingbird
import Logging
import SourceAgent

/// Uploads: a stock count is previewed (bad lines named, nothing written) and imported once
/// confirmed, all rows or none, as `stock import` does.
extension ConsoleServer {
    /// The largest upload read: a count of a few hundred thousand rows.
    static let uploadLimit = 32 * 1024 * 1024

    /// An upload form's file, once the person is let in, the CSRF token checked and the actor
    /// known; or the response refusing it.
    private func receive(_ request: Request) async throws -> Result<Received, Refusal> {
        let person = await person(request)
        if person == .refused { return .failure(Refusal(signIn(request))) }
        if !person.may(.operator) { return .failure(Refusal(forbidden(person, needs: .operator))) }
        let body = try await request.body.collect(upTo: Self.uploadLimit)
        guard
            let upload = MultipartForm(
                contentType: request.headers[.contentType], body: Array(body.readableBytesView)),
            let file = upload.file, !file.isEmpty
        else { return .failure(Refusal(result(.badRequest, kind: "refused", "Choose a CSV file to upload."))) }
        let form = upload.form
        guard access.csrfMatches(form["csrf"]) else {
            logger.warning(
                "console form refused: missing or wrong CSRF token", metadata: ["path": "\(request.uri.path)"])
            return .failure(
                Refusal(
                    result(.forbidden, kind: "refused", "This form is out of date or did not come from the console.")))
        }
        guard let actor = Self.actor(person, form) else {
            return .failure(
                Refusal(result(.badRequest, kind: "refused", "Say who you are: the name field is required.")))
        }
        return .success((person, actor, form, file, upload.fileName.flatMap { $0.isEmpty ? nil : $0 }))
    }

    /// An upload let in: who sent it, who acts, its fields, the file's text and its name.
    typealias Received = (person: ConsoleAccess.Person, actor: String, form: ConsoleForm, file: String, name: String?)

    /// The response refusing an upload.
    struct Refusal: Error {
        let response: Response
        init(_ response: Response) { self.response = response }
    }

    func previewStock(_ request: Request) async throws -> Response {
        let received: Received
        switch try await receive(request) {
        case .success(let value): received = value
        case .failure(let refusal): return refusal.response
        }
        let (person, form, text) = (received.person, received.form, received.file)
        let source = view.source(form["source"])
        let fileName = received.name ?? "upload.csv"
        var context = view.base(title: "Stock count: \(fileName)", person: person, source: source)
        context["by"] = received.actor
        switch StockCSV.parse(text) {
        case .failure(let errors):
            context["problems"] = errors.rendered(path: fileName)
            return Self.html(.badRequest, ConsoleTemplates.render("stockPreview", context))
        case .success(let levels):
            let changes = StockChanges(current: try await source.database.stockPositions(), uploaded: levels)
            let token = await stockUploads.keep(
                StockUploads.Upload(source: source.name, fileName: fileName, levels: levels, at: AgentClock.now()))
            context["token"] = token
            context["rows"] = levels.count
            context["summary"] =
                "\(changes.up.count) up, \(changes.down.count) down, \(changes.added.count) new, "
                + "\(changes.missing.count) missing (set to none), \(changes.unchanged) unchanged"
            context["up"] = StockChanges.rows(changes.up)
            context["down"] = StockChanges.rows(changes.down)
            context["added"] = StockChanges.rows(changes.added)
            context["missing"] = StockChanges.rows(changes.missing)
            return Self.html(.ok, ConsoleTemplates.render("stockPreview", context))
        }
    }

    /// The confirmation: the previewed count replaces the pool's, or nothing changes.
    func importStock(_ form: ConsoleForm, person: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        let token = form["token"] ?? ""
        guard let upload = await stockUploads.take(token, now: AgentClock.now()) else {
            return (
                .conflict,
                ["kind": "refused", "message": "This upload expired or was imported already: upload it again."]
            )
        }
        let source = view.source(upload.source)
        do {
            try await source.people.replaceStock(
                upload.levels, source: "\(upload.fileName) (console, \(person))", pool: source.database.pool,
                at: AgentClock.now(), asOf: nil, allowShrink: form["allow_shrink"] == "1")
        } catch let refused as StockShrinkRefused {
            await stockUploads.restore(token, upload)
            return (
                .conflict,
                [
                    "kind": "refused",
                    "message": "Refused, nothing was written: \(refused.description). Go back, tick "
                        + "\"import even so\" and confirm again if the count is right.",
                ]
            )
        }
        try await record(
            person, "stock-import", source: source.name,
            "\(upload.fileName): \(upload.levels.count) rows into pool \(source.database.pool)",
            metadata: ["file": "\(upload.fileName)", "rows": "\(upload.levels.count)"])
        wake.poke()
        return (
            .ok,
            [
                "kind": "notice",
                "message": "Imported \(upload.levels.count) rows from \(upload.fileName) into pool "
                    + "\(source.database.pool), by \(person). The agent decides with them from its next cycle (now).",
            ]
        )
    }

    /// A tracking file uploaded: a file with unreadable rows is refused whole, each row named
    /// by its line and nothing written; a readable one is imported as `tracking import` does
    /// (each shipment checked, recorded and sent; a row the checks refuse is named by line).
    func uploadTracking(_ request: Request) async throws -> Response {
        let received: Received
        switch try await receive(request) {
        case .success(let value): received = value
        case .failure(let refusal): return refusal.response
        }
        let (person, actor, form, text) = (received.person, received.actor, received.form, received.file)
        let fileName = received.name ?? "tracking.csv"
        var context = view.base(
            title: "Tracking file: \(fileName)", person: person, source: view.source(form["source"]))
        switch TrackingFile.parse(text) {
        case .failure(let error):
            context["problems"] = [error.rendered(path: fileName)]
            context["written"] = false
            return Self.html(.badRequest, ConsoleTemplates.render("trackingResult", context))
        case .success(let parsed)
        where !parsed.orphans.isEmpty || parsed.groups.contains(where: { $0.rows.contains { !$0.problems.isEmpty } }):
            let rows = (parsed.orphans + parsed.groups.flatMap(\.rows)).sorted { $0.line < $1.line }
            context["problems"] = rows.flatMap { row in
                (row.problems.isEmpty && (row.fr == nil || row.trackingNumber == nil)
                    ? ["an FR and a tracking number are required"] : row.problems).map {
                        "\(fileName):\(row.line): \($0)"
                    }
            }
            context["written"] = false
            return Self.html(.badRequest, ConsoleTemplates.render("trackingResult", context))
        case .success:
            break
        }
        guard let tracking else {
            return result(.serviceUnavailable, kind: "refused", "Tracking import is not set up.")
        }
        let report = try await tracking.importFile(text, path: fileName, origin: .upload, actor: actor)
        try await record(
            actor, "tracking-upload", source: "-", "\(fileName): \(report.summary)",
            metadata: ["file": "\(fileName)", "tracking.summary": "\(report.summary)"])
        context["written"] = true
        context["summary"] = report.summary
        context["problems"] = report.problems
        return Self.html(.ok, ConsoleTemplates.render("trackingResult", context))
    }
}
