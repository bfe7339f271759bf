import Foundation

/// The fleet's policy: the rule versions, the one in force per rule file name, which version
/// each process has loaded, and the claims on a shared tracking inbox. Process-wide, never
/// fenced by a lease: a standby reads and writes here too, and every process obeys it.
public protocol FleetStore: Sendable {
    /// The version in force for the rule file `name`, or nil when none was ever put in force.
    func ruleInForce(name: String) async throws -> RuleVersion?
    /// Every rule file's version in force, by name.
    func rulesInForce() async throws -> [RuleVersion]
    /// The first version kept with this digest: which version a logged decision was made by.
    func ruleVersion(sha256: String) async throws -> RuleVersion?
    /// Just the id of the version in force: what each cycle reads first to see a change.
    func ruleInForceId(name: String) async throws -> Int64?
    /// Keeps `version` (its `replaces` is set here) and puts it in force for `version.name`,
    /// in one transaction, if what is in force passes `guard`. The same text as the version in
    /// force writes nothing.
    func putRuleInForce(_ version: RuleVersion, guard: RuleInForceGuard) async throws -> RulePutOutcome
    /// The versions kept of the rule file `name`, newest first.
    func ruleVersions(name: String, limit: Int) async throws -> [RuleVersion]
    /// One kept version, by id.
    func ruleVersion(id: Int64) async throws -> RuleVersion?
    /// Records (or refreshes) which version a process has loaded.
    func recordRuleLoad(_ load: RuleLoad) async throws
    /// The rules the last process on `host` using the file at `path` loaded: what that machine's
    /// copy should hold unless a person edited it.
    func lastRuleLoad(host: String, path: String) async throws -> RuleLoad?
    /// Every process's loaded versions seen since `seenSince`, by name then host and pid.
    func ruleLoads(seenSince: Date) async throws -> [RuleLoad]
    /// Claims the inbox file (`name`, `sha256`) for `holder` until `until`: free, expired or
    /// already this holder's claims are taken; a claim marked done is not.
    func claimInboxFile(name: String, sha256: String, holder: String, until: Date, at now: Date) async throws
        -> InboxClaimOutcome
    /// Marks a claimed file imported and moved (`done`), or gives the claim up for another
    /// pass (`done` false: its shipments wait for Flxpoint).
    func finishInboxClaim(name: String, sha256: String, holder: String, done: Bool, at now: Date) async throws
}
