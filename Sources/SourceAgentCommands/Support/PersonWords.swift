import AgentStore
import AgentStorePostgres
import AgentStoreSQLite
import Foundation

/// The one table from a failure a person can meet to the line they read: what happened to
/// which file or host, and what to do. No NIO, PostgresNIO or SQLite type name or code leads
/// the line (the log at `--verbose`/debug keeps the detail); usage text is for command-line
/// mistakes only, never for these.
enum PersonWords {
    /// `error` in words; `store` names the database (a SQLite path, or a redacted URL).
    static func text(_ error: any Error, store: String = "the database") -> String {
        if let words = AgentDatabase.failureText(error, path: store) { return words }
        if let unavailable = error as? PostgresUnavailable { return unavailable.description }
        if let cocoa = error as? CocoaError, let path = cocoa.filePath {
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "\(path) does not exist"
            case .fileReadNoPermission, .fileWriteNoPermission: return "\(path) cannot be accessed by this user"
            case .fileWriteOutOfSpace: return "the disk holding \(path) is full"
            default: return "cannot use \(path) (\(cocoa.code.rawValue))"
            }
        }
        return "\(error)"
    }
}
