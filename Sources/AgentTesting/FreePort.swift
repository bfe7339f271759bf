import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback port nothing listens on, for a test that must name the agent's port before it
/// starts (`--metrics-port`, `--console-port`).
///
/// Drawn from below the kernel's ephemeral range (Linux: `ip_local_port_range`, 32768–60999 by
/// default), never from it: between this check and the agent's bind, the hundreds of client
/// connections a parallel run opens take ephemeral ports, and one did take a port handed out
/// here ("the console cannot listen on 127.0.0.1:44773: another program uses that port").
/// Below that range only an explicit bind can take a port, and this process hands each out once.
public enum FreePort {
    /// The ports tried: from 20000 up to the ephemeral range's start.
    static let range: Range<Int> = 20_000..<max(20_001, min(32_768, ephemeralStart))

    /// The start of the kernel's ephemeral range, where it says so.
    static var ephemeralStart: Int {
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
            let first = text.split(whereSeparator: \.isWhitespace).first, let start = Int(first)
        else { return 32_768 }
        return start
    }

    /// The next port to try; each is handed out once per process, from a random start so two
    /// test processes at once begin apart.
    private static let next = Mutex<Int>(Int.random(in: 0..<10_000))

    /// A port in `range` that nothing listens on or holds now, and that this process has not
    /// handed out before.
    public static func loopback() -> Int {
        for _ in 0..<range.count {
            let port = next.withLock { count in
                defer { count += 1 }
                return range.lowerBound + count % range.count
            }
            if isFree(port) { return port }
        }
        preconditionFailure("no free loopback port in \(range)")
    }

    /// Whether 127.0.0.1:`port` can be bound now.
    static func isFree(_ port: Int) -> Bool {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        precondition(descriptor >= 0, "socket() failed: errno \(errno)")
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
