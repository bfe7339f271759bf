import AgentStore
import AgentStorePostgres
import AgentStoreSQLite
import ArgumentParser
import FlxpointAPI
import Foundation
import Logging

/// `source-agent migrate`: brings the database's tables up to this build's schema. `run` does
/// the same at start; this lets an upgrade be done, and checked, before any agent starts.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the database's tables (run does this at start; safe to run twice, or at once).")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let logger = Logger(label: "source-agent")
        do {
            if StoreLocation(database.db).isShared {
                let postgres = try StoreLocation.postgres(
                    database.db, passwordFile: database.passwordFile, logger: logger)
                let applied = try await PostgresStore.migrate(postgres)
                await postgres.close()
                let shown = RedactedURL.redact(database.db)
                Terminal.out(
                    applied.isEmpty
                        ? "\(shown): already current"
                        : "\(shown): applied migration"
                            + (applied.count == 1 ? " " : "s ") + applied.map(String.init).joined(separator: ", "))
            } else {
                _ = try AgentDatabase.open(path: database.db)
                Terminal.out("\(database.db): current")
            }
        } catch {
            // A damaged schema is said with what cannot be repaired, and is a bad input (2).
            Terminal.err("error: \(PersonWords.text(error, store: RedactedURL.redact(database.db)))")
            throw error is AgentDatabase.SchemaProblem ? Exit.badInput : Exit.failure
        }
    }
}
