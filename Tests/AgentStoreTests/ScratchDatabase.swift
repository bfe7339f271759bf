import Foundation

/// A database path in the temporary folder, unique per test; `remove` deletes it with its WAL and
/// shared-memory files.
struct ScratchDatabase {
    /// The files SQLite keeps for a database at a path: the file itself, its WAL and its shared memory.
    static let suffixes = ["", "-wal", "-shm"]

    let path: String

    init(_ prefix: String) {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString).sqlite")
            .path
    }

    func remove() {
        for suffix in Self.suffixes { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
