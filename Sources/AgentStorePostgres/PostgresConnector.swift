import FlxpointAPI
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// A few connections to the primary, opened on demand and kept for reuse. Each new connection
/// tries the URL's hosts in order (the last primary found first) and keeps the first that
/// accepts writes, as libpq's `target_session_attrs=read-write` does, so after a failover the
/// next connection finds the promoted standby. A connection that fails for any reason other
/// than the server refusing one statement is closed, never reused.
actor PostgresConnector {
    let settings: PostgresSettings
    let logger: Logger
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var nextId = 0
    private var primary: Int = 0
    private var closed = false

    init(settings: PostgresSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    deinit {
        for connection in idle {
            // postgres-nio insists a connection is closed before it is freed: the close's
            // completion keeps this one alive until then.
            connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
        }
    }

    /// A connection for one caller; give it back with `release`.
    func acquire() async throws -> PostgresConnection {
        while true {
            if closed { throw PostgresUnavailable(reason: "the store was closed") }
            while let connection = idle.popLast() {
                if !connection.isClosed { return connection }
                open -= 1
            }
            if open < settings.maxConnections {
                open += 1
                do {
                    return try await connect()
                } catch {
                    open -= 1
                    wakeOne()
                    throw error
                }
            }
            await withCheckedContinuation { waiting.append($0) }
        }
    }

    /// Returns a connection; a broken one is closed and its place freed.
    func release(_ connection: PostgresConnection, reusable: Bool) {
        if reusable && !connection.isClosed && !closed {
            idle.append(connection)
        } else {
            open -= 1
            Task { try? await connection.close() }
        }
        wakeOne()
    }

    /// Closes every idle connection: the primary moved, so they point at a standby or nowhere.
    func dropIdle() {
        let dropped = idle
        idle.removeAll()
        open -= dropped.count
        for connection in dropped { Task { try? await connection.close() } }
    }

    /// Closes everything; later calls fail.
    func close() async {
        closed = true
        let dropped = idle
        idle.removeAll()
        for connection in dropped { try? await connection.close() }
        for waiter in waiting { waiter.resume() }
        waiting.removeAll()
    }

    private func wakeOne() {
        if !waiting.isEmpty { waiting.removeFirst().resume() }
    }

    /// Tries each host, the last primary first, and keeps the first that accepts writes.
    private func connect() async throws -> PostgresConnection {
        let hosts = settings.url.hosts
        var problems: [String] = []
        for offset in 0..<hosts.count {
            let index = (primary + offset) % hosts.count
            let host = hosts[index]
            nextId += 1
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: try configuration(for: host), id: nextId, logger: logger)
                let readOnly = try await connection.statement("SHOW transaction_read_only", logger)
                    .collect().first?.decode(String.self)
                if readOnly == "off" {
                    primary = index
                    try await setTimeouts(connection)
                    return connection
                }
                try? await connection.close()
                problems.append("\(host.name):\(host.port) is read-only (a standby)")
            } catch {
                problems.append("\(host.name):\(host.port): \(PostgresErrorText.describe(error))")
            }
        }
        throw PostgresUnavailable(
            reason: "cannot reach a database that accepts writes: " + problems.joined(separator: "; "))
    }

    /// The statement, lock and idle-in-transaction time-outs, set once per connection. Behind a
    /// transaction pooler, where a session setting may land on another server connection, set
    /// the same values on the role too (docs/high-availability.md).
    private func setTimeouts(_ connection: PostgresConnection) async throws {
        let statement = "\(settings.statementTimeout.milliseconds)ms"
        let lock = "\(settings.lockTimeout.milliseconds)ms"
        let idle = "\(settings.idleInTransactionTimeout.milliseconds)ms"
        try await connection.statement(
            """
            SELECT set_config('statement_timeout', \(statement), false), set_config('lock_timeout', \(lock), false),
                   set_config('idle_in_transaction_session_timeout', \(idle), false)
            """, logger)
    }

    private func configuration(for host: PostgresURL.Host) throws -> PostgresConnection.Configuration {
        let url = settings.url
        var configuration = PostgresConnection.Configuration(
            host: host.name, port: host.port, username: url.user, password: settings.password,
            database: url.database, tls: try tls(url))
        configuration.options.connectTimeout = .seconds(Int64(url.connectTimeout))
        // Startup parameters a transaction pooler passes on; the timeouts are set per
        // transaction instead (`SET LOCAL`), which a pooler in transaction mode keeps.
        configuration.options.additionalStartupParameters = [("application_name", settings.applicationName)]
        configuration.options.requireBackendKeyData = false
        return configuration
    }

    private func tls(_ url: PostgresURL) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let root = url.sslRootCert { tls.trustRoots = .file(root) }
        switch url.sslMode {
        case .disable: return .disable
        case .allow, .prefer:
            tls.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: tls))
        case .require:
            tls.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            return .require(try NIOSSLContext(configuration: tls))
        }
    }
}

/// The shared database cannot be reached, or none of its hosts accepts writes: the agent
/// answers nothing until it can (it never sends what it cannot record).
public struct PostgresUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "database unavailable: \(reason)" }
}

/// A COMMIT whose outcome is unknown: the connection dropped after it was sent. Whatever the
/// transaction wrote must be read back before anything else is done on its strength.
public struct PostgresCommitUnknown: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "database commit outcome unknown: \(reason)" }
}
