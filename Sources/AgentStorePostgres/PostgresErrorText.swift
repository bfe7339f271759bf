import PostgresNIO

/// What went wrong with the database, in words an operator can act on. postgres-nio keeps its
/// errors' text generic (a query's values could leak); this reads the server's message and
/// SQLSTATE, or the network error, and never a statement's values or the password.
enum PostgresErrorText {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if error.code == .authMechanismRequiresPassword {
            return "the server asks for a password: give database_password_file (or --database-password-file), "
                + "or set PGPASSWORD"
        }
        if let info = error.serverInfo, let message = info[.message] {
            return message + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }

    /// The SQLSTATE of a server error, nil for any other failure.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether the server refused the statement but the connection is fine.
    static func isServerError(_ error: any Error) -> Bool {
        (error as? PSQLError)?.code == .server
    }
}

/// A statement the server refused, described without its values.
public struct PostgresStatementError: Error, CustomStringConvertible {
    public var description: String
    /// The SQLSTATE, such as `23505` for a unique violation.
    public var sqlState: String?
}
