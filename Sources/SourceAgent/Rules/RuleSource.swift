import AgentStore
import Foundation
import FulfillmentCore
import Logging

/// The rule set this process decides by, and how it follows the fleet's policy.
///
/// Alone (no store joined: `dry-run`, tests of the decider) it is the rule file: reloaded on
/// SIGHUP or when the file changes, a broken file leaving the old rules in force. Once it has
/// joined a store (`join`), the store's version in force is the policy: every process loads it
/// at start and looks for a newer one at the start of each cycle, so a change applied on any
/// machine is in force everywhere within one cycle. A changed local file (SIGHUP, or its
/// modification time) is put in force for the fleet only when it differs from the version in
/// force *and* from the file this process last had, so an old copy on a restarted machine
/// never rolls the fleet back. The version in force is written to the local file, keeping the
/// one it replaces as `PATH.previous`.
public actor RuleSource {
    public nonisolated let path: String
    /// The name the fleet keeps this file's versions under (its last path component).
    public nonisolated let name: String
    public private(set) var current: RuleSet
    /// The version in force this process decides by; nil until it joined a store.
    public private(set) var version: RuleVersion?
    /// Why the version in force could not be loaded here; nil when this process decides by it.
    public private(set) var problem: String?
    /// How many looks in a row found a version in force this process could not load.
    public private(set) var behind = 0
    /// When `current` was loaded.
    public private(set) var loadedAt = Date()
    private var loadedModification: Date?
    /// The local file's digest as this process last read or wrote it: an edit is a file that
    /// differs from it.
    private var fileSHA: String
    /// The local file's text as read at start: what `join` puts in force when it does.
    private let startText: String
    private var fleet: Fleet?
    private var lastRecorded: Date?

    /// The store and the identity this process follows the fleet's policy with.
    struct Fleet {
        let store: any FleetStore
        let identity: ProcessIdentity
        let clock: @Sendable () -> Date
    }

    /// Loads the file once; throws its diagnostics when it has errors.
    public init(path: String) throws {
        self.path = path
        name = RuleVersion.name(ofPath: path)
        let (text, modified) = try Self.read(path)
        let result = RuleSet.load(contents: text, path: path)
        guard let ruleSet = result.ruleSet else { throw RuleLoadError(diagnostics: result.diagnostics) }
        current = ruleSet
        fileSHA = ruleSet.sha256
        startText = text
        loadedModification = modified
    }

    /// A rule file that did not load, with every diagnostic.
    public struct RuleLoadError: Error, CustomStringConvertible {
        public let diagnostics: [Diagnostic]
        public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// Something asked of the fleet's policy that this process cannot do.
    public struct PolicyError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Follows `store`'s policy from now on. With a version in force, loads it: a local file
    /// that differs from it is an old copy when it is what this machine (host and path) last
    /// ran, or a machine new to the fleet: warned about, naming both digests, and replaced by
    /// the version in force; a file that differs from both was edited while the agent was
    /// stopped, and is put in force. With no version in force yet (a new store, or the first
    /// start after the upgrade), the local file is put in force.
    public func join(
        store: any FleetStore, identity: ProcessIdentity, clock: @escaping @Sendable () -> Date, logger: Logger
    ) async throws {
        let fleet = Fleet(store: store, identity: identity, clock: clock)
        self.fleet = fleet
        loadedAt = clock()
        if let inForce = try await store.ruleInForce(name: name) {
            let last = try await store.lastRuleLoad(host: identity.host, path: path)
            if inForce.sha256 != current.sha256, let last, last.sha256 != current.sha256 {
                // Not what this machine last ran, nor the fleet's: a person edited the file while
                // the agent was stopped (on one machine, the usual "edit, then restart").
                try await putInForce(
                    startText, sha256: current.sha256, actor: "\(identity.host) (edited while stopped)",
                    note: "the rule file on \(identity.host) was changed while the agent was stopped",
                    guard: .version(inForce.id ?? 0),
                    announce:
                        "rules: this machine's rule file, edited while the agent was stopped, is in force for the fleet",
                    logger: logger)
            } else {
                if inForce.sha256 != current.sha256 {
                    logger.warning(
                        """
                        this machine's rule file is an older copy of the fleet's rules; the fleet's version stays \
                        in force and replaces the file (kept as \(path).previous). To change the rules for the \
                        fleet, use 'source-agent rules apply' or the console
                        """,
                        metadata: Self.metadata(inForce).merging(
                            ["rules.path": "\(path)", "rules.local_sha256": "\(current.sha256)"]) { $1 })
                }
                adopt(inForce, logger: logger)
            }
        } else {
            try await putInForce(
                startText, sha256: current.sha256, actor: "\(identity.host) (on disk)",
                note: "the rule file on disk when the fleet's policy began", guard: .nothing,
                announce: "rules: the local rule file is the first version in force", logger: logger)
        }
        try await recordLoad(at: clock())
    }

    /// Reloads now (SIGHUP, the console's reload). Alone: the file. In a fleet: the file is put
    /// in force when it is an edit (see the type's summary). Returns the file's diagnostics; on
    /// errors the rules in force stay.
    @discardableResult
    public func reload(logger: Logger) async -> [Diagnostic] {
        await readLocalFile(reason: "SIGHUP", logger: logger)
    }

    /// The first step of every cycle (and of the fleet watch): a changed local file is read as
    /// `reload` reads it, then a newer version in force is loaded. Returns how many looks in a
    /// row found a version in force that does not load here (0: up to date).
    @discardableResult
    public func refresh(logger: Logger) async -> Int {
        if Self.modification(path) != loadedModification {
            await readLocalFile(reason: "file changed", logger: logger)
        }
        guard let fleet else { return 0 }
        do {
            if let id = try await fleet.store.ruleInForceId(name: name), id != version?.id,
                let inForce = try await fleet.store.ruleVersion(id: id)
            {
                adopt(inForce, logger: logger)
                try await recordLoad(at: fleet.clock())
            } else if let last = lastRecorded, fleet.clock().timeIntervalSince(last) < 1 {
                // Seen a moment ago: the status needs no fresher mark than one a second.
            } else {
                try await recordLoad(at: fleet.clock())
            }
        } catch {
            logger.warning(
                "could not read the fleet's rules in force; deciding by the version loaded",
                metadata: ["rules.path": "\(path)", "error": "\(error)"])
        }
        return behind
    }

    /// Puts `text` in force for the fleet (the console's Apply and Revert) when what is in
    /// force passes `guard`, and decides by it from now on. The text must load.
    public func apply(_ text: String, actor: String, note: String?, guard check: RuleInForceGuard, logger: Logger)
        async throws -> RulePutOutcome
    {
        guard let fleet else { throw PolicyError(description: "the rules are not kept in a store") }
        let result = RuleSet.load(contents: text, path: path)
        guard let ruleSet = result.ruleSet else { throw RuleLoadError(diagnostics: result.diagnostics) }
        let outcome = try await putInForce(
            text, sha256: ruleSet.sha256, actor: actor, note: note, guard: check, announce: nil, logger: logger)
        try await recordLoad(at: fleet.clock())
        return outcome
    }

    /// What this process has loaded, as `rules status` lists it.
    public func load(at now: Date) -> RuleLoad? {
        guard let fleet else { return nil }
        return RuleLoad(
            holder: fleet.identity.holder, name: name, path: path, host: fleet.identity.host, pid: fleet.identity.pid,
            versionId: version?.id, sha256: current.sha256, loadedAt: loadedAt, seenAt: now, problem: problem)
    }

    /// Reads the local file; alone, it becomes the rules; in a fleet, an edit is put in force.
    private func readLocalFile(reason: String, logger: Logger) async -> [Diagnostic] {
        let text: String
        do {
            (text, loadedModification) = try Self.read(path)
        } catch {
            logger.error(
                "cannot read the rule file; keeping the previous rules",
                metadata: ["rules.path": "\(path)", "error": "\(error)"])
            return []
        }
        let sha = SHA256.hex(Array(text.utf8))
        if fleet != nil && (sha == fileSHA || sha == current.sha256) {
            // Not an edit: the file this process last had (an old copy included), or the rules in force.
            fileSHA = sha
            return []
        }
        let result = RuleSet.load(contents: text, path: path)
        guard let ruleSet = result.ruleSet else {
            logger.error(
                "rule file has errors; keeping the previous rules",
                metadata: [
                    "rules.path": "\(path)",
                    "rules.diagnostics": "\(result.errors.map(\.description).joined(separator: " | "))",
                ])
            return result.diagnostics
        }
        fileSHA = sha
        guard let fleet else {
            let changed = ruleSet.sha256 != current.sha256
            current = ruleSet
            logger.notice(
                changed ? "rules reloaded" : "rules unchanged",
                metadata: ["rules.path": "\(path)", "rules.sha256": "\(ruleSet.sha256)"])
            return result.diagnostics
        }
        do {
            try await putInForce(
                text, sha256: sha, actor: "\(fleet.identity.host) (\(reason))",
                note: "the rule file on \(fleet.identity.host) was changed", guard: .anything,
                announce: "rules reloaded: this machine's edited rule file is in force for the fleet", logger: logger)
            try await recordLoad(at: fleet.clock())
        } catch {
            logger.error(
                "could not put the edited rule file in force; keeping the rules loaded",
                metadata: ["rules.path": "\(path)", "error": "\(error)"])
        }
        return result.diagnostics
    }

    /// Keeps `text` as a version and puts it in force if what is in force passes `check`, then
    /// decides by whatever is in force after it; `announce` is logged when this put it in force.
    @discardableResult
    private func putInForce(
        _ text: String, sha256: String, actor: String, note: String?, guard check: RuleInForceGuard,
        announce: Logger.Message?, logger: Logger
    ) async throws -> RulePutOutcome {
        guard let fleet else { throw PolicyError(description: "the rules are not kept in a store") }
        let outcome = try await fleet.store.putRuleInForce(
            RuleVersion(
                path: path, name: name, sha256: sha256, text: text, actor: actor, note: note, at: fleet.clock()),
            guard: check)
        if let announce, case .applied(let version) = outcome {
            logger.notice(announce, metadata: Self.metadata(version))
        }
        if let inForce = outcome.inForce { adopt(inForce, logger: logger) }
        return outcome
    }

    /// Decides by `inForce` from now on and writes it to the local file; a version that does
    /// not load here (a newer build's rules) leaves the previous rules in force and says why.
    private func adopt(_ inForce: RuleVersion, logger: Logger) {
        guard inForce.id != version?.id || inForce.sha256 != current.sha256 else { return }
        let ruleSet: RuleSet
        if inForce.sha256 == current.sha256 {
            ruleSet = current
        } else {
            let result = RuleSet.load(contents: inForce.text, path: path)
            guard let loaded = result.ruleSet else {
                behind += 1
                problem =
                    "version #\(inForce.id ?? 0) (\(inForce.sha256.prefix(12))) does not load here: "
                    + result.errors.map(\.description).joined(separator: "; ")
                logger.error(
                    "the fleet's rules in force do not load on this machine; deciding by the version loaded before",
                    metadata: Self.metadata(inForce).merging(["rules.problem": "\(problem ?? "")"]) { $1 })
                return
            }
            ruleSet = loaded
        }
        let changed = ruleSet.sha256 != current.sha256
        current = ruleSet
        version = inForce
        problem = nil
        behind = 0
        if changed {
            loadedAt = fleet?.clock() ?? Date()
            logger.notice("rules: the fleet's version in force is loaded", metadata: Self.metadata(inForce))
        }
        do {
            if try RuleFileWriter.replace(path, with: inForce.text) { loadedModification = Self.modification(path) }
            fileSHA = inForce.sha256
        } catch {
            logger.warning(
                "could not write the rules in force to the local rule file; they are in force all the same",
                metadata: ["rules.path": "\(path)", "error": "\(error)"])
        }
    }

    private func recordLoad(at now: Date) async throws {
        guard let fleet, let load = load(at: now) else { return }
        try await fleet.store.recordRuleLoad(load)
        lastRecorded = now
    }

    static func metadata(_ version: RuleVersion) -> Logger.Metadata {
        [
            "rules.version": "\(version.id ?? 0)", "rules.sha256": "\(version.sha256)",
            "rules.by": "\(version.actor)", "rules.name": "\(version.name)",
        ]
    }

    private static func read(_ path: String) throws -> (text: String, modified: Date?) {
        (try String(contentsOfFile: path, encoding: .utf8), modification(path))
    }

    private static func modification(_ path: String) -> Date? {
        try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    }
}
