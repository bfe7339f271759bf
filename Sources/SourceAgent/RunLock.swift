import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one `run` allowed per database: an exclusive `flock` on `<database>.lock`, held for the
/// life of the process. The kernel drops it when the process dies, however it dies, so a
/// crash never leaves a stale lock; the file only carries the holder's pid for the message.
public final class RunLock: Sendable {
    private let descriptor: Int32
    public let path: String

    /// Someone else holds the lock.
    public struct Held: Error, CustomStringConvertible {
        public var path: String
        public var pid: Int32?

        public var description: String {
            let holder = pid.map { "process \($0)" } ?? "another process"
            return "another 'source-agent run' (\(holder)) holds this database (lock \(path)); "
                + "stop it first, or use one-shot commands alongside it"
        }
    }

    /// Takes the lock beside `databasePath`, or throws `Held`.
    public static func acquire(besideDatabase databasePath: String) throws -> RunLock {
        let path = databasePath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPid(fd)
            close(fd)
            throw Held(path: path, pid: holder)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        return RunLock(descriptor: fd, path: path)
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    private static func readPid(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
