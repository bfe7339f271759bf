import AgentStore
import ArgumentParser
import FlxpointAPI
import Foundation
import FulfillmentCore

/// `--db PATH` or `--database URL`, shared by every command that reads the database.
struct DatabaseOption: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The SQLite database (default: source-agent.sqlite; env SOURCE_AGENT_DB).", valueName: "path"))
    var given: String?

    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "A postgres:// URL: the store several agent machines share, in place of --db "
                + "(env SOURCE_AGENT_DATABASE_URL). The password comes from --database-password-file or PGPASSWORD.",
            valueName: "url"))
    var url: String?

    @Option(
        name: .customLong("database-password-file"),
        help: ArgumentHelp(
            "File holding the PostgreSQL password (must not be readable by others; env "
                + "SOURCE_AGENT_DATABASE_PASSWORD_FILE). Else PGPASSWORD.", valueName: "path"))
    var passwordFileGiven: String?

    /// For commands without `--config`: `--database`, else `--db`, else `SOURCE_AGENT_DATABASE_URL`,
    /// else `SOURCE_AGENT_DB`, else the default.
    var db: String { picked.value }

    /// The PostgreSQL password's file, by flag or environment.
    var passwordFile: String? {
        Settings.pick(.databasePasswordFile, flags: flags.compactMapValues { $0 }, environment: environment)?.value
    }

    /// These flags, for `ConnectionOptions.settings`.
    var flags: [Settings.Key: String?] { [.db: given, .database: url, .databasePasswordFile: passwordFileGiven] }

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    private var picked: Settings.Given {
        if let url { return Settings.Given(value: url, origin: .flag(Settings.Key.database.flag)) }
        if given == nil, let url = Settings.pick(.database, flags: [:], environment: environment) { return url }
        return Settings.pick(.db, flags: given.map { [.db: $0] } ?? [:], environment: environment)!
    }

    /// The store `run` recorded into, which must exist already; `forReading` for a command
    /// that only reads (a SQLite file is then opened read-only).
    func existing(forReading: Bool = false) async throws -> any SourceStore {
        try await InputFiles.existingDatabase(db, passwordFile: passwordFile, forReading: forReading)
    }

    /// A path given by flag or environment that cannot hold the database is refused, with
    /// its origin, before any file (the lock, the rate-limit slot) is created beside it. The
    /// default is left to the command: with `--config`, the file may name another.
    func validate() throws {
        if let url, let problem = Settings.problem(.database, url) {
            throw ValidationError("\(problem) (from --database)")
        }
        if picked.origin != .defaultValue, let problem = DatabasePath.fileProblem(picked.value) {
            // The file, not the command line, is wrong: one line, no usage text.
            throw FileProblem(description: "\(problem) (from \(picked.origin))")
        }
    }
}

/// A file named on the command line that cannot be used: said in one line, without the usage
/// text a mistyped command line gets.
struct FileProblem: Error, CustomStringConvertible {
    var description: String
}

/// Connection settings. Flags here and in `DatabaseOption`/`RulesOption`, then the
/// environment, then `--config`, then defaults, all resolved by `Settings.resolve`.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("api-url"), help: "Flxpoint API base URL (env FLXPOINT_API_URL).")
    var apiURL: String?

    @Option(
        name: .customLong("token-file"),
        help: ArgumentHelp(
            "File holding the Source token (must not be readable by others). Else env FLXPOINT_SOURCE_TOKEN.",
            valueName: "path"))
    var tokenFile: String?

    @Option(
        name: .customLong("max-rps"),
        help: "Requests per second per token (Flxpoint allows 2): 0 (no limit) or from 0.01 to 1000.")
    var maxRPS: Double?

    @Option(help: ArgumentHelp("Optional YAML config file (version: 1) with the same settings.", valueName: "path"))
    var config: String?

    /// Every setting, given the command's database flags, `--rules` and `more` flags of its own.
    func settings(
        _ database: DatabaseOption, rules: String? = nil, more: [Settings.Key: String?] = [:],
        opensDatabase: Bool = true
    ) throws -> Settings {
        try settings(
            db: database.given, rules: rules, more: more.merging(database.flags) { own, _ in own },
            opensDatabase: opensDatabase)
    }

    /// Every setting, given the command's `--db` and `--rules` and `more` flags of its own
    /// (`--interval` and the like). With `opensDatabase`, the database path is checked on disk
    /// too, before anything is created beside it.
    func settings(
        db: String?, rules: String? = nil, more: [Settings.Key: String?] = [:], opensDatabase: Bool = true
    ) throws -> Settings {
        var flags = more.compactMapValues { $0 }
        flags[.apiURL] = apiURL
        flags[.tokenFile] = tokenFile
        flags[.maxRPS] = maxRPS.map { "\($0)" }
        flags[.db] = db
        flags[.rules] = rules
        let file = try config.map(ConfigFile.read)
        do throws(Settings.Problem) {
            let settings = try Settings.resolve(
                flags: flags, environment: ProcessInfo.processInfo.environment, file: file)
            // The disk is asked only now, for the database this command will open.
            if opensDatabase, let problem = DatabasePath.fileProblem(settings.db) {
                throw Settings.Problem(origin: settings.origins[.db] ?? .defaultValue, message: problem)
            }
            return settings
        } catch {
            Terminal.err(error.description)
            throw Exit.badInput
        }
    }
}

/// `30s`, `5m`, `2h`, `1d`, or plain seconds; at most ten years, so that `inf` or `1e300s`
/// is refused instead of trapping when it becomes a `Duration`.
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let duration: Duration
    /// As written, for `Settings.resolve`.
    let text: String

    /// Whole seconds in the largest unit that divides them: `help` shows a default as `2d`.
    init(duration: Duration) {
        self.duration = duration
        let (seconds, fraction) = duration.components
        let unit = [(86_400, "d"), (3600, "h"), (60, "m")].first { seconds > 0 && seconds % Int64($0.0) == 0 }
        if fraction != 0 {
            self.text = "\(Double(seconds) + Double(fraction) / 1e18)s"
        } else {
            self.text = unit.map { "\(seconds / Int64($0.0))\($0.1)" } ?? "\(seconds)s"
        }
    }

    var description: String { text }

    var defaultValueDescription: String { text }

    init?(argument: String) {
        guard let seconds = Self.seconds(argument) else { return nil }
        duration = .seconds(seconds)
        text = argument
    }

    /// The seconds `text` says (see `DurationText.seconds`).
    static func seconds(_ text: String) -> Double? { DurationText.seconds(text) }
}
