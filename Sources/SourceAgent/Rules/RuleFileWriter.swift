import Foundation

/// Writes a rule file the way a person's editor would want to find it: the whole new text in
/// one rename (never half a file), the mode it had, and the text it replaces kept beside it as
/// `PATH.previous`.
public enum RuleFileWriter {
    /// A rule file that could not be replaced.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Puts `text` in the file at `path` unless it holds it already, keeping what it held as
    /// `PATH.previous`; returns whether it wrote.
    @discardableResult
    public static func replace(_ path: String, with text: String) throws -> Bool {
        let previous = try? String(contentsOfFile: path, encoding: .utf8)
        guard previous != text else { return false }
        try write(text, to: path, previous: previous)
        return true
    }

    /// Replaces the file at `path` with `text`, keeping `previous` (when given) as `PATH.previous`.
    public static func write(_ text: String, to path: String, previous: String?) throws {
        let manager = FileManager.default
        let mode = (try? manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0o644
        if let previous {
            let backup = path + ".previous"
            try? manager.removeItem(atPath: backup)
            _ = manager.createFile(atPath: backup, contents: Data(previous.utf8), attributes: [.posixPermissions: mode])
        }
        let temporary = path + ".writing-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard
            manager.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        else {
            throw Failure(description: "cannot write beside \(path)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? manager.removeItem(atPath: temporary)
            throw Failure(description: "cannot replace \(path): \(reason)")
        }
    }
}
