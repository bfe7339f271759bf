import PostgresNIO

/// What went wrong with the database, in words an operator can act on. postgres-nio keeps its
/// errors' text generic (a query's values could leak); this reads the server's message and
/// SQLSTATE, or the network error, and never a statement's values or the password.
enum PostgresErrorText {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return network("\(error)") ?? "\(error)" }
        if error.code == .authMechanismRequiresPassword {
            return "the server asks for a password: give database_password_file (or --database-password-file), "
                + "or set PGPASSWORD"
        }
        if let info = error.serverInfo, let message = info[.message] {
            let state = info[.sqlState]
            switch state {
            case "28P01":
                return "the server refused the password for this user: check database_password_file or PGPASSWORD"
            case "28000":
                return "the server does not let this user in from this machine (pg_hba.conf): \(message)"
            case "3D000":
                return "the database named in the URL does not exist on that server (\(message))"
            case "57P03":
                return "the server is starting up or shutting down: try again in a moment"
            default:
                return message + (state.map { " (SQLSTATE \($0))" } ?? "")
            }
        }
        if let underlying = error.underlying, let words = network("\(underlying)") { return words }
        switch error.code {
        case .sslUnsupported:
            return "the server does not offer TLS, and the URL's sslmode requires it"
        case .connectionClosed, .serverClosedConnection:
            return "the server closed the connection"
        default:
            return "the connection failed"
        }
    }

    /// A network failure (as NIO and the system word it) in a person's words, or nil.
    static func network(_ text: String) -> String? {
        let lower = text.lowercased()
        if lower.contains("connection refused") || lower.contains("errno: 111") {
            return "connection refused: nothing listens there (is PostgreSQL running, and are the host and port right?)"
        }
        if lower.contains("timed out") || lower.contains("timeout") {
            return "no answer in time (a firewall, or the wrong host?)"
        }
        if lower.contains("unreachable") || lower.contains("no route") {
            return "the network cannot reach that host"
        }
        if lower.contains("unknown host") || lower.contains("name or service not known") || lower.contains("nodename")
            || lower.contains("dns") || lower.contains("resolve")
        {
            return "the host name does not resolve (a typo in the URL?)"
        }
        if lower.contains("ssl") || lower.contains("tls") || lower.contains("handshake")
            || lower.contains("certificate")
        {
            return "the TLS handshake failed (the URL's sslmode, or the server's certificate)"
        }
        if lower.contains("connection reset") || lower.contains("broken pipe") {
            return "the connection was cut"
        }
        return nil
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
