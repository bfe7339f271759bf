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
    func addUploads(_ group: RouterGroup<ConsoleRequestContext>) {
        group.post("shipments/upload") { request, context in
            try await respond(request, context, UploadForm.self) { actor, form in
                try await uploadTracking(form, person: context.person, actor: actor)
            }
        }
        group.post("stock/preview") { request, context in
            try await respond(request, context, UploadForm.self) { actor, form in
                try await previewStock(form, person: context.person, actor: actor)
            }
        }
        group.post("stock/import") { request, context in
            try await act(request, context, StockImportForm.self) { person, form in
                try await importStock(form, person: person)
            }
        }
    }

    /// The file of an upload form, or the refusal when none was chosen.
    private func file(_ form: UploadForm) -> Result<UploadedFile, Refusal> {
        guard let file = form.file, !file.text.isEmpty else {
            return .failure(Refusal(result(.badRequest, kind: "refused", "Choose a CSV file to upload.")))
        }
        return .success(file)
    }

    /// The response refusing an upload.
    struct Refusal: Error {
        let response: Response
        init(_ response: Response) { self.response = response }
    }

    func previewStock(_ form: UploadForm, person: ConsoleAccess.Person, actor: String) async throws -> Response {
        let upload: UploadedFile
        switch file(form) {
        case .success(let value): upload = value
        case .failure(let refusal): return refusal.response
        }
        let text = upload.text
        let source = view.source(form.source)
        let fileName = upload.fileName.flatMap { $0.isEmpty ? nil : $0 } ?? "upload.csv"
        var context = view.base(title: "Stock count: \(fileName)", person: person, source: source)
        context["by"] = actor
        switch StockCSV.parse(text) {
        case .failure(let errors):
            context["problems"] = errors.rendered(path: fileName)
            return ConsoleResponses.html(.badRequest, ConsoleTemplates.render("stockPreview", context))
        case .success(let levels):
            let changes = StockChanges(current: try await source.database.stockPositions(), uploaded: levels)
            let token = await stockUploads.keep(
                StockUploads.Upload(source: source.name, fileName: fileName, levels: levels, at: view.clock()))
            context["token"] = token
            context["rows"] = levels.count
            context["summary"] =
                "\(changes.up.count) up, \(changes.down.count) down, \(changes.added.count) new, "
                + "\(changes.missing.count) missing (set to none), \(changes.unchanged) unchanged"
            context["up"] = StockChanges.rows(changes.up)
            context["down"] = StockChanges.rows(changes.down)
            context["added"] = StockChanges.rows(changes.added)
            context["missing"] = StockChanges.rows(changes.missing)
            return ConsoleResponses.html(.ok, ConsoleTemplates.render("stockPreview", context))
        }
    }

    /// The confirmation: the previewed count replaces the pool's, or nothing changes.
    func importStock(_ form: StockImportForm, person: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        let token = form.token ?? ""
        guard let upload = await stockUploads.take(token, now: view.clock()) else {
            return (
                .conflict,
                ["kind": "refused", "message": "This upload expired or was imported already: upload it again."]
            )
        }
        let source = view.source(upload.source)
        do {
            try await source.people.replaceStock(
                upload.levels, source: "\(upload.fileName) (console, \(person))", pool: source.database.pool,
                at: view.clock(), asOf: nil, allowShrink: form.allowShrink == "1")
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
    func uploadTracking(_ form: UploadForm, person: ConsoleAccess.Person, actor: String) async throws -> Response {
        let upload: UploadedFile
        switch file(form) {
        case .success(let value): upload = value
        case .failure(let refusal): return refusal.response
        }
        let text = upload.text
        let fileName = upload.fileName.flatMap { $0.isEmpty ? nil : $0 } ?? "tracking.csv"
        var context = view.base(
            title: "Tracking file: \(fileName)", person: person, source: view.source(form.source))
        switch TrackingFile.parse(text) {
        case .failure(let error):
            context["problems"] = [error.rendered(path: fileName)]
            context["written"] = false
            return ConsoleResponses.html(.badRequest, ConsoleTemplates.render("trackingResult", context))
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
            return ConsoleResponses.html(.badRequest, ConsoleTemplates.render("trackingResult", context))
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
        return ConsoleResponses.html(.ok, ConsoleTemplates.render("trackingResult", context))
    }
}
