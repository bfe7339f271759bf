import Foundation

/// Everything needed to reach the shared database: the URL, the password (from a file or
/// `PGPASSWORD`, never a flag), the name the server shows for this process and the timeouts
/// every transaction runs under.
public struct PostgresSettings: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public var url: PostgresURL
    /// Never logged, never printed: `description` leaves it out.
    public var password: String?
    /// `application_name` on the server: `pg_stat_activity` shows which agent holds a connection.
    public var applicationName: String
    /// Longest time one statement may run before the server cancels it.
    public var statementTimeout: Duration = .seconds(30)
    /// Longest wait for a row or pool lock before the statement fails (and is retried).
    public var lockTimeout: Duration = .seconds(10)
    /// A transaction left open this long (a process paused mid-transaction) is ended by the server.
    public var idleInTransactionTimeout: Duration = .seconds(60)
    /// Connections this process keeps open at most.
    public var maxConnections = 4

    /// The URL (which never holds the password) and whether a password is set: what the
    /// service group's debug lines print when they print a service holding these settings.
    public var description: String {
        "PostgresSettings(url: \(url), password: \(password == nil ? "none" : "set, not shown"))"
    }
    public var debugDescription: String { description }

    public init(url: PostgresURL, password: String?, applicationName: String) {
        self.url = url
        self.password = password
        self.applicationName = applicationName
    }

    /// The password as the settings give it: the file's first line when `passwordFile` is set
    /// (a file others can read is refused: it holds a secret), else `PGPASSWORD`, else none.
    public static func password(file passwordFile: String?, environment: [String: String]) throws -> String? {
        if let passwordFile {
            var info = stat()
            guard stat(passwordFile, &info) == 0 else {
                throw PostgresURLError(setting: "cannot read database_password_file \(passwordFile)")
            }
            if info.st_mode & 0o077 != 0 {
                throw PostgresURLError(
                    setting:
                        "database_password_file \(passwordFile) can be read by others; chmod 600 it")
            }
            guard info.st_mode & S_IFMT == S_IFREG, info.st_size <= 4096 else {
                throw PostgresURLError(
                    setting: "database_password_file \(passwordFile) is not a file of one line (a password file holds "
                        + "the password alone, at most 4 KiB)")
            }
            guard let data = FileManager.default.contents(atPath: passwordFile) else {
                throw PostgresURLError(setting: "cannot read database_password_file \(passwordFile)")
            }
            return try passwordLine(data, file: passwordFile)
        }
        return environment["PGPASSWORD"]
    }

    /// The one line a password file holds: a trailing line break (LF or CR LF, as Windows
    /// editors write) is not part of it; an empty file, a second line or a NUL is refused, so
    /// a mistake is named at start, not sent to the server as a wrong password.
    static func passwordLine(_ data: Data, file: String) throws -> String {
        guard let text = String(data: data, encoding: .utf8), !text.contains("\u{0}") else {
            throw PostgresURLError(setting: "database_password_file \(file) is not UTF-8 text or holds a NUL")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.count == 1, let password = lines.first, !password.isEmpty else {
            throw PostgresURLError(
                setting: "database_password_file \(file) holds "
                    + (lines.allSatisfy(\.isEmpty) ? "no password" : "\(lines.count) lines") + "; "
                    + "it holds the password alone, on one line")
        }
        return String(password)
    }
}
