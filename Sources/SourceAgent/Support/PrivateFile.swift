// Support: writing files that hold customer data (0600), CSV and wire JSON helpers.

import Foundation

/// Files that may hold customer names and addresses (reports, exports, the demo's files,
/// an inbox file's errors) are created readable by their owner alone, like the database:
/// mode 0600 from the first byte, whatever the umask, and tightened when the file existed.
public enum PrivateFile {
    /// Creates or truncates `path` (mode 0600) and opens it for writing.
    public static func create(_ path: String) throws -> FileHandle {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError.error(.fileWriteNoPermission, url: URL(fileURLWithPath: path)) }
        // An existing file keeps its old mode through O_CREAT: tighten it.
        guard fchmod(fd, 0o600) == 0 else {
            close(fd)
            throw CocoaError.error(.fileWriteNoPermission, url: URL(fileURLWithPath: path))
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// Writes `text` to `path` (mode 0600).
    public static func write(_ text: String, to path: String) throws {
        let handle = try create(path)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }
}
