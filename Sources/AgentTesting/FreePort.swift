import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback port nothing listens on, for a test that must name the agent's port before it
/// starts (`--metrics-port`, `--console-port`). The kernel picks it, as for any bind to port 0,
/// so it is never one already in use; a port drawn at random could be, under a parallel run
/// where sandboxes and client connections hold hundreds of ephemeral ports.
public enum FreePort {
    /// Binds port 0 on 127.0.0.1, reads the port given, and closes the socket. The kernel
    /// hands ports out in turn, so the same one does not come back to the next caller soon.
    public static func loopback() -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        precondition(descriptor >= 0, "socket() failed: errno \(errno)")
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        precondition(bound, "bind() to 127.0.0.1:0 failed: errno \(errno)")
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
