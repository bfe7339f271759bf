import AgentStore
import AgentStorePostgres
import ArgumentParser
import Foundation
import Logging

/// `source-agent leases`: on the shared store, which process answers which source.
struct LeasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leases",
        abstract: "Which agent process answers each source (postgres:// databases): holder, epoch, expiry.")

    @OptionGroup var database: DatabaseOption

    /// How the leases are printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(help: "table (for a person) or json (for scripts).")
    var format: Format = .table

    func run() async throws {
        guard StoreLocation(database.db).isShared else {
            Terminal.err(
                "error: leases exist on a postgres:// database only; a SQLite file is answered by the one "
                    + "'run' holding its lock")
            throw Exit.badInput
        }
        let leases: [LeaseRecord]
        do {
            let postgres = try StoreLocation.postgres(
                database.db, passwordFile: database.passwordFile, logger: Logger(label: "source-agent"))
            leases = try await PostgresStore.openExisting(postgres).leases.leases()
            await postgres.close()
        } catch {
            Terminal.err("error: \(error)")
            throw Exit.failure
        }
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Terminal.out(String(decoding: try encoder.encode(leases), as: UTF8.self))
            return
        }
        guard !leases.isEmpty else {
            Terminal.out("no leases yet: no agent has run on this database")
            return
        }
        let rows = leases.map { lease -> [String] in
            let live = lease.holder != nil && (lease.expiresIn ?? -1) > 0
            let holder = live ? "\(lease.host ?? "?") pid \(lease.pid.map(String.init) ?? "?")" : "-"
            let expires = lease.expiresIn.map { live ? String(format: "in %.1fs", $0) : "expired" } ?? "never held"
            return [lease.source, live ? "held" : "free", holder, "\(lease.epoch)", expires, "\(lease.takeovers)"]
        }
        Terminal.out(
            TextTable.render(
                header: ["SOURCE", "STATE", "HOLDER", "EPOCH", "EXPIRES", "TAKEOVERS"], rows: rows))
    }
}
