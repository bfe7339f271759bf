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
            guard let data = FileManager.default.contents(atPath: passwordFile) else {
                throw PostgresURLError(setting: "cannot read database_password_file \(passwordFile)")
            }
            let text = String(decoding: data, as: UTF8.self)
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        return environment["PGPASSWORD"]
    }
}
