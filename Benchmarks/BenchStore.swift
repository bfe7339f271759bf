import AgentTesting
import Foundation

/// Where a benchmark's agent keeps its store: a fresh SQLite file, or a fresh database on a
/// throwaway PostgreSQL cluster the benchmark started (the figures beside each other).
enum BenchStore: Sendable {
    case sqlite
    case postgres(PostgresCluster)

    /// A fresh store: the flags naming it, the environment it needs, and how to remove it.
    func make(_ workloads: Workloads, _ name: String) async throws -> (
        flags: [String], environment: [String: String], remove: @Sendable () -> Void
    ) {
        switch self {
        case .sqlite:
            let db = workloads.path("\(name)-\(UUID().uuidString).sqlite")
            return (
                ["--db", db], [:],
                {
                    // The database, its WAL files, its lock and the rate-limit slot files beside it.
                    let folder = (db as NSString).deletingLastPathComponent
                    let base = (db as NSString).lastPathComponent
                    for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                    where file.hasPrefix(base) {
                        try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(file))
                    }
                }
            )
        case .postgres(let cluster):
            let url = try await cluster.makeDatabase(name)
            return (["--database", url], cluster.environment, { cluster.dropDatabase(url: url) })
        }
    }

    /// " (PostgreSQL)" for the figures' names, nothing for SQLite.
    var label: String {
        switch self {
        case .sqlite: ""
        case .postgres: " (PostgreSQL)"
        }
    }

    /// A throwaway cluster for the PostgreSQL figures; the caller destroys it.
    static func cluster() async throws -> PostgresCluster {
        guard let binaries = PostgresCluster.binaryFolder() else {
            throw BenchmarkError("PostgreSQL is not installed (apt-get install postgresql)")
        }
        return try await PostgresCluster.start(binaries: binaries)
    }
}
