import Foundation
import Synchronization

/// A throwaway PostgreSQL server for tests: a new cluster in a temporary folder, on a random
/// loopback port, with `fsync=off` (a test never needs its data after a power cut). Its
/// superuser `agent` has a random password, required over TCP, so every test connects the way
/// an installation does. Tests share one cluster per test process and each takes a database
/// of its own (`makeDatabase`); failover tests start clusters of their own.
///
/// `initdb` refuses to run as root; as root the cluster belongs to the `postgres` user (made
/// by the Debian package), run through `runuser`.
public final class PostgresCluster: Sendable {
    public let port: Int
    public let user = "agent"
    /// The superuser's password; tests pass it as `PGPASSWORD` or in a password file.
    public let password: String
    /// The cluster's data folder.
    public let dataDirectory: String
    let folder: URL
    let binaries: String
    let owner: String?
    /// The migrated template `makeMigratedDatabase` copies, made by its first call.
    private let template = Mutex<Task<String, any Error>?>(nil)

    /// The cluster this test process shares, started on first use; nil (the caller skips,
    /// saying why) when PostgreSQL is not installed, unless `SOURCE_AGENT_REQUIRE_POSTGRES=1`
    /// makes that a failure.
    public static func shared() async throws -> PostgresCluster? {
        try await Blocking.run { try sharedCluster.get() }
    }

    /// Why tests that need PostgreSQL are skipped here.
    public static var skipReason: String {
        "PostgreSQL is not installed (apt-get install postgresql); set SOURCE_AGENT_REQUIRE_POSTGRES=1 to fail instead"
    }

    private static let sharedCluster: Result<PostgresCluster?, any Error> = Result {
        guard let binaries = binaryFolder() else {
            if ProcessInfo.processInfo.environment["SOURCE_AGENT_REQUIRE_POSTGRES"] == "1" {
                throw ClusterError(message: "PostgreSQL is required but initdb was not found")
            }
            return nil
        }
        let cluster = try PostgresCluster(binaries: binaries)
        atexit { PostgresCluster.stopShared() }
        return cluster
    }

    private static func stopShared() {
        if case .success(let cluster?) = sharedCluster { cluster.destroy() }
    }

    /// The folder holding `initdb` and `pg_ctl`: `pg_config --bindir`, else Debian's versioned folders.
    public static func binaryFolder() -> String? {
        var candidates: [String] = []
        if let bindir = try? capture("/usr/bin/env", ["pg_config", "--bindir"]).trimmingCharacters(
            in: .whitespacesAndNewlines),
            !bindir.isEmpty
        {
            candidates.append(bindir)
        }
        let debian = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "\(debian)/\($0)/bin" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") }
    }

    /// Starts a new cluster, off the cooperative pool; `settings` are extra `-c name=value` server settings.
    public static func start(binaries: String, settings: [String: String] = [:]) async throws -> PostgresCluster {
        try await Blocking.run { try PostgresCluster(binaries: binaries, settings: settings) }
    }

    /// A streaming standby of `primary`, started off the cooperative pool (see `init(standbyOf:)`).
    public static func standby(of primary: PostgresCluster) async throws -> PostgresCluster {
        try await Blocking.run { try PostgresCluster(standbyOf: primary) }
    }

    /// Starts a new cluster; `settings` are extra `-c name=value` server settings.
    init(binaries: String, settings: [String: String] = [:]) throws {
        self.binaries = binaries
        owner = geteuid() == 0 ? "postgres" : nil
        folder = try Scratch.directory("source-agent-pg")
        dataDirectory = folder.appendingPathComponent("data").path
        password = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        port = FreePort.loopback()
        let passwordFile = folder.appendingPathComponent("pw").path
        try Data(password.utf8).write(to: URL(fileURLWithPath: passwordFile))
        if let owner {
            try Self.capture("/bin/chown", ["-R", owner, folder.path])
        }
        try run(
            "initdb",
            [
                "-D", dataDirectory, "-U", user, "--pwfile", passwordFile, "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync",
            ])
        try? FileManager.default.removeItem(atPath: passwordFile)
        try start(settings: settings)
    }

    /// A streaming standby of `primary` (`pg_basebackup -R`), started on a port of its own,
    /// named `standby1` to the primary (for `synchronous_standby_names`).
    init(standbyOf primary: PostgresCluster) throws {
        binaries = primary.binaries
        owner = primary.owner
        folder = try Scratch.directory("source-agent-pg-standby")
        dataDirectory = folder.appendingPathComponent("data").path
        password = primary.password
        port = FreePort.loopback()
        if let owner { try Self.capture("/bin/chown", ["-R", owner, folder.path]) }
        try run(
            "pg_basebackup",
            [
                "-h", "127.0.0.1", "-p", "\(primary.port)", "-U", user, "-D", dataDirectory, "-R", "-X", "stream",
                "-d", "application_name=standby1",
            ], environment: ["PGPASSWORD": password])
        try start()
    }

    /// Makes a standby the primary.
    public func promote() async throws {
        try await Blocking.run { try self.run("pg_ctl", ["-D", self.dataDirectory, "-w", "promote"]) }
    }

    /// Starts the server (again, after `stop` or a kill).
    func start(settings: [String: String] = [:]) throws {
        var options = [
            "-p \(port)", "-k \(folder.path)", "-c listen_addresses=127.0.0.1", "-c fsync=off",
            "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=200",
        ]
        options += settings.sorted { $0.key < $1.key }.map { "-c \($0.key)=\($0.value)" }
        try run(
            "pg_ctl",
            [
                "-D", dataDirectory, "-l", folder.appendingPathComponent("server.log").path, "-w", "-t", "60", "-o",
                options.joined(separator: " "), "start",
            ])
    }

    /// Stops the server at once (no checkpoint): what a test needs, and what a crash looks like.
    public func stop() {
        _ = try? run("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"])
    }

    /// Kills the server with SIGKILL, the postmaster and every process it started at once, as
    /// the loss of its machine would: no shutdown, no checkpoint, connections left to break.
    public func kill() throws {
        let pidFile = URL(fileURLWithPath: dataDirectory).appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let postmaster = text.split(separator: "\n").first.flatMap({ Int32($0) })
        else { throw ClusterError(message: "no postmaster.pid in \(dataDirectory)") }
        // Its children, from /proc: the fourth field of /proc/PID/stat is the parent's pid.
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap {
            entry -> Int32? in
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == postmaster ? pid : nil
        }
        for pid in [postmaster] + children { Foundation.kill(pid, SIGKILL) }
    }

    /// Stops the server and removes its folder.
    public func destroy() {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// A new, empty database; returns its URL (without the password, as the agent takes it).
    public func makeDatabase(_ prefix: String = "test") async throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        try await psql("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// A new database already at this build's schema, for a test that is not about migrating:
    /// a copy of a template the first call makes with `source-agent migrate`. Copying costs
    /// a fifth of the CPU of creating and migrating (0.1 s against 0.5 s here), and a test run
    /// makes dozens.
    public func makeMigratedDatabase(_ prefix: String = "test") async throws -> String {
        let made = template.withLock { template in
            if let template { return template }
            let making = Task { try await self.migrateTemplate() }
            template = making
            return making
        }
        let source = try await made.value
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        // The migrating process has gone, but its server process may linger a moment, and a
        // template is copied only while no one is connected to it.
        var attempts = 0
        while true {
            do {
                try await psql("CREATE DATABASE \(name) TEMPLATE \(source)")
                return url(database: name)
            } catch let error as ClusterError where error.message.contains("being accessed by other users") {
                attempts += 1
                if attempts == 50 { throw error }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func migrateTemplate() async throws -> String {
        let name = "migrated_template"
        try await psql("CREATE DATABASE \(name)")
        let migrated = try await AgentBinary.run(
            ["migrate", "--database", url(database: name)], environment: environment,
            niceness: 0)  // every test of the store waits on it
        guard migrated.status == 0 else {
            throw ClusterError(message: "source-agent migrate failed on the template: \(migrated.stderr)")
        }
        return name
    }

    /// The database a URL of `url(database:)` names.
    public static func databaseName(_ url: String) -> String {
        String(url.split(separator: "/").last?.split(separator: "?").first ?? "")
    }

    /// Drops a database `makeDatabase` made, ending any connection still open to it; on a
    /// thread of its own, unwaited (a `defer` cannot wait, and nothing needs the drop done).
    public func dropDatabase(url: String) {
        let sql = "DROP DATABASE IF EXISTS \(Self.databaseName(url)) WITH (FORCE)"
        Thread { _ = try? self.runSQL(sql, database: "postgres") }.start()
    }

    /// The URL of a database on this cluster.
    public func url(database: String) -> String {
        "postgres://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Runs SQL as the superuser through `psql`; returns what it printed (tuples only, unaligned).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") async throws -> String {
        try await Blocking.run { try self.runSQL(sql, database: database) }
    }

    private func runSQL(_ sql: String, database: String) throws -> String {
        try Self.capture(
            "\(binaries)/psql",
            [
                "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", user,
                "-d", database, "-c", sql,
            ],
            environment: ["PGPASSWORD": password])
    }

    /// The environment a process needs to reach this cluster: the password, as `PGPASSWORD`.
    public var environment: [String: String] { ["PGPASSWORD": password] }

    @discardableResult
    private func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let path = "\(binaries)/\(tool)"
        if let owner {
            // runuser keeps the environment it is given (-p is not needed for variables set here).
            let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return try Self.capture(
                "/sbin/runuser", ["-u", owner, "--", "/usr/bin/env"] + assignments + [path] + arguments)
        }
        return try Self.capture(path, arguments, environment: environment)
    }

    /// Runs a program to its end and returns what it printed. `Spawn` and `waitpid` rather
    /// than `Process`: this runs while a test's static state is initialised, where waiting on
    /// Foundation's process monitor has been seen to hang; output goes to a file because the
    /// server `pg_ctl start` leaves running inherits it.
    @discardableResult
    static func capture(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString)").path
        defer { unlink(outputPath) }
        let pid = try Spawn.start(
            path, arguments, environment: Spawn.environment(environment),
            descriptors: [.null, .file(outputPath), .copy(1)])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // Exited normally with status 0: the low 7 bits (the signal) and the exit code are 0.
        guard status == 0 else {
            throw ClusterError(message: "\(URL(fileURLWithPath: path).lastPathComponent) failed: \(text)")
        }
        return text
    }
}

/// The test cluster could not be made or started.
public struct ClusterError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { "test PostgreSQL cluster: \(message)" }
}
