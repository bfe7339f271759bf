import AgentTesting
import FlxpointSandbox
import Foundation

/// `source-agent sandbox` as its own process, so the agent's figures are its own: the
/// sandbox's CPU and memory are not in them (on a 2-core machine it still takes a core).
struct SandboxProcess {
    static let token = "bench-token"
    let process: ChildProcess
    let url: String

    static func start(binary: String, seed count: Int, rateLimit: Double, in directory: URL) async throws
        -> SandboxProcess
    {
        let log = directory.appendingPathComponent("sandbox-\(UUID().uuidString).log").path
        let process = try ChildProcess.launch(
            binary,
            ["sandbox", "--seed", "\(count)", "--rate-limit", "\(rateLimit)", "--port", "0", "--token", token],
            stdout: log, stderr: log + ".err")
        for _ in 0..<600 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
                return SandboxProcess(process: process, url: String(text[range]))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw BenchmarkError("the sandbox did not start; see \(log).err")
    }

    func stats() async throws -> SandboxStats {
        guard let reply = await HTTPProbe.get(url + "/_sandbox/stats"), reply.status == 200 else {
            throw BenchmarkError("cannot read the sandbox's stats")
        }
        return try JSONDecoder().decode(SandboxStats.self, from: Data(reply.body.utf8))
    }

    func stop() { process.terminate() }
}
