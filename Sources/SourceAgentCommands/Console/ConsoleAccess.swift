import Foundation
import FulfillmentCore

/// Who may use the web console, and proof that a form came from the console itself.
struct ConsoleAccess: Sendable {
    /// Name → password, from `--console-password-file`; nil: no login (loopback only).
    let passwords: [String: String]?
    /// Put in every form and required on every POST: another site can make a browser post
    /// to the console, but cannot read a console page to learn this value.
    let csrfToken: String

    init(passwords: [String: String]?, csrfToken: String = ConsoleAccess.randomToken()) {
        self.passwords = passwords
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

    /// The person behind a request: the basic-auth name when logins are on (nil when the
    /// credentials are missing or wrong), else whoever the form says.
    func person(authorization: String?) -> Person {
        guard let passwords else { return .anyone }
        guard let authorization, authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return .refused }
        let name = String(text[..<colon])
        let password = String(text[text.index(after: colon)...])
        guard let expected = passwords[name], Self.equalInConstantTime(expected, password) else { return .refused }
        return .named(name)
    }

    /// Who is asking: anyone (no login configured), a named person, or someone refused.
    enum Person: Equatable {
        /// No login configured: the console is on loopback and forms name their person.
        case anyone
        case named(String)
        case refused
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
