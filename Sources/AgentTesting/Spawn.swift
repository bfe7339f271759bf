import Foundation

/// Starts programs the way the harness's long-lived helpers need: `posix_spawn` with the
/// child's standard descriptors (and any extra ones) set up by the caller, and **every other
/// descriptor of this process closed in the child**. Foundation's `Process` learns that a
/// child exited when a socket it handed that child reaches end-of-file; a program started
/// here while an agent was being launched would otherwise inherit that socket, and if it
/// lives on (the shared Chromium, a PostgreSQL server `pg_ctl` leaves running), the test
/// waiting for that agent would wait forever.
enum Spawn {
    /// One descriptor of the child: `/dev/null`, a file written from its start, or a copy of
    /// one of this process's descriptors.
    enum Descriptor {
        case null
        case file(String)
        case copy(Int32)
    }

    /// Starts `path` with `arguments`, the environment `environment` (`NAME=value` each) and
    /// `descriptors` as the child's 0, 1, 2, …; returns its pid. Nothing else is inherited.
    static func start(_ path: String, _ arguments: [String], environment: [String], descriptors: [Descriptor])
        throws -> pid_t
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (number, descriptor) in descriptors.enumerated() {
            let target = Int32(number)
            switch descriptor {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", number == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let file):
                posix_spawn_file_actions_addopen(&actions, target, file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .copy(let source): posix_spawn_file_actions_adddup2(&actions, source, target)
            }
        }
        _ = closeFrom?(&actions, Int32(descriptors.count))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw ClusterError(message: "cannot start \(path): error \(spawned)") }
        return pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run
    /// time because Swift's Glibc module does not declare it; without it (an older glibc) the
    /// child inherits what is not close-on-exec, as before.
    private static let closeFrom: CloseFrom? =
        dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: CloseFrom.self) }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// This process's environment with `overrides`, as `NAME=value` strings.
    static func environment(_ overrides: [String: String] = [:]) -> [String] {
        ProcessInfo.processInfo.environment.merging(overrides) { $1 }.map { "\($0.key)=\($0.value)" }
    }
}
