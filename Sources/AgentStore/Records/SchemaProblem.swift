import Foundation

/// A database that is not as this build needs it: what is missing or changed, one line each.
public struct SchemaProblem: Error, CustomStringConvertible {
    public var path: String
    public var problems: [String]
    /// Whether `migrate` can bring it up to date (an older schema), rather than a damaged one.
    public var needsMigrate: Bool

    public init(path: String, problems: [String], needsMigrate: Bool) {
        self.path = path
        self.problems = problems
        self.needsMigrate = needsMigrate
    }

    /// The one problem of a file with no tables of the agent's at all.
    public static let noTables = "it has no source-agent tables"

    public var description: String {
        let what =
            problems.count == 1 ? problems[0] : "\(problems.count) problems: " + problems.joined(separator: "; ")
        if problems == [Self.noTables] {
            return "the database \(path) has no source-agent tables (an empty file, or another program's): "
                + "check --db, or run 'source-agent migrate --db \(path)' to make it one"
        }
        return needsMigrate
            ? "the database \(path) is older than this build (\(what)): run 'source-agent migrate --db \(path)'"
            : "the database \(path) is damaged: \(what). source-agent cannot recreate what was in it; restore "
                + "the last backup (docs/operations.md, \"Backups\"), or move the file away to start afresh"
    }
}
