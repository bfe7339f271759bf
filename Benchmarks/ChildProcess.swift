import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A process run from outside, timed by the wall clock, with its peak resident set as the
/// kernel counted it: what an operator's `top` would have shown.
struct ChildProcess {
    struct Finished {
        var status: Int32
        var seconds: Double
        var peakRSSMB: Double
    }

    let pid: pid_t
    let started: ContinuousClock.Instant

    /// Starts `path` with `arguments`; stdout and stderr go to the given files.
    static func launch(
        _ path: String, _ arguments: [String], environment: [String: String] = [:], stdout: String = "/dev/null",
        stderr: String = "/dev/null"
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard result == 0 else { throw BenchmarkError("cannot start \(path): \(String(cString: strerror(result)))") }
        return ChildProcess(pid: pid, started: started)
    }

    /// Waits for the end, sampling the kernel's high-water mark of the child's resident set
    /// (`VmHWM`) every 2 ms. `wait4`'s `ru_maxrss` cannot be used: a child spawned from this
    /// process starts with this process's peak as its own, whatever it uses after `exec`.
    func wait() -> Finished {
        var status: Int32 = 0
        var peakKB = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno != EINTR) { break }
            if let kb = Self.highWaterKB(pid) { peakKB = max(peakKB, kb) }
            usleep(2000)
        }
        let seconds = (ContinuousClock.now - started)
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Finished(
            status: exit,
            seconds: Double(seconds.components.seconds) + Double(seconds.components.attoseconds) / 1e18,
            peakRSSMB: Double(peakKB) / 1024)
    }

    static func highWaterKB(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
    }

    func terminate() {
        kill(pid, SIGTERM)
        _ = wait()
    }

    /// Runs to the end; a failing exit is an error naming the command.
    @discardableResult
    static func run(
        _ path: String, _ arguments: [String], environment: [String: String] = [:], stdout: String = "/dev/null",
        stderr: String = "/dev/null", allowedStatus: Set<Int32> = [0]
    ) throws -> Finished {
        let finished = try launch(path, arguments, environment: environment, stdout: stdout, stderr: stderr).wait()
        guard allowedStatus.contains(finished.status) else {
            let tail = (try? String(contentsOfFile: stderr, encoding: .utf8))?.suffix(600) ?? ""
            throw BenchmarkError("\(([path] + arguments).joined(separator: " ")) exited \(finished.status)\n\(tail)")
        }
        return finished
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
