import AgentStorePostgres
import Foundation
import FulfillmentCore
import SourceAgentConsole

/// Everything `run` checks about a configuration before it starts, in one place: `run` calls
/// it first and `config show` calls it after printing, so `config show` is the dry run of a
/// configuration and never passes one that `run` then refuses.
extension Settings {
    /// Checks every file and folder the configuration names and that the agent would read at
    /// start: the database's path, the PostgreSQL password file, the tracking inbox, each
    /// source's token, the console's login file, each rule file (its diagnostics printed).
    /// Each problem is printed as `error: …`; throws `Exit.badInput` when there is one.
    /// Returns how people sign in to the console, read on the way.
    @discardableResult
    func checkBeforeStart() throws -> ConsoleAccess.Login {
        var problems: [String] = []
        if let problem = DatabasePath.fileProblem(db) {
            problems.append("\(problem) (from \(origins[.db] ?? .defaultValue))")
        }
        if location.isShared {
            do {
                _ = try PostgresSettings.password(
                    file: databasePasswordFile, environment: ProcessInfo.processInfo.environment)
            } catch {
                problems.append("\(error)")
            }
        }
        if let inbox = trackingInbox, let problem = Self.inboxProblem(inbox) { problems.append(problem) }
        for problem in problems { Terminal.err("error: \(problem)") }
        var failed = !problems.isEmpty
        for source in sources {
            do { _ = try source.clientConfiguration() } catch { failed = true }
        }
        var login = ConsoleAccess.Login.none
        do { login = try RunCommand.consoleLogin(self) } catch { failed = true }
        for rules in Set(sources.map(\.rules)).sorted() {
            do {
                let text = try InputFiles.text(rules, what: "rule file")
                let result = RuleSet.load(contents: text, path: rules)
                for diagnostic in result.errors { Terminal.err(diagnostic.description) }
                if result.ruleSet == nil { failed = true }
            } catch {
                failed = true
            }
        }
        if failed { throw Exit.badInput }
        return login
    }

    /// Why the tracking inbox cannot be watched (missing, not a folder, not readable), or nil.
    static func inboxProblem(_ path: String) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return "tracking_inbox \(path) does not exist: create the folder the warehouse system drops files into"
        }
        guard isFolder.boolValue else { return "tracking_inbox \(path) is a file, not a folder" }
        guard FileManager.default.isReadableFile(atPath: path), FileManager.default.isWritableFile(atPath: path) else {
            return "tracking_inbox \(path) cannot be read and written by this user (files are moved out of it)"
        }
        return nil
    }
}
