import Foundation

/// Fresh temporary folders for tests.
public enum Scratch {
    /// A new, empty folder; the caller removes it.
    public static func directory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
