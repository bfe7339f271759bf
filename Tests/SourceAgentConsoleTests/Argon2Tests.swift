import Foundation
import Testing

@testable import SourceAgentConsole

/// The wrapper of libargon2, against RFC 9106's vectors and hashes written by argon2-cffi
/// (which wraps the same C reference code): the parameters, salt, secret and associated data
/// reach the library as given, and a PHC string is read and bounded before it is checked.
@Suite("Argon2 password hashes (libargon2)")
struct Argon2Tests {
    private static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test(
        "RFC 9106's vectors for the three kinds (secret and associated data included), and a 100-byte tag",
        arguments: [
            (Argon2.Kind.d, "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"),
            (.i, "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8"),
            (.id, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"),
        ])
    func rfcVectors(kind: Argon2.Kind, tag: String) throws {
        let argon2 = Argon2(kind: kind, version: 0x13, memory: 32, passes: 3, lanes: 4)
        let computed = argon2.hash(
            password: [UInt8](repeating: 1, count: 32), salt: [UInt8](repeating: 2, count: 16),
            secret: [UInt8](repeating: 3, count: 8), associated: [UInt8](repeating: 4, count: 12), length: 32)
        #expect(Self.hex(try #require(computed)) == tag)
        let long = Argon2(kind: .id, version: 0x13, memory: 16, passes: 2, lanes: 1)
            .hash(password: Array("p".utf8), salt: Array("somesalt".utf8), length: 100)
        #expect(
            Self.hex(try #require(long))
                == "126681a9f9fb827ea1e3de798fa8c82c0adc6b0fd0738cbd724b716e2cf5c18d969a69da90149bac01b4a116d9c0cd59"
                + "6b6cfacdaaa6a3641ed03095c054b20b76c29164add497ff60cd2a3bbe7e0f1972031e348eb6d503858cde6d4374fd6e"
                + "06ee607d")
    }

    /// Hashes of `forklift 7` as argon2-cffi writes them: each kind, version 16, other lengths.
    static let written = [
        "$argon2id$v=19$m=64,t=2,p=2$c2FsdHNhbHRzYWx0MTIzNA$lRRxIA6QammEoXFRXpvtemJAVErkgmmT2+rKDBplhLI",
        "$argon2i$v=19$m=64,t=2,p=2$c2FsdHNhbHRzYWx0MTIzNA$YaEC5wQ7ZwqR51MwJp4e3NW+lmbwnmgqTZ8xg7lrWUs",
        "$argon2d$v=19$m=64,t=2,p=2$c2FsdHNhbHRzYWx0MTIzNA$A98709V8rrccvcAaDkv4sAJ1Pj8sqv0bcdDIfkaMoN0",
        "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0MTIzNA$Wc5sARYrLQcG5+x3pwDK2A",
        "$argon2id$v=16$m=96,t=3,p=3$c2FsdHNhbHRzYWx0MTIzNA$aHlu8NEhpCPhvi+2Aguj6WahriefFbgy",
    ]

    @Test("PHC strings from the reference implementation: the password matches, any other does not")
    func phcStrings() throws {
        for text in Self.written {
            let encoded = try Argon2.Encoded.parse(text).get()
            #expect(encoded.matches("forklift 7"), "\(text)")
            #expect(!encoded.matches("forklift 8"), "\(text)")
            #expect(!encoded.matches(""), "\(text)")
        }
    }

    @Test(
        "a hash no one should use is refused with the reason, not a crash or a gigabyte allocated",
        arguments: [
            ("$argon2x$v=19$m=64,t=2,p=2$c2FsdHNhbHQ$AAAAAA", "not an Argon2 hash"),
            ("$argon2id$v=18$m=64,t=2,p=2$c2FsdHNhbHQ$AAAAAA", "its version is neither 19 nor 16"),
            ("$argon2id$v=19$m=64,t=2$c2FsdHNhbHRzYWx0$AAAAAA", "expected the settings m, t and p"),
            ("$argon2id$v=19$m=64,t=2,p=x$c2FsdHNhbHRzYWx0$AAAAAA", "a setting is not name=number"),
            ("$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAA", "its settings are out of range"),
            ("$argon2id$v=19$m=8,t=2,p=2$c2FsdHNhbHRzYWx0$AAAAAA", "its settings are out of range"),
            ("$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHRzYWx0$AAAAAA", "its settings are out of range"),
            ("$argon2id$v=19$m=64,t=2,p=1$c2FsdA$AAAAAA", "its salt or hash is not base64"),
            ("$argon2id$v=19$m=64,t=2,p=1$c2FsdHNhbHRzYWx0$!!", "its salt or hash is not base64"),
            ("$argon2id$v=19$m=64,t=2,p=1$c2FsdHNhbHRzYWx0", "expected $m=…,t=…,p=…$salt$hash"),
            ("$argon2id$v=19$m=1048576,t=1,p=1$c2FsdHNhbHRzYWx0$AAAAAA", "checking it would take more than a second"),
            ("$argon2id$v=19$m=262144,t=3,p=1$c2FsdHNhbHRzYWx0$AAAAAA", "checking it would take more than a second"),
            ("$argon2id$v=19$m=65536,t=100,p=4$c2FsdHNhbHRzYWx0$AAAAAA", "checking it would take more than a second"),
        ])
    func refused(text: String, reason: String) {
        guard case .failure(let error) = Argon2.Encoded.parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.description.hasPrefix(reason))
    }
}
