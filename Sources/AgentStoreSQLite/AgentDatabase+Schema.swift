import AgentStore
import Foundation
import GRDB

/// The schema a database must have, checked rather than assumed: a table dropped or changed by
/// hand (or a file that is not the agent's at all) is named at start, instead of a command
/// doing nothing and exiting 0. And the read-only opening the commands that only read use.
extension AgentDatabase {
    /// The schema problem type, kept under its old name for the engine's own code.
    public typealias SchemaProblem = AgentStore.SchemaProblem

    /// Each table of a fresh database and its columns, as the migrations make them (run in
    /// memory): the contract tests hold it to `StoreSchema`, which the checks read.
    static func migratedSchema() throws -> [String: Set<String>] {
        let queue = try DatabaseQueue()
        try Migrations.migrator.migrate(queue)
        return try queue.read { try tables($0) }
    }

    /// Opens `path` for a command that only reads: nothing is written, no `-wal` or `-shm`
    /// file is created and a file the person may only read (in a folder they may only read)
    /// is fine. The schema must be current (`migrate` makes it so) and whole.
    public static func openForReading(path: String) throws -> AgentDatabase {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        // Without a `-wal` beside it nothing is being written, and the file is read as it is
        // (`immutable`: no lock taken, no file created). With one, an agent is writing: read
        // through it, as SQLite's read-only WAL mode does.
        let writing = FileManager.default.fileExists(atPath: path + "-wal")
        let location = writing ? path : "file:" + uriPath(path) + "?immutable=1"
        let queue = try DatabaseQueue(path: location, configuration: configuration)
        try queue.read { db in
            let applied = try Migrations.migrator.appliedIdentifiers(db)
            let known = Set(Migrations.migrator.migrations)
            guard applied.isSuperset(of: known) else {
                let missing = Migrations.migrator.migrations.filter { !applied.contains($0) }
                throw SchemaProblem(
                    path: path, problems: applied.isEmpty ? [SchemaProblem.noTables] : ["missing \(missing[0])"],
                    needsMigrate: true)
            }
            try checkSchema(db, path: path)
        }
        return try AgentDatabase(reading: queue)
    }

    /// Throws `SchemaProblem` when a table of `StoreSchema` is missing or lacks a column.
    static func checkSchema(_ db: Database, path: String) throws {
        let problems = StoreSchema.problems(in: try tables(db))
        if !problems.isEmpty { throw SchemaProblem(path: path, problems: problems, needsMigrate: false) }
    }

    /// Every table (not SQLite's own) with its columns.
    static func tables(_ db: Database) throws -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for table in try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        {
            out[table] = Set(
                try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]).map {
                    $0["name"] as String
                })
        }
        return out
    }

    /// `path` as a `file:` URI's path: the characters a URI gives a meaning to escaped.
    private static func uriPath(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }
}

extension AgentDatabase {
    /// A SQLite failure with the file at `path` in a person's words: what happened and what to
    /// do, with no SQLite code or statement on the line. Nil for an error that is not SQLite's.
    public static func failureText(_ error: any Error, path: String) -> String? {
        if let problem = error as? SchemaProblem { return problem.description }
        guard let error = error as? DatabaseError else { return nil }
        let message = error.message ?? ""
        switch error.resultCode.primaryResultCode {
        case .SQLITE_NOTADB:
            return "\(path) is not a source-agent database (not a SQLite file at all: a rule file, a token or a "
                + "CSV given as --db?); name the file 'source-agent run' writes to"
        case .SQLITE_READONLY:
            return "\(path) can only be read by this user, and this command writes to it: run it as the user the "
                + "agent runs as"
        case .SQLITE_CANTOPEN:
            return "cannot open \(path): it or its folder cannot be read by this user, or it is not a regular file"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "\(path) stayed locked by another program for 10 seconds: try again once it is done"
        case .SQLITE_FULL:
            return "the disk holding \(path) is full: free some space and run again (nothing was half-written)"
        case .SQLITE_CORRUPT:
            return "\(path) is damaged (SQLite finds it corrupt): restore the last backup (docs/operations.md)"
        case .SQLITE_IOERR, .SQLITE_PERM, .SQLITE_AUTH:
            return "cannot read or write \(path): the disk or its permissions refused (\(message))"
        case .SQLITE_ERROR where message.hasPrefix("no such table: "):
            return "\(path) has no table \(message.dropFirst("no such table: ".count)): it is damaged or not a "
                + "source-agent database; restore the last backup (docs/operations.md)"
        default:
            return nil
        }
    }
}
