import Foundation
import Testing

@testable import SourceAgentCommands

/// Argon2 and the BLAKE2b inside it, against published vectors and hashes written by the
/// reference implementation (argon2-cffi, which wraps the C reference code).
@Suite("Argon2 password hashes")
struct Argon2Tests {
    private static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test("BLAKE2b: RFC 7693's 'abc', the empty message, a full last block, a short digest over several blocks")
    func blake2b() {
        #expect(
            Self.hex(Blake2b.hash(Array("abc".utf8), length: 64))
                == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")
        #expect(
            Self.hex(Blake2b.hash([], length: 64))
                == "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce")
        #expect(
            Self.hex(Blake2b.hash([UInt8](repeating: 0, count: 128), length: 64))
                == "865939e120e6805438478841afb739ae4250cf372653078a065cdcfffca4caf7"
                + "98e6d462b65d658fc165782640eded70963449ae1500fb0f24981d7727e22c41")
        let bytes = (0..<768).map { UInt8($0 % 256) }
        #expect(Self.hex(Blake2b.hash(bytes, length: 20)) == "1e87621a16cfec1ca4d983f1762381eb4ea1e2f8")
    }

    @Test(
        "RFC 9106's vectors for the three kinds (secret and associated data included), and a 100-byte tag",
        arguments: [
            (Argon2.Kind.d, "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"),
            (.i, "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8"),
            (.id, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"),
        ])
    func rfcVectors(kind: Argon2.Kind, tag: String) {
        let argon2 = Argon2(kind: kind, version: 0x13, memory: 32, passes: 3, lanes: 4)
        let computed = argon2.hash(
            password: [UInt8](repeating: 1, count: 32), salt: [UInt8](repeating: 2, count: 16),
            secret: [UInt8](repeating: 3, count: 8), associated: [UInt8](repeating: 4, count: 12), length: 32)
        #expect(Self.hex(computed) == tag)
        let long = Argon2(kind: .id, version: 0x13, memory: 16, passes: 2, lanes: 1)
            .hash(password: Array("p".utf8), salt: Array("somesalt".utf8), length: 100)
        #expect(
            Self.hex(long)
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
        ])
    func refused(text: String, reason: String) {
        guard case .failure(let error) = Argon2.Encoded.parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.description.hasPrefix(reason))
    }
}
