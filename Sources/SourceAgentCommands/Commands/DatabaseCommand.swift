import AgentStore
import AgentStorePostgres
import AgentStoreSQLite
import ArgumentParser
import Foundation
import Logging

/// `source-agent db`: moving the store.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Move the store: copy a SQLite database into PostgreSQL.",
        subcommands: [CopyCommand.self])

    /// `source-agent db copy --to URL`: every table of every source, ids kept, into an empty
    /// PostgreSQL database, then the row counts of both compared. The SQLite file is only read.
    struct CopyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy a SQLite database (every table, every source) into an empty PostgreSQL database.")

        @Option(
            name: .customLong("db"),
            help: ArgumentHelp("The SQLite database to copy (default: source-agent.sqlite).", valueName: "path"))
        var db = "source-agent.sqlite"

        @Option(help: ArgumentHelp("The postgres:// URL of the empty database to fill.", valueName: "url"))
        var to: String

        @Option(
            name: .customLong("database-password-file"),
            help: ArgumentHelp("File holding the PostgreSQL password; else PGPASSWORD.", valueName: "path"))
        var passwordFile: String?

        func validate() throws {
            if let problem = Settings.problem(.database, to) { throw ValidationError("--to: \(problem)") }
            if StoreLocation(db).isShared { throw ValidationError("--db names the SQLite file to copy from") }
        }

        func run() async throws {
            let logger = Logger(label: "source-agent")
            guard case .file(let from) = try await InputFiles.existingStore(db, passwordFile: nil, forReading: true)
            else { throw Exit.badInput }
            let postgres: PostgresDatabase
            let target: PostgresStore
            do {
                postgres = try StoreLocation.postgres(to, passwordFile: passwordFile, logger: logger)
                target = try await PostgresStore.open(postgres)
            } catch {
                Terminal.err("error: \(error)")
                throw Exit.failure
            }
            do {
                try await copy(from: from, to: target)
            } catch {
                await postgres.close()
                throw error
            }
            await postgres.close()
        }

        /// Copies every table, then compares the counts; exits 1 when the target holds rows or a count differs.
        private func copy(from: AgentDatabase, to target: PostgresStore) async throws {
            let filled = try await target.nonEmptyTables()
            guard filled.isEmpty else {
                Terminal.err(
                    "error: \(to) already holds rows in \(filled.joined(separator: ", ")); copy into an empty database")
                throw Exit.failure
            }
            var mismatches: [String] = []
            for table in AgentDatabase.exportedTables {
                var after: Int64 = 0
                while true {
                    let page = try await from.exportRows(table: table, afterRowId: after, limit: 2000)
                    guard let last = page.lastRowId else { break }
                    try await target.importRows(table: table, rows: page.rows)
                    after = last
                }
                let (source, copied) = (
                    try await from.exportCount(table: table), try await target.importedCount(table: table)
                )
                Terminal.out("\(table): \(source) rows in \(db), \(copied) in PostgreSQL")
                if source != copied { mismatches.append(table) }
            }
            try await target.resetIdentities()
            guard mismatches.isEmpty else {
                Terminal.err("error: the counts differ for \(mismatches.joined(separator: ", "))")
                throw Exit.failure
            }
            Terminal.out("copied: every table's count matches; point the agents at \(to)")
        }
    }
}
