// AgentStorePostgres: the PostgreSQL engine of the store interface (postgres-nio), for several agent processes on
// several machines sharing one store.

import Foundation
import FulfillmentCore

/// A `postgres://` URL as libpq reads it: a user, one or more `host:port` pairs, a database and
/// the query parameters the agent understands. The password is never taken from the URL's
/// text: it comes from a file or `PGPASSWORD` (see `PostgresSettings`), so a URL can be logged,
/// shown and kept in a config file.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// One server to try, in the order the URL lists them.
    public struct Host: Sendable, Equatable {
        public var name: String
        public var port: Int
    }

    /// How the connection is encrypted, as libpq's `sslmode` says.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var user: String
    public var hosts: [Host]
    public var database: String
    public var sslMode: SSLMode
    /// A file of PEM certificates the server's must chain to (`sslrootcert`).
    public var sslRootCert: String?
    /// Seconds to wait for one host to answer before trying the next (`connect_timeout`).
    public var connectTimeout: Int

    /// Reads `text`; an error quotes what is wrong, never a password.
    public init(_ text: String) throws(PostgresURLError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = trimmed.range(of: "://"),
            ["postgres", "postgresql"].contains(trimmed[..<schemeEnd.lowerBound].lowercased())
        else { throw .init("expected a URL starting postgres://") }
        var rest = Substring(trimmed[schemeEnd.upperBound...])
        var query = Substring("")
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userInfo = Substring("")
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        if userInfo.contains(":") {
            throw .init(
                "a password in the URL is refused: put it in a file named by database_password_file, or in PGPASSWORD")
        }
        user = Self.decode(userInfo)
        if user.isEmpty { user = "postgres" }
        database = Self.decode(path)
        if database.isEmpty { database = user }
        hosts = []
        for text in rest.split(separator: ",", omittingEmptySubsequences: false) { hosts.append(try Self.host(text)) }
        if hosts.isEmpty || rest.isEmpty { hosts = [Host(name: "localhost", port: 5432)] }
        sslMode = .prefer
        connectTimeout = 10
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            switch key {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw .init(
                        "unknown sslmode \(Quote.short(value)); expected one of "
                            + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                sslMode = mode
            case "sslrootcert": sslRootCert = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw .init("connect_timeout must be a whole number of seconds above 0, not \(Quote.short(value))")
                }
                connectTimeout = seconds
            case "target_session_attrs":
                // The agent always writes, so it always looks for the primary.
                guard value == "read-write" || value == "primary" else {
                    throw .init(
                        "target_session_attrs \(Quote.short(value)) is not supported: the agent needs the primary")
                }
            case "application_name": break
            case "password":
                throw .init(
                    "a password in the URL is refused: put it in a file named by database_password_file, or in PGPASSWORD"
                )
            default:
                throw .init("unknown URL parameter \(Quote.short(key))")
            }
        }
    }

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// The URL without secrets (it never holds one), for logs and `status`.
    public var description: String {
        let hostList = hosts.map { "\($0.name):\($0.port)" }.joined(separator: ",")
        return "postgres://\(user)@\(hostList)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    private static func host(_ text: Substring) throws(PostgresURLError) -> Host {
        var name = text
        var port = 5432
        if text.hasPrefix("[") {
            // An IPv6 address in brackets, optionally followed by :port.
            guard let close = text.firstIndex(of: "]") else {
                throw .init("unclosed '[' in host \(Quote.short(String(text)))")
            }
            name = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else {
                    throw .init("bad port in host \(Quote.short(String(text)))")
                }
                port = p
            }
        } else if let colon = text.lastIndex(of: ":") {
            guard let p = Int(text[text.index(after: colon)...]), (1...65535).contains(p) else {
                throw .init("bad port in host \(Quote.short(String(text)))")
            }
            port = p
            name = text[..<colon]
        }
        guard !name.isEmpty else { throw .init("empty host in \(Quote.short(String(text)))") }
        return Host(name: decode(name), port: port)
    }

    private static func decode(_ text: Substring) -> String {
        String(text).removingPercentEncoding ?? String(text)
    }
}

/// A `postgres://` URL that cannot be used, with what is wrong.
public struct PostgresURLError: Error, Equatable, CustomStringConvertible {
    public var description: String
    init(_ message: String) { description = "database URL: \(message)" }
    init(setting message: String) { description = "database: \(message)" }
}
