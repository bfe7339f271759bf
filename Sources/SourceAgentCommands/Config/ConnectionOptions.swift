import ArgumentParser
import FlxpointAPI
import Foundation
import Yams

/// `--db PATH`, shared by every command that reads the database.
struct DatabaseOption: ParsableArguments {
    static let defaultPath = "source-agent.sqlite"

    @Option(
        name: .customLong("db"),
        help: ArgumentHelp("The SQLite database (default: source-agent.sqlite).", valueName: "path"))
    var given: String?

    var db: String { given ?? Self.defaultPath }

    /// `--db` when given (even with the default's name), else the config file's, else the default.
    func resolved(_ file: [String: String]) -> String { given ?? file["db"] ?? Self.defaultPath }
}

/// Connection settings: flags, then environment, then `--config`, then defaults.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("api-url"), help: "Flxpoint API base URL (env FLXPOINT_API_URL).")
    var apiURL: String?

    @Option(
        name: .customLong("token-file"),
        help: ArgumentHelp(
            "File holding the Source token (must not be readable by others). Else env FLXPOINT_SOURCE_TOKEN.",
            valueName: "path"))
    var tokenFile: String?

    @Option(name: .customLong("max-rps"), help: "Requests per second per token (Flxpoint allows 2).")
    var maxRPS: Double?

    @Option(help: ArgumentHelp("Optional YAML config file (version: 1) with the same settings.", valueName: "path"))
    var config: String?

    /// The values of the config file, if one was given.
    func fileSettings() throws -> [String: String] {
        guard let config else { return [:] }
        let text = try InputFiles.text(config, what: "config file")
        let root: Node?
        do {
            // Composed, never loaded: anchors and aliases are refused before anything expands,
            // so a "billion laughs" file costs nothing.
            root = try Yams.compose(yaml: text)
        } catch {
            Terminal.err("\(config): error: \(error)")
            throw Exit.badInput
        }
        guard case .mapping(let document)? = root else {
            Terminal.err("\(config): error: expected 'key: value' lines")
            throw Exit.badInput
        }
        var mapping: [String: Any] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (key, value) in document {
            let line = (value.mark ?? key.mark).map { ":\($0.line):\($0.column)" } ?? ""
            // Yams keeps no anchor on a scalar, so look at what follows the key on its line.
            let written = key.mark.flatMap { mark in
                mark.line - 1 < lines.count ? lines[mark.line - 1].split(separator: ":", maxSplits: 1).last : nil
            }
            let aliased = written.map {
                $0.trimmingCharacters(in: .whitespaces).first.map { "&*".contains($0) } ?? false
            }
            guard let name = key.scalar?.string, let scalar = value.scalar, Self.isPlain(value), aliased != true else {
                Terminal.err(
                    "\(config)\(line): error: '\(key.scalar?.string ?? "?")' must be a single value "
                        + "(no lists, mappings, anchors or aliases)")
                throw Exit.badInput
            }
            if let problem = Self.problem(key: name, value: scalar.string) {
                Terminal.err("\(config)\(line): error: \(problem)")
                throw Exit.badInput
            }
            // Paths in the file are relative to the file, not to wherever the command runs.
            if Self.pathKeys.contains(name), !scalar.string.hasPrefix("/") {
                let folder = (config as NSString).deletingLastPathComponent
                mapping[name] =
                    folder.isEmpty ? scalar.string : (folder as NSString).appendingPathComponent(scalar.string)
            } else {
                mapping[name] = value.int ?? (scalar.string as Any)
            }
        }
        let known = [
            "version", "api_url", "token_file", "max_rps", "db", "rules", "interval", "metrics_port", "stock_max_age",
            "alert_webhook",
        ]
        for key in mapping.keys where !known.contains(key) {
            Terminal.err("\(config): error: unknown key '\(key)'; known keys: \(known.joined(separator: ", "))")
            throw Exit.badInput
        }
        if let version = mapping["version"] as? Int, version > 1 {
            Terminal.err("\(config): error: config version \(version) is newer than this source-agent understands (1)")
            throw Exit.badInput
        }
        return mapping.mapValues { "\($0)" }
    }

    /// The client settings: URL, token and rate, each from flag, environment, file or default.
    func clientConfiguration(_ file: [String: String]) throws -> FlxpointClientConfiguration {
        FlxpointClientConfiguration(
            baseURL: try resolvedURL(file), token: try token(file), requestsPerSecond: resolvedRPS(file))
    }

    /// The API base URL; refused (exit 2) unless it is https or loopback http.
    func resolvedURL(_ file: [String: String]) throws -> String {
        let url =
            apiURL ?? ProcessInfo.processInfo.environment["FLXPOINT_API_URL"] ?? file["api_url"]
            ?? "https://api.flxpoint.com"
        if let problem = FlxpointClientConfiguration.problem(withBaseURL: url) {
            Terminal.err("error: API URL \(problem)")
            throw Exit.badInput
        }
        return url
    }

    func resolvedRPS(_ file: [String: String]) -> Double {
        maxRPS ?? file["max_rps"].flatMap(Double.init) ?? 2
    }

    static let pathKeys: Set<String> = ["token_file", "db", "rules"]

    /// Why a config value is unusable, or nil: every key is typed, and a bad value is an
    /// error rather than a silent default.
    static func problem(key: String, value: String) -> String? {
        switch key {
        case "version":
            return Int(value) == nil ? "version must be a whole number, got '\(value)'" : nil
        case "max_rps":
            guard let rps = Double(value), rps >= 0, rps.isFinite else {
                return "max_rps must be a number of requests per second, 0 or more, got '\(value)'"
            }
            return nil
        case "interval", "stock_max_age":
            guard let duration = DurationArgument(argument: value), duration.duration > .zero else {
                return "\(key) must be a duration above zero such as 60s, 5m or 24h, got '\(value)'"
            }
            return nil
        case "metrics_port":
            guard let port = Int(value), (1...65_535).contains(port) else {
                return "metrics_port must be a port from 1 to 65535, got '\(value)'"
            }
            return nil
        case "api_url":
            return FlxpointClientConfiguration.problem(withBaseURL: value)
        default:
            return value.isEmpty ? "\(key) is empty" : nil
        }
    }

    /// A scalar that is neither an alias nor anchored.
    static func isPlain(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.anchor == nil
    }

    /// The token from `--token-file`, the environment, or the config file's `token_file`.
    func token(_ file: [String: String]) throws -> FlxpointToken {
        if let path = tokenFile
            ?? (ProcessInfo.processInfo.environment["FLXPOINT_SOURCE_TOKEN"] == nil ? file["token_file"] : nil)
        {
            return try Self.readTokenFile(path)
        }
        if let value = ProcessInfo.processInfo.environment["FLXPOINT_SOURCE_TOKEN"], !value.isEmpty {
            return FlxpointToken(value)
        }
        Terminal.err("error: no Flxpoint token: set FLXPOINT_SOURCE_TOKEN or pass --token-file (a Source token)")
        throw Exit.badInput
    }

    /// The token file must be a regular file (not a symlink someone could point elsewhere),
    /// owned by the user running the agent, and readable by nobody else: checked with `lstat`.
    static func readTokenFile(_ path: String) throws -> FlxpointToken {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            Terminal.err("error: token file '\(path)' does not exist")
            throw Exit.badInput
        }
        if info.st_mode & S_IFMT == S_IFLNK {
            Terminal.err("error: token file '\(path)' is a symbolic link; point --token-file at the file itself")
            throw Exit.badInput
        }
        if info.st_uid != getuid() {
            Terminal.err(
                "error: token file '\(path)' belongs to another user (uid \(info.st_uid)); chown it to this one")
            throw Exit.badInput
        }
        if info.st_mode & 0o077 != 0 {
            Terminal.err("error: token file '\(path)' is readable by others; run: chmod 600 \(path)")
            throw Exit.badInput
        }
        let token = FlxpointToken(try InputFiles.text(path, what: "token file"))
        guard !token.isEmpty else {
            Terminal.err("error: token file '\(path)' is empty")
            throw Exit.badInput
        }
        return token
    }
}

/// `30s`, `5m`, `2h`, or plain seconds.
struct DurationArgument: ExpressibleByArgument, Sendable {
    let duration: Duration

    init(duration: Duration) { self.duration = duration }

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = argument.last.flatMap({ units[$0] }), let value = Double(argument.dropLast()), value >= 0 {
            duration = .seconds(value * unit)
        } else if let value = Double(argument), value >= 0 {
            duration = .seconds(value)
        } else {
            return nil
        }
    }
}
