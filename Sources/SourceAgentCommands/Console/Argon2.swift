import Foundation

/// Argon2 (RFC 9106): the memory-hard password hash, in its three kinds, to check the
/// `$argon2id$v=19$m=…,t=…,p=…$salt$hash` strings that `argon2`, PHP's `password_hash`,
/// Python's argon2-cffi and most password managers write. Lanes are filled one after another
/// (the result does not depend on it; a sign-in is rare and throttled).
struct Argon2: Sendable {
    /// The three kinds; the raw value is the `y` that goes into the hash.
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

    /// The tag of `password` with `salt` (and the rarely used `secret` and `associated` data).
    func hash(
        password: [UInt8], salt: [UInt8], secret: [UInt8] = [], associated: [UInt8] = [], length: Int
    ) -> [UInt8] {
        var h0 = Blake2b(length: 64)
        for word in [lanes, UInt32(length), memory, passes, version, kind.rawValue] {
            h0.update(word.littleEndianBytes)
        }
        for field in [password, salt, secret, associated] {
            h0.update(UInt32(field.count).littleEndianBytes)
            h0.update(field)
        }
        let seed = h0.finish()

        let laneLength = Int(memory / (4 * lanes)) * 4
        let segmentLength = laneLength / 4
        let blocks = laneLength * Int(lanes)
        var memoryWords = [UInt64](repeating: 0, count: blocks * 128)
        memoryWords.withUnsafeMutableBufferPointer { words in
            let base = words.baseAddress!
            for lane in 0..<Int(lanes) {
                for column in 0..<2 {
                    let bytes = Self.variableHash(
                        seed + UInt32(column).littleEndianBytes + UInt32(lane).littleEndianBytes, length: 1024)
                    Self.load(bytes, into: base + (lane * laneLength + column) * 128)
                }
            }
            let filler = Filler(
                kind: kind, version: version, passes: passes, lanes: Int(lanes), laneLength: laneLength,
                segmentLength: segmentLength, blocks: blocks, memory: base)
            defer { filler.release() }
            for pass in 0..<Int(passes) {
                for slice in 0..<4 {
                    for lane in 0..<Int(lanes) { filler.fillSegment(pass: pass, slice: slice, lane: lane) }
                }
            }
        }
        var last = [UInt64](memoryWords[((laneLength - 1) * 128)..<(laneLength * 128)])
        for lane in 1..<Int(lanes) {
            let start = (lane * laneLength + laneLength - 1) * 128
            for word in 0..<128 { last[word] ^= memoryWords[start + word] }
        }
        return Self.variableHash(last.flatMap { $0.littleEndianBytes }, length: length)
    }

    /// H′: BLAKE2b stretched to any length, as Argon2 defines it.
    static func variableHash(_ input: [UInt8], length: Int) -> [UInt8] {
        let prefixed = UInt32(length).littleEndianBytes + input
        if length <= 64 { return Blake2b.hash(prefixed, length: length) }
        let rounds = (length + 31) / 32 - 2
        var out: [UInt8] = []
        out.reserveCapacity(length)
        var v = Blake2b.hash(prefixed, length: 64)
        out += v.prefix(32)
        for _ in 1..<rounds {
            v = Blake2b.hash(v, length: 64)
            out += v.prefix(32)
        }
        out += Blake2b.hash(v, length: length - 32 * rounds)
        return out
    }

    private static func load(_ bytes: [UInt8], into block: UnsafeMutablePointer<UInt64>) {
        for word in 0..<128 {
            var value: UInt64 = 0
            for byte in 0..<8 { value |= UInt64(bytes[word * 8 + byte]) << UInt64(8 * byte) }
            block[word] = value
        }
    }
}

/// The memory-filling loop of Argon2 over one allocation of blocks.
private struct Filler {
    let kind: Argon2.Kind
    let version: UInt32
    let passes: UInt32
    let lanes: Int
    let laneLength: Int
    let segmentLength: Int
    let blocks: Int
    let memory: UnsafeMutablePointer<UInt64>
    /// Scratch for the compression function and the data-independent addresses.
    private let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: 128 * 5)

    init(
        kind: Argon2.Kind, version: UInt32, passes: UInt32, lanes: Int, laneLength: Int, segmentLength: Int,
        blocks: Int, memory: UnsafeMutablePointer<UInt64>
    ) {
        self.kind = kind
        self.version = version
        self.passes = passes
        self.lanes = lanes
        self.laneLength = laneLength
        self.segmentLength = segmentLength
        self.blocks = blocks
        self.memory = memory
    }

    func release() { scratch.deallocate() }

    private var r: UnsafeMutablePointer<UInt64> { scratch }
    private var z: UnsafeMutablePointer<UInt64> { scratch + 128 }
    private var zero: UnsafeMutablePointer<UInt64> { scratch + 256 }
    private var input: UnsafeMutablePointer<UInt64> { scratch + 384 }
    private var addresses: UnsafeMutablePointer<UInt64> { scratch + 512 }

    /// One lane's quarter of one pass.
    func fillSegment(pass: Int, slice: Int, lane: Int) {
        let independent = kind == .i || (kind == .id && pass == 0 && slice < 2)
        if independent {
            zero.initialize(repeating: 0, count: 128)
            input.initialize(repeating: 0, count: 128)
            input[0] = UInt64(pass)
            input[1] = UInt64(lane)
            input[2] = UInt64(slice)
            input[3] = UInt64(blocks)
            input[4] = UInt64(passes)
            input[5] = UInt64(kind.rawValue)
        }
        var start = 0
        if pass == 0 && slice == 0 {
            start = 2
            if independent { nextAddresses() }
        }
        var current = lane * laneLength + slice * segmentLength + start
        var previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1
        for index in start..<segmentLength {
            if current % laneLength == 1 { previous = current - 1 }
            let random: UInt64
            if independent {
                if index % 128 == 0 { nextAddresses() }
                random = addresses[index % 128]
            } else {
                random = memory[previous * 128]
            }
            let refLane = pass == 0 && slice == 0 ? lane : Int((random >> 32) % UInt64(lanes))
            let refIndex = referenceIndex(
                pass: pass, slice: slice, index: index, random: random & 0xFFFF_FFFF, sameLane: refLane == lane)
            let xor = pass > 0 && version == 0x13
            compress(
                memory + previous * 128, memory + (refLane * laneLength + refIndex) * 128, into: memory + current * 128,
                xor: xor)
            current += 1
            previous += 1
        }
    }

    /// The block this one refers to, within its lane, from the 32 random bits.
    private func referenceIndex(pass: Int, slice: Int, index: Int, random: UInt64, sameLane: Bool) -> Int {
        let area: Int
        if pass == 0 {
            if slice == 0 {
                area = index - 1
            } else if sameLane {
                area = slice * segmentLength + index - 1
            } else {
                area = slice * segmentLength - (index == 0 ? 1 : 0)
            }
        } else if sameLane {
            area = laneLength - segmentLength + index - 1
        } else {
            area = laneLength - segmentLength - (index == 0 ? 1 : 0)
        }
        var relative = (random * random) >> 32
        relative = UInt64(area) - 1 - ((UInt64(area) * relative) >> 32)
        let startPosition = pass == 0 || slice == 3 ? 0 : (slice + 1) * segmentLength
        return (startPosition + Int(relative)) % laneLength
    }

    /// The next 128 pseudo-random addresses: G(0, G(0, input)) with the counter stepped.
    private func nextAddresses() {
        input[6] &+= 1
        compress(zero, input, into: addresses, xor: false)
        compress(zero, addresses, into: addresses, xor: false)
    }

    /// G: `out` = P(x ⊕ y) ⊕ x ⊕ y, or ⊕ the old `out` as well when `xor` (later passes).
    /// `out` may be `y` (the address step reuses its block).
    private func compress(
        _ x: UnsafeMutablePointer<UInt64>, _ y: UnsafeMutablePointer<UInt64>, into out: UnsafeMutablePointer<UInt64>,
        xor: Bool
    ) {
        for word in 0..<128 { r[word] = x[word] ^ y[word] }
        z.update(from: r, count: 128)
        for row in 0..<8 {
            let b = row * 16
            permute(
                z, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13,
                b + 14, b + 15)
        }
        for column in 0..<8 {
            let b = column * 2
            permute(
                z, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49, b + 64, b + 65, b + 80, b + 81, b + 96,
                b + 97,
                b + 112, b + 113)
        }
        if xor {
            for word in 0..<128 { out[word] ^= z[word] ^ r[word] }
        } else {
            for word in 0..<128 { out[word] = z[word] ^ r[word] }
        }
    }

    /// BLAKE2b's round without message, with Argon2's multiplying mix (BlaMka).
    @inline(__always)
    private func permute(
        _ v: UnsafeMutablePointer<UInt64>, _ i0: Int, _ i1: Int, _ i2: Int, _ i3: Int, _ i4: Int, _ i5: Int, _ i6: Int,
        _ i7: Int, _ i8: Int, _ i9: Int, _ i10: Int, _ i11: Int, _ i12: Int, _ i13: Int, _ i14: Int, _ i15: Int
    ) {
        mix(v, i0, i4, i8, i12)
        mix(v, i1, i5, i9, i13)
        mix(v, i2, i6, i10, i14)
        mix(v, i3, i7, i11, i15)
        mix(v, i0, i5, i10, i15)
        mix(v, i1, i6, i11, i12)
        mix(v, i2, i7, i8, i13)
        mix(v, i3, i4, i9, i14)
    }

    @inline(__always)
    private func mix(_ v: UnsafeMutablePointer<UInt64>, _ a: Int, _ b: Int, _ c: Int, _ d: Int) {
        @inline(__always) func multiplied(_ x: UInt64, _ y: UInt64) -> UInt64 {
            x &+ y &+ 2 &* (x & 0xFFFF_FFFF) &* (y & 0xFFFF_FFFF)
        }
        v[a] = multiplied(v[a], v[b])
        v[d] = (v[d] ^ v[a]).rotatedRight(32)
        v[c] = multiplied(v[c], v[d])
        v[b] = (v[b] ^ v[c]).rotatedRight(24)
        v[a] = multiplied(v[a], v[b])
        v[d] = (v[d] ^ v[a]).rotatedRight(16)
        v[c] = multiplied(v[c], v[d])
        v[b] = (v[b] ^ v[c]).rotatedRight(63)
    }
}

extension FixedWidthInteger {
    /// The value's bytes, least significant first.
    var littleEndianBytes: [UInt8] {
        (0..<(Self.bitWidth / 8)).map { UInt8(truncatingIfNeeded: self >> ($0 * 8)) }
    }
}

extension Argon2 {
    /// A hash in the PHC string form, `$argon2id$v=19$m=65536,t=3,p=4$<salt>$<tag>` (salt and
    /// tag in base64 without padding; no `v=` means version 16).
    struct Encoded: Sendable {
        let parameters: Argon2
        let salt: [UInt8]
        let tag: [UInt8]

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
            guard let salt = base64(fields[1]), salt.count >= 8, let tag = base64(fields[2]),
                (4...1024).contains(tag.count)
            else {
                return .failure(Argon2Error("its salt or hash is not base64 of a usable length"))
            }
            let parameters = Argon2(kind: kind, version: version, memory: memory, passes: passes, lanes: lanes)
            return .success(Encoded(parameters: parameters, salt: salt, tag: tag))
        }

        /// Whether `password` gives this tag, compared in constant time.
        func matches(_ password: String) -> Bool {
            let computed = parameters.hash(password: Array(password.utf8), salt: salt, length: tag.count)
            return zip(computed, tag).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
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
