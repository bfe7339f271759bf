import Foundation
import FulfillmentCore

/// Who may use the web console, and proof that a form came from the console itself.
struct ConsoleAccess: Sendable {
    /// How people sign in.
    enum Login: Sendable {
        /// No login: the console is on loopback and forms name their person; everyone may do everything.
        case none
        /// `--console-password-file`: `name:password`, sent by the browser's basic-auth prompt;
        /// every named person may do everything (the console's first form of login).
        case passwords([String: String])
        /// `console_users_file`: named people with roles, signing in on a form to a session cookie.
        case users(ConsoleUsers)
    }

    let login: Login
    /// Put in every form and required on every POST: another site can make a browser post
    /// to the console, but cannot read a console page to learn this value.
    let csrfToken: String
    /// Signed-in people and failed sign-ins (with `login` = `.users`).
    let sessions = ConsoleSessions()

    /// Whether people sign in on the console's form (and can sign out).
    var usesSessions: Bool {
        if case .users = login { return true }
        return false
    }

    init(login: Login, csrfToken: String = ConsoleAccess.randomToken()) {
        self.login = login
        self.csrfToken = csrfToken
    }

    /// `name:password` per line; blank lines and `#` comments are skipped. Returns the
    /// entries, or a message naming the bad line.
    static func parsePasswords(_ text: String, path: String) -> Result<[String: String], ConsoleSetupError> {
        var out: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                line.index(after: colon) != line.endIndex
            else {
                return .failure(
                    ConsoleSetupError(
                        description: "\(path):\(index + 1): expected 'name:password' (the password is not shown)"))
            }
            out[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        if out.isEmpty { return .failure(ConsoleSetupError(description: "\(path): no 'name:password' line")) }
        return .success(out)
    }

    /// The person behind a request: with passwords, the basic-auth name (refused when the
    /// credentials are missing or wrong); with users, the session cookie's person; else anyone.
    func person(authorization: String?, cookies: [String]) async -> Person {
        switch login {
        case .none: return .anyone
        case .passwords(let passwords):
            guard let authorization, authorization.lowercased().hasPrefix("basic "),
                let decoded = Data(
                    base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else { return .refused }
            let name = String(text[..<colon])
            let password = String(text[text.index(after: colon)...])
            // The sign-in form's throttle, for basic auth too: after five failures a name waits
            // (30 s, doubling to 15 min; 30 failures a minute overall), right password or not.
            let now = AgentClock.now()
            if await sessions.wait(for: name, now: now) != nil { return .refused }
            guard let expected = passwords[name], Self.equalInConstantTime(expected, password) else {
                await sessions.failed(name, now: now)
                return .refused
            }
            return .named(name, .admin)
        case .users:
            guard let token = Self.cookie(ConsoleSessions.cookieName, in: cookies),
                let session = await sessions.session(token, now: AgentClock.now())
            else { return .refused }
            return .named(session.name, session.role)
        }
    }

    /// A cookie's value from the request's `Cookie` fields.
    static func cookie(_ name: String, in fields: [String]) -> String? {
        for field in fields {
            for pair in field.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name { return String(parts[1]) }
            }
        }
        return nil
    }

    /// Who is asking: anyone (no login configured), a named person with a role, or someone refused.
    enum Person: Equatable {
        /// No login configured: the console is on loopback and forms name their person.
        case anyone
        case named(String, ConsoleRole)
        case refused

        /// What the person may do: without logins, everything.
        var role: ConsoleRole? {
            switch self {
            case .anyone: return .admin
            case .named(_, let role): return role
            case .refused: return nil
            }
        }

        func may(_ needed: ConsoleRole) -> Bool { role.map { $0 >= needed } ?? false }
    }

    func csrfMatches(_ given: String?) -> Bool {
        guard let given else { return false }
        return Self.equalInConstantTime(csrfToken, given)
    }

    /// Compares without stopping at the first difference, so timing does not reveal a prefix.
    static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return difference == 0
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Loopback addresses, where the console may run without logins.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// The console cannot start as configured, and why.
struct ConsoleSetupError: Error, CustomStringConvertible {
    var description: String
}
