import FlxpointAPI
import Foundation
import Yams

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

    /// Reads the `sources:` list: a sequence of mappings of single values. Paths are made
    /// relative to the config file as its other paths are.
    static func list(_ node: Node, path: String) throws(Settings.Problem) -> [SourceEntry] {
        func at(_ node: Node) -> String { node.mark.map { "\(path):\($0.line):\($0.column)" } ?? path }
        guard case .sequence(let items) = node else {
            throw Settings.Problem(origin: .file(at(node)), message: "'sources' must be a list of '- name: …' entries")
        }
        var entries: [SourceEntry] = []
        for item in items {
            guard case .mapping(let mapping) = item else {
                throw Settings.Problem(
                    origin: .file(at(item)), message: "each source must be a mapping such as '- name: retailer-a'")
            }
            var values: [Key: Settings.Given] = [:]
            for (key, value) in mapping {
                let position = at(value)
                guard let name = key.scalar?.string, case .scalar(let scalar) = value else {
                    throw Settings.Problem(
                        origin: .file(position), message: "'\(key.scalar?.string ?? "?")' must be a single value")
                }
                if let problem = ConfigFile.nullProblem(name, scalar) {
                    throw Settings.Problem(origin: .file(position), message: problem)
                }
                guard let setting = Key(rawValue: name) else {
                    throw Settings.Problem(
                        origin: .file(position),
                        message: "unknown source key '\(name)'; known keys: "
                            + Key.allCases.map(\.rawValue).joined(separator: ", "))
                }
                var text = scalar.string
                if [.tokenFile, .rules].contains(setting), !text.hasPrefix("/"), !text.isEmpty {
                    let folder = (path as NSString).deletingLastPathComponent
                    text = folder.isEmpty ? text : (folder as NSString).appendingPathComponent(text)
                }
                values[setting] = Settings.Given(value: text, origin: .file(position))
            }
            entries.append(SourceEntry(position: at(item), values: values))
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
