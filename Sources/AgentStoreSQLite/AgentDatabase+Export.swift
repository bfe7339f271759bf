import AgentStore
import Foundation
import GRDB

/// Every table read back a page at a time, for `db copy`: an installation moving to the shared
/// PostgreSQL store takes its whole history along.
extension AgentDatabase {
    /// The tables an export copies, parents before the rows that refer to them.
    public static let exportedTables = StoreSchema.exportedTables

    /// Up to `limit` rows of `table` after `afterRowId`, in rowid order, every value as text
    /// (instants as SQLite holds them, in UTC; booleans as 0 and 1), with the last rowid read.
    public func exportRows(table: String, afterRowId: Int64, limit: Int) async throws -> (
        rows: [[String: String?]], lastRowId: Int64?
    ) {
        guard Self.exportedTables.contains(table) else { throw ExportError(table: table) }
        return try await writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT rowid AS export_rowid, * FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT ?",
                arguments: [afterRowId, limit])
            var out: [[String: String?]] = []
            out.reserveCapacity(rows.count)
            for row in rows {
                var values: [String: String?] = [:]
                for (column, value) in row where column != "export_rowid" {
                    switch value.storage {
                    case .null: values[column] = .some(nil)
                    case .int64(let number): values[column] = String(number)
                    case .double(let number): values[column] = "\(number)"
                    case .string(let text): values[column] = text
                    case .blob(let data): values[column] = String(decoding: data, as: UTF8.self)
                    }
                }
                out.append(values)
            }
            return (out, rows.last?["export_rowid"])
        }
    }

    /// How many rows `table` holds.
    public func exportCount(table: String) async throws -> Int {
        guard Self.exportedTables.contains(table) else { throw ExportError(table: table) }
        return try await writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }
}
