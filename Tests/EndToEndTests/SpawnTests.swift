import Foundation
import Testing

@testable import AgentTesting

/// The harness's own child processes (PostgreSQL's tools, the shared Chromium) must not keep
/// open what they were not given: Foundation's `Process` sees an agent exit only when the
/// socket it handed that agent closes, and a long-lived program holding a copy left a test
/// waiting for ever.
@Suite("The harness's child processes")
struct SpawnTests {
    @Test("a program the harness starts inherits only the descriptors it is given")
    func onlyItsOwnDescriptors() throws {
        // An inheritable socket of this process, as Foundation's exit-watching one is.
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { for descriptor in pair { close(descriptor) } }
        let listed = try PostgresCluster.capture("/bin/ls", ["/proc/self/fd"])
        let descriptors = listed.split(separator: "\n").compactMap { Int($0) }
        #expect(!descriptors.isEmpty)
        // 0, 1, 2 as given, and the folder ls itself opened to list.
        #expect(descriptors.allSatisfy { $0 <= 3 }, "\(descriptors)")
        #expect(!descriptors.contains(Int(pair[0])) && !descriptors.contains(Int(pair[1])))
    }
}
