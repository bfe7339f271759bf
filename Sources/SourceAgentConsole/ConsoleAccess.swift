import Foundation
import FulfillmentCore

/// Who may use the web console, and proof that a form came from the console itself.
public struct ConsoleAccess: Sendable {
    /// How people sign in.
    public enum Login: Sendable {
        /// No login: the console is on loopback and forms name their person; everyone may do everything.
        case none
        /// `--console-password-file`: `name:password`, sent by the browser's basic-auth prompt;
        /// every named person may do everything (the console's first form of login).
        case passwords([String: String])
        /// `console_users_file`: named people with roles, signing in on a form to a session cookie.
        case users(ConsoleUsers)
    }

    let login: Login
    /// The CSRF token of forms no one is signed in to send: the sign-in form, and every form
    /// of a console without logins (on loopback, where everyone acts under their own name).
    /// A signed-in person's forms carry their session's token, a basic-auth name's its own.
    let sharedToken: String
    /// Signed-in people and failed sign-ins (with `login` = `.users`).
    let sessions = ConsoleSessions()
    /// The token of each basic-auth name (with `login` = `.passwords`).
    let nameTokens = NameTokens()

    /// Whether people sign in on the console's form (and can sign out).
    var usesSessions: Bool {
        if case .users = login { return true }
        return false
    }

    public init(login: Login, sharedToken: String = ConsoleAccess.randomToken()) {
        self.login = login
        self.sharedToken = sharedToken
    }

    /// `name:password` per line; blank lines and `#` comments are skipped. Returns the
    /// entries, or a message naming the bad line.
    public static func parsePasswords(_ text: String, path: String) -> Result<[String: String], ConsoleSetupError> {
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

    /// Who is behind a request, and the CSRF token their forms carry: with passwords, the
    /// basic-auth name (refused when the credentials are missing or wrong); with users, the
    /// session's person; else anyone.
    func identify(authorization: String?, session token: String?, now: Date) async -> Identified {
        switch login {
        case .none: return Identified(person: .anyone, csrf: sharedToken)
        case .passwords(let passwords):
            guard let authorization, authorization.lowercased().hasPrefix("basic "),
                let decoded = Data(
                    base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else { return Identified(person: .refused, csrf: sharedToken) }
            let name = String(text[..<colon])
            let password = String(text[text.index(after: colon)...])
            // The sign-in form's throttle, for basic auth too: after five failures a name waits
            // (30 s, doubling to 15 min; 30 failures a minute overall), right password or not.
            if await sessions.wait(for: name, now: now) != nil {
                return Identified(person: .refused, csrf: sharedToken)
            }
            guard let expected = passwords[name], Self.equalInConstantTime(expected, password) else {
                await sessions.failed(name, now: now)
                return Identified(person: .refused, csrf: sharedToken)
            }
            return Identified(person: .named(name, .admin), csrf: await nameTokens.token(for: name))
        case .users:
            guard let token, let session = await sessions.session(token, now: now) else {
                return Identified(person: .refused, csrf: sharedToken)
            }
            return Identified(person: .named(session.name, session.role), csrf: session.csrf)
        }
    }

    /// A request's person and the CSRF token that person's forms must carry.
    struct Identified: Sendable {
        let person: Person
        let csrf: String
    }

    /// Who is asking: anyone (no login configured), a named person with a role, or someone refused.
    public enum Person: Equatable, Sendable {
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

    /// 32 random bytes in hex: a session or CSRF token.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Loopback addresses, where the console may run without logins.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// The console cannot start as configured, and why.
public struct ConsoleSetupError: Error, CustomStringConvertible {
    public var description: String
}

/// A random CSRF token for each basic-auth name, made when the name is first let in: one
/// person's token is no use in another's browser.
actor NameTokens {
    private var tokens: [String: String] = [:]

    func token(for name: String) -> String {
        if let token = tokens[name] { return token }
        let token = ConsoleAccess.randomToken()
        tokens[name] = token
        return token
    }
}
