// Tracking: reading tracking CSV files and allocating shipped units to FR lines.

import Foundation

/// One row of a tracking file, with whatever could be read and what was wrong with it.
public struct TrackingRow: Sendable, Equatable {
    /// 1-based line in the file.
    public var line: Int
    /// The FR as the warehouse wrote it: an id or an FR number.
    public var fr: String?
    /// The source (Flxpoint account) the FR belongs to, when the file has a `source` column.
    public var source: String? = nil
    /// The SKU shipped; nil when the cell was empty or bad (see `problems`).
    public var sku: String?
    /// Units of the SKU in this shipment.
    public var quantity: Int?
    /// The carrier's tracking number.
    public var trackingNumber: String?
    /// The carrier, as the file names it.
    public var carrier: String?
    /// The shipping method, as the file names it.
    public var method: String?
    /// When it left; the import time when the file leaves it out.
    public var shippedAt: Date?
    /// Problems with this row alone; any of them keeps its whole shipment from being sent.
    public var problems: [String]
}

/// The rows of one FR that share a tracking number: one shipment.
public struct TrackingGroup: Sendable, Equatable {
    /// The FR's number or id, as the file wrote it.
    public var fr: String
    /// As the rows name it; nil when the file has no `source` column.
    public var source: String? = nil
    /// The tracking number every row of the group shares.
    public var trackingNumber: String
    /// The group's rows, in file order.
    public var rows: [TrackingRow]

    /// The lines of the file this shipment came from, for messages.
    public var lines: [Int] { rows.map(\.line) }

    /// `3,4`: the lines as a message names them.
    public var lineList: String { lines.map(String.init).joined(separator: ",") }
}

/// Reads the tracking CSV (`fr`, `sku`, `quantity`, `tracking_number`, `carrier`, `method`,
/// `shipped_at`, `source`; header names in any case, extra columns ignored).
public enum TrackingFile {
    static let required = ["fr", "sku", "quantity", "tracking_number"]

    /// The parsed file: the shipments it describes (rows grouped by FR and tracking number, in
    /// the order they first appear) and the rows that cannot belong to any shipment.
    public struct Parsed: Sendable, Equatable {
        /// Rows grouped by FR and tracking number, in the order each group first appears.
        public var groups: [TrackingGroup]
        /// Rows without an FR or a tracking number.
        public var orphans: [TrackingRow]
    }

    /// Fails only when the file as a whole is unusable (no header, a missing column, an
    /// unclosed quote); a bad row is kept with its problems so the rest can go on.
    public static func parse(_ text: String) -> Result<Parsed, CSVLineError> { parse(CSVRowReader(text: text)) }

    /// More rows that cannot be shipped than this and the file is not a tracking file:
    /// reading stops rather than keeping a problem for every line of a huge wrong file.
    public static let maxBadRows = 1_000

    /// Reads the rows as they come; see `parse(_:)`.
    public static func parse(_ rows: some Sequence<Result<CSVRow, CSVLineError>>) -> Result<Parsed, CSVLineError> {
        var rows = rows.makeIterator()
        let header: CSVRow
        switch rows.next() {
        case .success(let row)?: header = row
        case .failure(let error)?: return .failure(error)
        case nil: return .failure(CSVLineError(line: 1, message: "the file is empty"))
        }
        let columns: [String: Int]
        do {
            columns = try CSV.columns(header)
        } catch {
            return .failure(error)
        }
        let missing = required.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            return .failure(
                CSVLineError(
                    line: header.line,
                    message: "missing column \(missing.map { "'\($0)'" }.joined(separator: " and ")); expected "
                        + "fr,sku,quantity,tracking_number[,carrier][,method][,shipped_at]"))
        }
        var groups: [TrackingGroup] = []
        var groupIndex: [String: Int] = [:]
        var orphans: [TrackingRow] = []
        var badRows = 0
        while let next = rows.next() {
            let csvRow: CSVRow
            switch next {
            case .success(let value): csvRow = value
            case .failure(let error): return .failure(error)
            }
            var row = read(csvRow, columns: columns)
            if let problem = CSV.shapeProblem(csvRow, header: header) { row.problems.insert(problem.message, at: 0) }
            if !row.problems.isEmpty || row.fr == nil || row.trackingNumber == nil { badRows += 1 }
            if badRows > Self.maxBadRows {
                return .failure(
                    CSVLineError(
                        line: row.line,
                        message: "more than \(Self.maxBadRows) rows cannot be shipped; is this the tracking file?"))
            }
            guard let fr = row.fr, let tracking = row.trackingNumber else {
                orphans.append(row)
                continue
            }
            let key = (row.source ?? "") + "\u{0}" + fr + "\u{0}" + tracking
            if let index = groupIndex[key] {
                groups[index].rows.append(row)
            } else {
                groupIndex[key] = groups.count
                groups.append(TrackingGroup(fr: fr, source: row.source, trackingNumber: tracking, rows: [row]))
            }
        }
        return .success(Parsed(groups: groups, orphans: orphans))
    }

    static func read(_ row: CSVRow, columns: [String: Int]) -> TrackingRow {
        func field(_ name: String) -> String? {
            guard let index = columns[name], index < row.fields.count else { return nil }
            return row.fields[index].trimmedNonEmpty
        }
        var out = TrackingRow(
            line: row.line, fr: field("fr"), sku: field("sku"), quantity: nil, trackingNumber: field("tracking_number"),
            carrier: field("carrier"), method: field("method"), shippedAt: nil, problems: [])
        out.source = field("source")
        if out.fr == nil { out.problems.append("fr is empty: give the FR id or number") }
        if out.sku == nil { out.problems.append("sku is empty") }
        if out.trackingNumber == nil { out.problems.append("tracking_number is empty") }
        let quantityText = field("quantity") ?? ""
        if let quantity = Int(quantityText), quantity > 0 {
            out.quantity = quantity
        } else {
            out.problems.append("quantity must be a whole number above 0, got '\(quantityText)'")
        }
        if let text = field("shipped_at") {
            do {
                out.shippedAt = try Timestamp.parseInstant(text)
            } catch {
                out.problems.append("shipped_at: \(error.description)")
            }
        }
        return out
    }
}
