import Foundation

/// Many sources in one process: one `run --once` over `sources:` entries, each its own
/// sandbox process (its own Flxpoint account), all drawing on one stock pool.
extension Workloads {
    func sources(on store: BenchStore = .sqlite) async throws -> [Figure] {
        let sourceCount = options.quick ? 3 : 50
        let perSource = options.quick ? 20 : 200
        let token = path("bench.token")
        FileManager.default.createFile(
            atPath: token, contents: Data(SandboxProcess.token.utf8), attributes: [.posixPermissions: 0o600])
        var rss: [Double] = []
        var answered = 0
        let rates = try await repeated {
            var sandboxes: [SandboxProcess] = []
            defer { for sandbox in sandboxes { sandbox.stop() } }
            for _ in 0..<sourceCount {
                sandboxes.append(
                    try await SandboxProcess.start(binary: binary, seed: perSource, rateLimit: 0, in: directory))
            }
            let db = try await store.make(self, "sources")
            defer { db.remove() }
            var config = "version: 1\nmax_rps: 0\nsources:\n"
            for (index, sandbox) in sandboxes.enumerated() {
                config += "  - name: retailer-\(index)\n    token_file: \(token)\n    api_url: \(sandbox.url)\n"
            }
            let configPath = path("sources.yaml")
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            try ChildProcess.run(
                binary, ["stock", "import", try deepStock()] + db.flags, environment: db.environment,
                stderr: path("stock.err"))
            let finished = try ChildProcess.run(
                binary, ["run", "--once", "--config", configPath, "--rules", options.rules] + db.flags,
                environment: db.environment, stderr: path("sources.err"))
            answered = 0
            for sandbox in sandboxes {
                let stats = try await sandbox.stats()
                guard stats.duplicates == 0, stats.answers.values.allSatisfy({ $0 == 1 }) else {
                    throw BenchmarkError("an FR was answered twice: \(stats.duplicates) duplicates")
                }
                answered += stats.answers.count
            }
            rss.append(finished.peakRSSMB)
            return Double(sourceCount * perSource) / finished.seconds
        }
        let detail = "\(sourceCount) sources × \(perSource) FRs, one pool, rate limits off, one run --once"
        return [
            Figure(
                name: "many sources\(store.label): fetched, decided, logged, answered", unit: "FRs/s", runs: rates,
                goal: nil,
                detail: detail + ", \(answered) answers"),
            Figure(name: "many sources\(store.label): peak RSS", unit: "MB", runs: rss, goal: nil, detail: detail),
        ]
    }
}
