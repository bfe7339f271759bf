import CArgon2
import Foundation

/// Argon2 (RFC 9106), the memory-hard password hash, computed by libargon2 (the reference
/// implementation): checks the `$argon2id$v=19$m=…,t=…,p=…$salt$hash` strings that `argon2`,
/// PHP's `password_hash`, Python's argon2-cffi and most password managers write.
struct Argon2: Sendable {
    /// The three kinds; the raw value is libargon2's `argon2_type`.
    enum Kind: UInt32, Sendable {
        case d = 0
        case i = 1
        case id = 2
    }

    let kind: Kind
    /// 0x13 (19, the current version) or 0x10 (16, which overwrote blocks on later passes).
    let version: UInt32
    /// Memory in KiB (1 KiB blocks).
    let memory: UInt32
    let passes: UInt32
    let lanes: UInt32

    /// The largest memory a users file may ask for (1 GiB): more is a typo or an attack on
    /// the machine, since every failed sign-in would allocate it.
    static let maxMemory: UInt32 = 1 << 20
    /// The most work a check may take, in KiB of memory times passes: 512 MiB once (or 128 MiB
    /// four times) takes about a second on one core of a 2-core server (libargon2, measured:
    /// 1 GiB once, 2.1 s; 64 MiB three times, 0.19 s), and a sign-in must not take longer (a
    /// failed one costs the same).
    static let maxWork: UInt64 = 1 << 19

    /// The tag of `password` with `salt` (and the rarely used `secret` and `associated` data),
    /// or nil when libargon2 refuses the parameters.
    func hash(
        password: [UInt8], salt: [UInt8], secret: [UInt8] = [], associated: [UInt8] = [], length: Int
    ) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: length)
        var password = password
        var salt = salt
        var secret = secret
        var associated = associated
        let code = out.withUnsafeMutableBufferPointer { out in
            password.withUnsafeMutableBufferPointer { password in
                salt.withUnsafeMutableBufferPointer { salt in
                    secret.withUnsafeMutableBufferPointer { secret in
                        associated.withUnsafeMutableBufferPointer { associated in
                            var context = argon2_context(
                                out: out.baseAddress, outlen: UInt32(out.count),
                                pwd: password.baseAddress, pwdlen: UInt32(password.count),
                                salt: salt.baseAddress, saltlen: UInt32(salt.count),
                                secret: secret.baseAddress, secretlen: UInt32(secret.count),
                                ad: associated.baseAddress, adlen: UInt32(associated.count),
                                t_cost: passes, m_cost: memory, lanes: lanes, threads: lanes, version: version,
                                allocate_cbk: nil, free_cbk: nil, flags: 0)
                            return argon2_ctx(&context, argon2_type(kind.rawValue))
                        }
                    }
                }
            }
        }
        return code == ARGON2_OK.rawValue ? out : nil
    }

    /// A PHC string, its parameters read (and bounded) before any check is made.
    struct Encoded: Sendable {
        let parameters: Argon2
        let salt: [UInt8]
        let tag: [UInt8]
        /// The string itself, which libargon2 decodes again to check a password.
        let text: String

        /// Reads the string, or says what is wrong with it (never quoting it: it is a secret's hash).
        static func parse(_ text: String) -> Result<Encoded, Argon2Error> {
            var fields = text.split(separator: "$", omittingEmptySubsequences: false).dropFirst().map(String.init)
            guard text.hasPrefix("$"), let kindName = fields.first,
                let kind = ["argon2d": Kind.d, "argon2i": .i, "argon2id": .id][kindName]
            else { return .failure(Argon2Error("not an Argon2 hash")) }
            fields.removeFirst()
            var version: UInt32 = 0x10
            if let first = fields.first, first.hasPrefix("v=") {
                guard let value = UInt32(first.dropFirst(2)), value == 0x10 || value == 0x13 else {
                    return .failure(Argon2Error("its version is neither 19 nor 16"))
                }
                version = value
                fields.removeFirst()
            }
            guard fields.count == 3 else { return .failure(Argon2Error("expected $m=…,t=…,p=…$salt$hash")) }
            var settings: [String: UInt32] = [:]
            for pair in fields[0].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let value = UInt32(parts[1]) else {
                    return .failure(Argon2Error("a setting is not name=number"))
                }
                settings[String(parts[0])] = value
            }
            guard let memory = settings["m"], let passes = settings["t"], let lanes = settings["p"],
                settings.count == 3
            else { return .failure(Argon2Error("expected the settings m, t and p")) }
            guard (1...64).contains(lanes), (1...100).contains(passes), memory >= 8 * lanes, memory <= maxMemory else {
                return .failure(Argon2Error("its settings are out of range (p 1–64, t 1–100, m 8·p KiB to 1 GiB)"))
            }
            guard UInt64(memory) * UInt64(passes) <= maxWork else {
                return .failure(
                    Argon2Error(
                        "checking it would take more than a second (m × t above 512 MiB; a sign-in waits for it)"))
            }
            guard let salt = base64(fields[1]), salt.count >= 8, let tag = base64(fields[2]),
                (4...1024).contains(tag.count)
            else {
                return .failure(Argon2Error("its salt or hash is not base64 of a usable length"))
            }
            let parameters = Argon2(kind: kind, version: version, memory: memory, passes: passes, lanes: lanes)
            return .success(Encoded(parameters: parameters, salt: salt, tag: tag, text: text))
        }

        /// Whether `password` gives this tag: libargon2 computes it and compares in constant time.
        func matches(_ password: String) -> Bool {
            var bytes = Array(password.utf8)
            let code = bytes.withUnsafeMutableBytes { password in
                argon2_verify(text, password.baseAddress, password.count, argon2_type(parameters.kind.rawValue))
            }
            return code == ARGON2_OK.rawValue
        }

        /// Base64 as the PHC form writes it: standard alphabet, padding left off.
        private static func base64(_ text: String) -> [UInt8]? {
            let padded = text + String(repeating: "=", count: (4 - text.count % 4) % 4)
            return Data(base64Encoded: padded).map { [UInt8]($0) }
        }
    }
}

/// Why an Argon2 hash string cannot be used.
struct Argon2Error: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
