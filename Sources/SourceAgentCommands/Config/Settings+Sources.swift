import AgentStore
import AgentStoreSQLite
import Foundation
import FulfillmentCore

/// The `sources:` list typed against the file's other values, and the one a command works for.
extension Settings {
    /// A `sources:` entry typed, its unset values taken from the file's (or flags') own.
    func source(_ entry: SourceEntry) throws(Problem) -> SourceSettings {
        func value(_ key: SourceEntry.Key) -> String? { entry.values[key]?.value }
        func fail(_ key: SourceEntry.Key, _ message: String) -> Problem {
            Problem(origin: entry.values[key]?.origin ?? .file(entry.position), message: message)
        }
        guard let name = value(.name) else { throw fail(.name, "a source needs a 'name'") }
        if let problem = SourceName.problem(name) { throw fail(.name, problem) }
        guard value(.tokenFile) != nil || value(.tokenEnv) != nil else {
            throw fail(.name, "source '\(name)' needs a 'token_file' or a 'token_env' (an environment variable name)")
        }
        if value(.tokenFile) != nil, value(.tokenEnv) != nil {
            throw fail(
                .tokenEnv, "source '\(name)' has both 'token_file' and 'token_env'; keep the one that holds its token")
        }
        var source = SourceSettings(
            name: name, apiURL: apiURL, maxRPS: maxRPS, rules: rules, interval: interval,
            pool: AgentDatabase.defaultPool, tokenFile: value(.tokenFile), tokenEnvironment: value(.tokenEnv))
        if let url = value(.apiURL) {
            if let problem = Self.problem(.apiURL, url) { throw fail(.apiURL, problem) }
            source.apiURL = url
        }
        if let rps = value(.maxRPS) {
            if let problem = Self.problem(.maxRPS, rps) { throw fail(.maxRPS, problem) }
            source.maxRPS = Double(rps)!
        }
        if let rules = value(.rules) {
            if let problem = Self.problem(.rules, rules) { throw fail(.rules, problem) }
            source.rules = rules
        }
        if let interval = value(.interval) {
            if let problem = Self.problem(.interval, interval) { throw fail(.interval, problem) }
            source.interval = DurationArgument(argument: interval)!.duration
        }
        if let pool = value(.stockPool) {
            if let problem = SourceName.problem(pool) { throw fail(.stockPool, "stock_pool: \(problem)") }
            source.pool = pool
        }
        if let share = value(.maxShare) {
            guard let fraction = Double(share), fraction > 0, fraction <= 1 else {
                throw fail(.maxShare, "max_share must be a fraction above 0 and at most 1, such as 0.6, got '\(share)'")
            }
            source.maxShare = fraction
        }
        return source
    }

    /// The source a command works for: `name`, or the only one configured.
    func source(named name: String?) throws -> SourceSettings {
        if let name {
            guard let source = sources.first(where: { $0.name == name }) else {
                Terminal.err(
                    "error: no source '\(name)'; configured: \(sources.map(\.name).joined(separator: ", "))")
                throw Exit.badInput
            }
            return source
        }
        guard sources.count == 1 else {
            Terminal.err(
                "error: \(sources.count) sources are configured (\(sources.map(\.name).joined(separator: ", "))): "
                    + "say which with --source NAME")
            throw Exit.badInput
        }
        return sources[0]
    }
}
