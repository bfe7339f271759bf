import AgentStore
import AgentStoreSQLite
import ArgumentParser

/// `--source NAME`: which Flxpoint account's records a command reads, for a database that
/// holds several (`sources:` in the config file).
struct SourceOption: ParsableArguments {
    @Option(
        name: .customLong("source"),
        help: ArgumentHelp(
            "The source (a 'sources:' name in the config file); needed when the database holds several.",
            valueName: "name"))
    var name: String?

    /// `database` seen as the named source, or as the only one it holds; exits 2 naming the
    /// sources when the choice is unknown or ambiguous.
    func scope(_ database: any SourceStore) async throws -> any SourceStore {
        try await database.scoped(to: resolve(database))
    }

    /// The sources to show: the named one, else every one the database holds.
    func all(_ database: any SourceStore) async throws -> [any SourceStore] {
        if name != nil { return [try await scope(database)] }
        let active = try await database.activeSources()
        if active.isEmpty { return [database] }
        var out: [any SourceStore] = []
        for source in active { out.append(try await database.scoped(to: source)) }
        return out
    }

    private func resolve(_ database: any SourceStore) async throws -> String {
        let active = try await database.activeSources()
        if let name {
            guard try await database.knownSources().contains(where: { $0.name == name }) else {
                let has = active.isEmpty ? "no source has polled yet" : "it has \(active.joined(separator: ", "))"
                Terminal.err("error: this database has no source '\(name)'; \(has)")
                throw Exit.badInput
            }
            return name
        }
        guard active.count > 1 else { return active.first ?? AgentDatabase.defaultSource }
        Terminal.err(
            "error: this database holds \(active.count) sources (\(active.joined(separator: ", "))): "
                + "say which with --source NAME")
        throw Exit.badInput
    }
}
