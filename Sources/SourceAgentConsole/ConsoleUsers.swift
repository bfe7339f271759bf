import CCrypt
import Foundation
import FulfillmentCore

/// What a person may do in the console. Each role includes the ones before it.
public enum ConsoleRole: String, Comparable, CaseIterable, Sendable {
    /// Reads every page.
    case viewer
    /// Decides holds, retries answers, uploads stock and tracking, pauses and resumes.
    case `operator`
    /// Changes the rules.
    case admin

    public static func < (a: ConsoleRole, b: ConsoleRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// `console_users_file`: one person per line, `name:role:hash`, the hash in bcrypt form
/// (`$2y$`/`$2b$`, what `htpasswd -nB` writes after the name), Argon2's (`$argon2id$…`, what
/// the `argon2` tool and most libraries write) or yescrypt (`$y$`, what `mkpasswd` writes).
/// bcrypt and yescrypt are checked by libxcrypt's `crypt_r`, Argon2 by `Argon2`; passwords are
/// never kept.
public struct ConsoleUsers: Sendable {
    /// One person of the file.
    struct User: Sendable {
        let name: String
        let role: ConsoleRole
        let hash: String
    }

    let users: [String: User]

    /// The hash forms libxcrypt checks: bcrypt's and yescrypt's.
    static let cryptPrefixes = ["$2y$", "$2b$", "$2a$", "$y$"]

    /// Reads the file's text; a bad line is named by number (its hash is never shown).
    public static func parse(_ text: String, path: String) -> Result<ConsoleUsers, ConsoleSetupError> {
        var users: [String: User] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let at = "\(path):\(index + 1)"
            if line.unicodeScalars.contains(where: { $0.value == 0 }) {
                return .failure(ConsoleSetupError(description: "\(at): the line holds a NUL character"))
            }
            let parts = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, !parts[0].isEmpty else {
                return .failure(
                    ConsoleSetupError(
                        description: "\(at): expected 'name:role:hash', exactly three fields (no hash holds a ':')"))
            }
            if let problem = Self.nameProblem(parts[0]) {
                return .failure(ConsoleSetupError(description: "\(at): \(problem)"))
            }
            guard let role = ConsoleRole(rawValue: parts[1]) else {
                // A hash in the role's place (the role forgotten, a colon forgotten) is not shown either.
                let shown = parts[1].contains("$") ? "(a hash, not shown)" : Quote.short(parts[1])
                return .failure(
                    ConsoleSetupError(description: "\(at): role \(shown) is not one of viewer, operator, admin"))
            }
            if parts[2].hasPrefix("$argon2") {
                if case .failure(let problem) = Argon2.Encoded.parse(parts[2]) {
                    return .failure(
                        ConsoleSetupError(
                            description: "\(at): the Argon2 hash is unusable: \(problem); the line's value is not shown"
                        ))
                }
            } else if let problem = Self.cryptProblem(parts[2]) {
                return .failure(ConsoleSetupError(description: "\(at): \(problem); the line's value is not shown"))
            } else if !cryptPrefixes.contains(where: parts[2].hasPrefix) {
                return .failure(
                    ConsoleSetupError(
                        description:
                            "\(at): the password must be a bcrypt hash ($2y$…, as `htpasswd -nB NAME` prints after "
                            + "the name), an Argon2 one ($argon2id$…) or a yescrypt one ($y$…); the line's value is not shown"
                    ))
            }
            if users[parts[0]] != nil {
                return .failure(ConsoleSetupError(description: "\(at): '\(parts[0])' is listed twice"))
            }
            users[parts[0]] = User(name: parts[0], role: role, hash: parts[2])
        }
        if users.isEmpty { return .failure(ConsoleSetupError(description: "\(path): no 'name:role:hash' line")) }
        return .success(ConsoleUsers(users: users))
    }

    /// The longest name a person signs in with.
    static let longestName = 64
    /// bcrypt's cost is a power of two: 4 is the least libxcrypt takes; 14 takes about a second
    /// on this class of machine, and every step above doubles it (31 would never finish).
    static let bcryptCosts = 4...14

    /// Why `name` cannot be a user name (it is shown in pages, logs and the audit log), or nil.
    static func nameProblem(_ name: String) -> String? {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-@"))
        guard name.count <= longestName, name.unicodeScalars.allSatisfy(allowed.contains) else {
            // A field holding a `$` may hold a hash (a line missing its name, a colon forgotten): never echoed.
            let shown = name.contains("$") ? "(a hash, not shown)" : Quote.short(name)
            return "a user name is 1 to \(longestName) letters, digits, '.', '_', '-' or '@', got \(shown)"
        }
        return nil
    }

    /// Why a bcrypt or yescrypt hash is unusable (malformed, truncated, a cost outside
    /// `bcryptCosts`), or nil. Checked at start, so a bad line never waits for a sign-in.
    static func cryptProblem(_ hash: String) -> String? {
        let alphabet = CharacterSet(charactersIn: "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        if ["$2y$", "$2b$", "$2a$"].contains(where: hash.hasPrefix) {
            let fields = hash.split(separator: "$", omittingEmptySubsequences: false)
            guard fields.count == 4, fields[2].count == 2, let cost = Int(fields[2]), fields[3].count == 53,
                fields[3].unicodeScalars.allSatisfy(alphabet.contains)
            else { return "the bcrypt hash is malformed or truncated ($2y$NN$ and 53 characters)" }
            guard bcryptCosts.contains(cost) else {
                return "the bcrypt cost is \(cost); from \(bcryptCosts.lowerBound) to \(bcryptCosts.upperBound) is "
                    + "accepted (each step doubles the time a sign-in takes)"
            }
            return nil
        }
        if hash.hasPrefix("$y$") {
            let fields = hash.split(separator: "$", omittingEmptySubsequences: false)
            guard fields.count == 5, fields[2].count <= 16, !fields[3].isEmpty, fields[4].count == 43,
                fields.dropFirst(2).allSatisfy({ $0.unicodeScalars.allSatisfy(alphabet.contains) }),
                Self.yescryptCostFits(String(fields[2]))
            else { return "the yescrypt hash is malformed, truncated or too costly ($y$ as mkpasswd writes it)" }
            return nil
        }
        return nil
    }

    /// yescrypt's parameters, as libxcrypt writes them (`j9T`: flavour, then N = 2^(k+1) and r,
    /// each one character of its 64-letter alphabet): the memory a check takes, 128 · r · N
    /// bytes, must stay within 256 MiB (what `mkpasswd` writes by default is 16 MiB).
    static func yescryptCostFits(_ parameters: String) -> Bool {
        let alphabet = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        let letters = Array(parameters)
        guard letters.count >= 3, let n = alphabet.firstIndex(of: letters[1]),
            let r = alphabet.firstIndex(of: letters[2]), n + 1 < 40
        else { return false }
        let memory = 128.0 * Double(r + 1) * pow(2, Double(n + 1))
        return memory <= 256 * 1024 * 1024
    }

    /// The user, when the password matches their hash. An unknown name costs a hash check of
    /// the same cost (another user's hash, the result thrown away), so timing does not tell
    /// which names exist.
    func check(name: String, password: String) -> User? {
        guard let user = users[name] else {
            if let decoy = users.values.first { _ = Self.matches(password, hash: decoy.hash) }
            return nil
        }
        return Self.matches(password, hash: user.hash) ? user : nil
    }

    /// Whether `password` hashes to `hash` (Argon2 here, the rest by libxcrypt, thread-safe
    /// through its own buffer).
    static func matches(_ password: String, hash: String) -> Bool {
        if hash.hasPrefix("$argon2") {
            guard case .success(let encoded) = Argon2.Encoded.parse(hash) else { return false }
            return encoded.matches(password)
        }
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer { data.deallocate() }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        guard let out = crypt_r(password, hash, data) else { return false }
        let computed = String(cString: out)
        // A failure comes back as "*0" or "*1", never equal to a real hash.
        return computed.hasPrefix("$") && ConsoleAccess.equalInConstantTime(computed, hash)
    }
}
