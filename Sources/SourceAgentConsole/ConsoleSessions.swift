import Foundation

/// The console's signed-in people (a random token per sign-in, kept in memory: a restart
/// signs everyone out) and the throttle on failed sign-ins.
actor ConsoleSessions {
    /// The session cookie's name.
    static let cookieName = "console_session"
    /// A session unused this long ends.
    static let idle: TimeInterval = 12 * 3600
    /// Failed sign-ins for one name before it must wait.
    static let freeFailures = 5
    /// The first wait; it doubles with each further failure, up to `longestWait`.
    static let firstWait: TimeInterval = 30
    static let longestWait: TimeInterval = 15 * 60
    /// Failed sign-ins, over every name, per minute before everyone must wait a minute: a
    /// guess at many names is slowed as one at a single name is.
    static let failuresPerMinute = 30

    /// One signed-in person.
    struct Session: Sendable {
        let name: String
        let role: ConsoleRole
        /// The CSRF token of this session's forms: a viewer's page gives nothing an
        /// operator's session would take.
        let csrf: String
        var lastUsed: Date
    }

    private var sessions: [String: Session] = [:]
    /// Failures per name (as typed, lowercased) and until when it must wait.
    private var failures: [String: (count: Int, until: Date?)] = [:]
    /// When recent failures (any name) happened, for the overall limit.
    private var recentFailures: [Date] = []

    /// Opens a session for `user`; returns its token.
    func open(_ user: ConsoleUsers.User, now: Date) -> String {
        let token = ConsoleAccess.randomToken()
        sessions[token] = Session(name: user.name, role: user.role, csrf: ConsoleAccess.randomToken(), lastUsed: now)
        failures[user.name.lowercased()] = nil
        return token
    }

    /// The session behind a token, renewed; nil when there is none or it lapsed.
    func session(_ token: String, now: Date) -> Session? {
        guard var session = sessions[token] else { return nil }
        guard now.timeIntervalSince(session.lastUsed) < Self.idle else {
            sessions[token] = nil
            return nil
        }
        session.lastUsed = now
        sessions[token] = session
        return session
    }

    func close(_ token: String) { sessions[token] = nil }

    /// How long a sign-in as `name` must wait before it is even checked; nil: it may try now.
    func wait(for name: String, now: Date) -> TimeInterval? {
        recentFailures.removeAll { now.timeIntervalSince($0) >= 60 }
        if recentFailures.count >= Self.failuresPerMinute, let oldest = recentFailures.first {
            return 60 - now.timeIntervalSince(oldest)
        }
        guard let until = failures[name.lowercased()]?.until, until > now else { return nil }
        return until.timeIntervalSince(now)
    }

    /// Counts a failed sign-in; past `freeFailures` the name waits, longer each time.
    func failed(_ name: String, now: Date) {
        recentFailures.append(now)
        var entry = failures[name.lowercased()] ?? (0, nil)
        entry.count += 1
        if entry.count >= Self.freeFailures {
            let doublings = Double(min(entry.count - Self.freeFailures, 10))
            entry.until = now.addingTimeInterval(min(Self.firstWait * pow(2, doublings), Self.longestWait))
        }
        failures[name.lowercased()] = entry
    }
}
