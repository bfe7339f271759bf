import Foundation
import Testing

@testable import AgentTesting

/// The ports tests hand to agents: never one a client connection can take in the meantime.
@Suite("Free loopback ports")
struct FreePortTests {
    @Test("each port is handed out once, below the kernel's ephemeral range, and is free")
    func belowEphemeral() {
        let ports = (0..<50).map { _ in FreePort.loopback() }
        #expect(Set(ports).count == ports.count)
        #expect(ports.allSatisfy { $0 >= 20_000 && $0 < FreePort.ephemeralStart })
        #expect(ports.allSatisfy(FreePort.isFree))
    }
}
