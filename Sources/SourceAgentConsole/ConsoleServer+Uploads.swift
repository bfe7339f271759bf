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
            try await acting(request, context, UploadForm.self) { actor, form in
                try await uploadTracking(form, person: context.person, actor: actor)
            }
        }
        group.post("stock/preview") { request, context in
            try await acting(request, context, UploadForm.self) { actor, form in
                try await previewStock(form, person: context.person, actor: actor)
            }
        }
        group.post("stock/import") { request, context in
            try await act(request, context, StockImportForm.self) { person, form in
                try await importStock(form, person: person)
            }
        }
    }

    /// An uploaded count, compared with the counts in force and kept for confirmation; or
    /// its bad lines.
    struct StockPreview: Sendable {
        var by: String
        var problems: [String] = []
        var token: String?
        var rows = 0
        var summary = ""
        var up: [StockChanges.Row] = []
        var down: [StockChanges.Row] = []
        var added: [StockChanges.Row] = []
        var missing: [StockChanges.Row] = []
    }

    func previewStock(_ form: UploadForm, person: ConsoleAccess.Person, actor: String) async throws -> Shown {
        let source = view.source(form.source)
        guard let upload = form.file, !upload.text.isEmpty else { return noFile(person: person, source: source) }
        let fileName = upload.fileName.flatMap { $0.isEmpty ? nil : $0 } ?? "upload.csv"
        let frame = view.frame(title: "Stock count: \(fileName)", person: person, source: source)
        var page = StockPreview(by: actor)
        switch StockCSV.parse(upload.text) {
        case .failure(let errors):
            page.problems = errors.rendered(path: fileName)
            return Shown(.stockPreview, frame, page, status: .badRequest)
        case .success(let levels):
            let changes = StockChanges(current: try await source.database.stockPositions(), uploaded: levels)
            page.token = await stockUploads.keep(
                StockUploads.Upload(source: source.name, fileName: fileName, levels: levels, at: view.clock()))
            page.rows = levels.count
            page.summary =
                "\(changes.up.count) up, \(changes.down.count) down, \(changes.added.count) new, "
                + "\(changes.missing.count) missing (set to none), \(changes.unchanged) unchanged"
            page.up = StockChanges.rows(changes.up)
            page.down = StockChanges.rows(changes.down)
            page.added = StockChanges.rows(changes.added)
            page.missing = StockChanges.rows(changes.missing)
            return Shown(.stockPreview, frame, page)
        }
    }

    /// The refusal of an upload form sent without a file.
    private func noFile(person: ConsoleAccess.Person, source: SourceRuntime) -> Shown {
        shownResult(.badRequest, .refused("Choose a CSV file to upload."), person: person, source: source)
    }

    /// The confirmation: the previewed count replaces the pool's, or nothing changes.
    func importStock(_ form: StockImportForm, person: String) async throws -> Outcome {
        let token = form.token ?? ""
        guard let upload = await stockUploads.take(token, now: view.clock()) else {
            return (.conflict, .refused("This upload expired or was imported already: upload it again."))
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
                .refused(
                    "Refused, nothing was written: \(refused.description). Go back, tick "
                        + "\"import even so\" and confirm again if the count is right.")
            )
        }
        try await record(
            person, "stock-import", source: source.name,
            "\(upload.fileName): \(upload.levels.count) rows into pool \(source.database.pool)",
            metadata: ["file": "\(upload.fileName)", "rows": "\(upload.levels.count)"])
        wake.poke()
        return (
            .ok,
            .notice(
                "Imported \(upload.levels.count) rows from \(upload.fileName) into pool "
                    + "\(source.database.pool), by \(person). The agent decides with them from its next cycle (now).")
        )
    }

    /// A tracking file uploaded: a file with unreadable rows is refused whole, each row named
    /// by its line and nothing written; a readable one is imported as `tracking import` does
    /// (each shipment checked, recorded and sent; a row the checks refuse is named by line).
    /// What a tracking upload did, or why nothing was written.
    struct TrackingResult: Sendable {
        var written: Bool
        var summary = ""
        var problems: [String]
    }

    func uploadTracking(_ form: UploadForm, person: ConsoleAccess.Person, actor: String) async throws -> Shown {
        let source = view.source(form.source)
        guard let upload = form.file, !upload.text.isEmpty else { return noFile(person: person, source: source) }
        let text = upload.text
        let fileName = upload.fileName.flatMap { $0.isEmpty ? nil : $0 } ?? "tracking.csv"
        let frame = view.frame(title: "Tracking file: \(fileName)", person: person, source: source)
        switch TrackingFile.parse(text) {
        case .failure(let error):
            return Shown(
                .trackingResult, frame, TrackingResult(written: false, problems: [error.rendered(path: fileName)]),
                status: .badRequest)
        case .success(let parsed)
        where !parsed.orphans.isEmpty || parsed.groups.contains(where: { $0.rows.contains { !$0.problems.isEmpty } }):
            let rows = (parsed.orphans + parsed.groups.flatMap(\.rows)).sorted { $0.line < $1.line }
            let problems = rows.flatMap { row in
                (row.problems.isEmpty && (row.fr == nil || row.trackingNumber == nil)
                    ? ["an FR and a tracking number are required"] : row.problems).map {
                        "\(fileName):\(row.line): \($0)"
                    }
            }
            return Shown(
                .trackingResult, frame, TrackingResult(written: false, problems: problems), status: .badRequest)
        case .success:
            break
        }
        guard let tracking else {
            return shownResult(
                .serviceUnavailable, .refused("Tracking import is not set up."), person: person, source: source)
        }
        let report = try await tracking.importFile(text, path: fileName, origin: .upload, actor: actor)
        try await record(
            actor, "tracking-upload", source: "-", "\(fileName): \(report.summary)",
            metadata: ["file": "\(fileName)", "tracking.summary": "\(report.summary)"])
        return Shown(
            .trackingResult, frame, TrackingResult(written: true, summary: report.summary, problems: report.problems))
    }
}
