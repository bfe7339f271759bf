import Foundation

/// A rule file's text as it was put in force for the fleet: who, when, why, and the version it
/// replaced. One version is in force per rule file `name`; every process decides by it.
public struct RuleVersion: Codable, Sendable, Equatable {
    public var id: Int64?
    /// The file's path on the machine that put it in force (for people: where it came from).
    public var path: String
    /// The rule file's name, without its folder: what the version in force is kept under, so
    /// machines that keep the file in different folders still share one policy.
    public var name: String
    public var sha256: String
    public var text: String
    public var actor: String
    public var note: String?
    public var at: Date
    /// The version in force when this one replaced it; nil for the first.
    public var replaces: Int64?

    public init(
        id: Int64? = nil, path: String, name: String? = nil, sha256: String, text: String, actor: String,
        note: String?, at: Date, replaces: Int64? = nil
    ) {
        self.id = id
        self.path = path
        self.name = name ?? RuleVersion.name(ofPath: path)
        self.sha256 = sha256
        self.text = text
        self.actor = actor
        self.note = note
        self.at = at
        self.replaces = replaces
    }

    /// The name a rule file's versions are kept under: its last path component.
    public static func name(ofPath path: String) -> String {
        (path as NSString).lastPathComponent
    }
}

/// What putting a version in force must find in force first, so two people applying at once
/// cannot overwrite each other unseen.
public enum RuleInForceGuard: Sendable, Equatable {
    /// Whatever is in force is replaced (`rules apply`, SIGHUP of a changed file).
    case anything
    /// Only when nothing is in force yet (the first start after the upgrade).
    case nothing
    /// Only while this version is still in force (the console's Apply of the page it showed).
    case version(Int64)
}

extension RuleInForceGuard {
    /// What putting a text with digest `sha256` in force comes to while `current` is in force,
    /// decided before anything is written; nil when the new version is to be written. Both
    /// engines decide by it inside their transaction.
    public func settled(putting sha256: String, over current: RuleVersion?) -> RulePutOutcome? {
        switch self {
        case .anything: break
        case .nothing: if current != nil { return .conflict(inForce: current) }
        case .version(let id): if current?.id != id { return .conflict(inForce: current) }
        }
        if let current, current.sha256 == sha256 { return .unchanged(current) }
        return nil
    }
}

/// What came of putting a version in force.
public enum RulePutOutcome: Sendable, Equatable {
    /// The version is in force now, with its new id.
    case applied(RuleVersion)
    /// The same text was already in force: nothing was written.
    case unchanged(RuleVersion)
    /// Another version came into force first; nothing was written.
    case conflict(inForce: RuleVersion?)

    /// The version in force after the call.
    public var inForce: RuleVersion? {
        switch self {
        case .applied(let version), .unchanged(let version): version
        case .conflict(let version): version
        }
    }
}

/// Which rule version one process has loaded, and since when: what `rules status` and the
/// console compare with the version in force.
public struct RuleLoad: Codable, Sendable, Equatable {
    /// The process's random identity, new at every start.
    public var holder: String
    /// The rule file name (see `RuleVersion.name`).
    public var name: String
    /// The machine's own copy of the file: with `host`, what tells an edit from an old copy.
    public var path: String
    public var host: String
    public var pid: Int
    /// The version loaded; nil while the process decides by a file no version records.
    public var versionId: Int64?
    public var sha256: String
    public var loadedAt: Date
    /// The last time the process looked at the version in force.
    public var seenAt: Date
    /// Why the version in force could not be loaded here, when it could not.
    public var problem: String?

    public init(
        holder: String, name: String, path: String, host: String, pid: Int, versionId: Int64?, sha256: String,
        loadedAt: Date, seenAt: Date, problem: String? = nil
    ) {
        self.holder = holder
        self.name = name
        self.path = path
        self.host = host
        self.pid = pid
        self.versionId = versionId
        self.sha256 = sha256
        self.loadedAt = loadedAt
        self.seenAt = seenAt
        self.problem = problem
    }

    enum CodingKeys: String, CodingKey {
        case holder, name, path, host, pid, problem
        case versionId = "version_id"
        case sha256
        case loadedAt = "loaded_at"
        case seenAt = "seen_at"
    }
}

/// A tracking file taken by one process of the fleet to import: the claim on a shared inbox.
public struct InboxClaim: Codable, Sendable, Equatable {
    public var name: String
    public var sha256: String
    public var holder: String
    public var expiresAt: Date
    /// Set once the file's shipments are recorded and the file moved out of the inbox.
    public var doneAt: Date?

    public init(name: String, sha256: String, holder: String, expiresAt: Date, doneAt: Date?) {
        self.name = name
        self.sha256 = sha256
        self.holder = holder
        self.expiresAt = expiresAt
        self.doneAt = doneAt
    }

    enum CodingKeys: String, CodingKey {
        case name, sha256, holder
        case expiresAt = "expires_at"
        case doneAt = "done_at"
    }
}

/// What a claim on an inbox file came to.
public enum InboxClaimOutcome: Sendable, Equatable {
    /// This process imports it now.
    case claimed
    /// Another live process is importing it.
    case taken(by: String)
    /// Already imported (by any process): only its move out of the inbox may be left to do.
    case done
}
