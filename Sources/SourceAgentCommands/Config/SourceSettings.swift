import FlxpointAPI
import Foundation
import FulfillmentCore

/// One Flxpoint account the agent answers for: its token, its API, its rules, its schedule,
/// and the stock pool it draws on. Without `sources:` in the config file the command line's
/// settings make the one source `default`.
struct SourceSettings: Sendable, Equatable {
    var name: String
    var apiURL: String
    var maxRPS: Double
    var rules: String
    var interval: Duration
    var pool: String
    /// At most this share of the pool's free units is offered to this source's Flxpoint
    /// account by an inventory push (rounded down); nil: all of it.
    var maxShare: Double?
    var tokenFile: String?
    /// The name of an environment variable holding the token.
    var tokenEnvironment: String?
    /// The token itself, from `FLXPOINT_SOURCE_TOKEN`, for the single source only.
    var environmentToken: String?

    /// The client settings; reads the token, so only commands that talk to Flxpoint call it.
    func clientConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> FlxpointClientConfiguration
    {
        FlxpointClientConfiguration(baseURL: apiURL, token: try token(environment), requestsPerSecond: maxRPS)
    }

    private func token(_ environment: [String: String]) throws -> FlxpointToken {
        if let tokenFile { return try TokenFile.read(tokenFile) }
        if let tokenEnvironment {
            guard let value = environment[tokenEnvironment], !value.isEmpty else {
                Terminal.err("error: source '\(name)': the environment variable \(tokenEnvironment) is not set")
                throw Exit.badInput
            }
            return try checked(value, from: "the environment variable \(tokenEnvironment)")
        }
        if let environmentToken { return try checked(environmentToken, from: Settings.tokenEnvironmentName) }
        Terminal.err("error: no Flxpoint token: set FLXPOINT_SOURCE_TOKEN or pass --token-file (a Source token)")
        throw Exit.badInput
    }
}

/// A token from the environment, refused as a token file's would be, never quoted.
private func checked(_ value: String, from origin: String) throws -> FlxpointToken {
    if let problem = FlxpointToken.problem(value) {
        Terminal.err("error: the token in \(origin) \(problem)")
        throw Exit.badInput
    }
    return FlxpointToken(value)
}

/// A `sources:` entry as written, typed by `Settings.resolve` against the file's other values.
struct SourceEntry: Sendable, Equatable {
    /// The keys a `sources:` entry may have.
    enum Key: String, CaseIterable, Sendable {
        case name
        case tokenFile = "token_file"
        case tokenEnv = "token_env"
        case apiURL = "api_url"
        case maxRPS = "max_rps"
        case rules, interval
        case stockPool = "stock_pool"
        case maxShare = "max_share"
    }

    /// `path:line:col` of the entry.
    var position: String
    var values: [Key: Settings.Given]

    /// The `sources:` list as read, its keys checked.
    static func list(_ sources: [ConfigDocument.Source]) throws(Settings.Problem) -> [SourceEntry] {
        var entries: [SourceEntry] = []
        for source in sources {
            var values: [Key: Settings.Given] = [:]
            for entry in source.entries {
                guard let setting = Key(rawValue: entry.key) else {
                    throw Settings.Problem(
                        origin: .file(entry.position),
                        message: "unknown source key \(Quote.short(entry.key)); known keys: "
                            + Key.allCases.map(\.rawValue).joined(separator: ", "))
                }
                values[setting] = Settings.Given(value: entry.value, origin: .file(entry.position))
            }
            entries.append(SourceEntry(position: source.position, values: values))
        }
        return entries
    }
}

/// A source name is used in file names (the rate-limit slot file) and in Prometheus labels.
enum SourceName {
    static func problem(_ name: String) -> String? {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !name.isEmpty, name.count <= 64, name.unicodeScalars.allSatisfy(allowed.contains),
            name.first != "."
        else {
            return "a source name is 1 to 64 letters, digits, '-', '_' or '.', got '\(name)'"
        }
        return nil
    }
}
