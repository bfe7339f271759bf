import Foundation
import FulfillmentCore
import Logging

/// The rule set in force, and reloading it: a file that fails to load leaves the old rules
/// in place and reports why.
public actor RuleSource {
    public nonisolated let path: String
    public private(set) var current: RuleSet
    private var loadedModification: Date?

    /// Loads the file once; throws its diagnostics when it has errors.
    public init(path: String) throws {
        self.path = path
        let (result, modified) = try Self.load(path)
        guard let ruleSet = result.ruleSet else { throw RuleLoadError(diagnostics: result.diagnostics) }
        current = ruleSet
        loadedModification = modified
    }

    /// A rule file that did not load, with every diagnostic.
    public struct RuleLoadError: Error, CustomStringConvertible {
        public let diagnostics: [Diagnostic]
        public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// Reloads now. Returns the diagnostics; on errors the previous rules stay in force.
    @discardableResult
    public func reload(logger: Logger) -> [Diagnostic] {
        do {
            let (result, modified) = try Self.load(path)
            loadedModification = modified
            guard let ruleSet = result.ruleSet else {
                logger.error(
                    "rule file has errors; keeping the previous rules",
                    metadata: [
                        "rules.path": "\(path)",
                        "rules.diagnostics": "\(result.errors.map(\.description).joined(separator: " | "))",
                    ])
                return result.diagnostics
            }
            let changed = ruleSet.sha256 != current.sha256
            current = ruleSet
            logger.notice(
                changed ? "rules reloaded" : "rules unchanged",
                metadata: ["rules.path": "\(path)", "rules.sha256": "\(ruleSet.sha256)"])
            return result.diagnostics
        } catch {
            logger.error(
                "cannot read the rule file; keeping the previous rules",
                metadata: ["rules.path": "\(path)", "error": "\(error)"])
            return []
        }
    }

    /// Reloads when the file's modification time changed since the last load.
    public func reloadIfChanged(logger: Logger) {
        let modified = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        if modified != loadedModification { reload(logger: logger) }
    }

    private static func load(_ path: String) throws -> (RuleLoadResult, Date?) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let modified = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        return (RuleSet.load(contents: text, path: path), modified)
    }
}
