import Foundation
import Synchronization

/// The built `source-agent` binary, run as a person or a service manager would.
public enum AgentBinary {
    /// `swift build` / `swift test` put every product next to the test bundle.
    public static let url = product("source-agent")

    /// The same agent with `SOURCE_AGENT_CRASH_AT` armed: `launch` runs it when that variable is set.
    public static let crashTestURL = product("source-agent-crash-test")

    /// The built executable `name`, from the folder of this build (debug or release).
    private static func product(_ name: String) -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for directory in candidates {
            let url = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/\(name)")
    }

    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A finished run: exit status and both streams.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The instant the sample FRs (`examples/frs-sample.json`) are written for: Friday
    /// 2026-11-27, 09:00 in the warehouse's Chicago, as the README's dry-run says with `--now`.
    public static let sampleNow = Date(timeIntervalSince1970: 1_795_791_600)

    /// The environment that sets the agent's clock to `instant` now, moving on from there, so
    /// a test of fixed-date fixtures gives the same answer on any day, at any hour.
    public static func clock(at instant: Date) -> [String: String] {
        ["SOURCE_AGENT_TIME_OFFSET": String(instant.timeIntervalSinceNow)]
    }

    /// Runs to completion and captures both streams. Waits without blocking a thread: tests
    /// run in parallel on a small pool, and the sandbox the binary talks to needs it.
    public static func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], in directory: URL? = nil,
        niceness: Int = 4
    ) async throws -> Output {
        let process = try launch(arguments, environment: environment, in: directory, stdin: stdin, niceness: niceness)
        return await process.wait()
    }

    /// Runs a shell script (`bash -e`) with the binary's folder first on `PATH`, as a person
    /// pasting README lines into a terminal would.
    public static func runScript(_ script: String, environment: [String: String] = [:], in directory: URL)
        async throws -> Output
    {
        var env = environment
        env["PATH"] = url.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        return await try launch(
            ["-e", "-c", script], environment: env, in: directory, executable: URL(fileURLWithPath: "/bin/bash")
        ).wait()
    }

    /// Starts the binary; its output goes to temporary files so a long run never blocks on a pipe.
    /// With `SOURCE_AGENT_CRASH_AT` in `environment`, the agent is the crash-test build of it.
    ///
    /// `niceness`: the CPU priority the process runs at. Tests run together on a small machine;
    /// those that time a takeover against a lease's seconds (the chaos test) pass 0 and the rest
    /// run a little lower, so the agents being timed are not the ones kept waiting.
    public static func launch(
        _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil, stdin: String? = nil,
        executable: URL = url, niceness: Int = 4
    ) throws -> RunningAgent {
        let process = Process()
        let armed = executable == url && environment["SOURCE_AGENT_CRASH_AT"] != nil
        // `nice` execs the program in its place: the pid is the program's.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
        process.arguments = ["-n", String(niceness), (armed ? crashTestURL : executable).path] + arguments
        process.currentDirectoryURL = directory ?? repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env["FLXPOINT_SOURCE_TOKEN"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("agent-out-\(UUID().uuidString)")
        let stdoutURL = base.appendingPathExtension("out")
        let stderrURL = base.appendingPathExtension("err")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        let input = Pipe()
        process.standardInput = input
        let exit = ExitSignal()
        process.terminationHandler = { _ in exit.fire() }
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        return RunningAgent(process: process, stdoutURL: stdoutURL, stderrURL: stderrURL, exit: exit)
    }
}

/// A running `source-agent` process.
public final class RunningAgent: @unchecked Sendable {
    let process: Process
    let stdoutURL: URL
    let stderrURL: URL
    let exit: ExitSignal

    init(process: Process, stdoutURL: URL, stderrURL: URL, exit: ExitSignal) {
        self.process = process
        self.stdoutURL = stdoutURL
        self.stderrURL = stderrURL
        self.exit = exit
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
    public var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }

    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the exit, without blocking a thread, and returns what it printed.
    public func wait() async -> AgentBinary.Output {
        await exit.wait()
        process.waitUntilExit()  // already exited: makes `terminationStatus` safe to read
        defer {
            try? FileManager.default.removeItem(at: stdoutURL)
            try? FileManager.default.removeItem(at: stderrURL)
        }
        return AgentBinary.Output(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Asks the process to stop (SIGTERM) and reaps it in the background: for a `defer`, which
    /// cannot wait.
    public func stopInBackground() {
        signal(SIGTERM)
        Task { _ = await wait() }
    }

    /// Waits up to `timeout` for the process to exit; true when it did.
    public func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !exit.fired, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return exit.fired
    }

    /// Polls `condition` every 50 ms for up to `timeout`.
    public static func eventually(
        timeout: Duration = .seconds(20), _ condition: () async throws -> Bool
    ) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }
}

/// Fired once when a process exits; any number of tasks wait for it without blocking a thread.
final class ExitSignal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    var fired: Bool { state.withLock { $0.fired } }

    func fire() {
        let waiters = state.withLock { state in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                if state.fired { return true }
                state.waiters.append(waiter)
                return false
            }
            if now { waiter.resume() }
        }
    }
}
