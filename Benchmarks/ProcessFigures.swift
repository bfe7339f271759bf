import Foundation
import FulfillmentCore

/// Whole-process figures: the release `source-agent` timed from outside.
extension Workloads {
    func dryRun() throws -> [Figure] {
        let count = size(20_000)
        let (frs, stock) = try frFile(count)
        var rss: [Double] = []
        let seconds = try repeated {
            let finished = try ChildProcess.run(
                binary,
                [
                    "dry-run", "--input", frs, "--stock", stock, "--rules", options.rules, "--now",
                    Timestamp.utcString(now), "--format", "ndjson",
                ], stderr: path("dry-run.err"), allowedStatus: [0, 3])
            rss.append(finished.peakRSSMB)
            return finished.seconds
        }
        return [
            Figure(
                name: "dry-run, whole process", unit: "s", runs: seconds, goal: count == 20_000 ? "≤ 0.150" : nil,
                detail: "\(count) FRs, --format ndjson to /dev/null"),
            Figure(name: "dry-run, peak RSS", unit: "MB", runs: rss, goal: nil, detail: "\(count) FRs"),
        ]
    }

    /// One `run --once` over a fresh database against a sandbox process holding `count` FRs.
    func drainOnce(_ count: Int, on store: BenchStore = .sqlite) async throws -> (
        seconds: Double, peakRSSMB: Double, calls: Int, answered: Int
    ) {
        let sandbox = try await SandboxProcess.start(binary: binary, seed: count, rateLimit: 0, in: directory)
        defer { sandbox.stop() }
        let db = try await store.make(self, "drain")
        defer { db.remove() }
        try ChildProcess.run(
            binary, ["stock", "import", try deepStock()] + db.flags, environment: db.environment,
            stderr: path("stock.err"))
        let finished = try ChildProcess.run(
            binary, ["run", "--once", "--rules", options.rules, "--max-rps", "0"] + db.flags,
            environment: db.environment.merging(
                ["FLXPOINT_API_URL": sandbox.url, "FLXPOINT_SOURCE_TOKEN": SandboxProcess.token]) { $1 },
            stderr: path("run.err"))
        let stats = try await sandbox.stats()
        guard stats.duplicates == 0, stats.answers.values.allSatisfy({ $0 == 1 }) else {
            throw BenchmarkError("an FR was answered twice: \(stats.duplicates) duplicates")
        }
        return (finished.seconds, finished.peakRSSMB, stats.requests, stats.answers.count)
    }

    func drain(on store: BenchStore = .sqlite) async throws -> [Figure] {
        let count = size(5000)
        var calls: [Double] = []
        var rss: [Double] = []
        var answered = 0
        let rates = try await repeated {
            let run = try await drainOnce(count, on: store)
            calls.append(Double(run.calls) / Double(count))
            rss.append(run.peakRSSMB)
            answered = run.answered
            return Double(count) / run.seconds
        }
        return [
            Figure(
                name: "backlog drain\(store.label): fetched, decided, logged, answered", unit: "FRs/s", runs: rates,
                goal: "≥ 2,000", detail: "\(count) FRs, \(answered) answers, rate limit off, one run --once"),
            Figure(
                name: "backlog drain\(store.label): API calls per FR", unit: "calls", runs: calls, goal: "≤ 1.02",
                detail: "sandbox request count ÷ FRs"),
            Figure(
                name: "backlog drain\(store.label): peak RSS", unit: "MB", runs: rss, goal: nil,
                detail: "\(count) FRs"),
        ]
    }

    func memory() async throws -> [Figure] {
        let small = size(2000)
        let large = size(20_000)
        let smallRSS = try await repeated { try await drainOnce(small).peakRSSMB }
        let largeRSS = try await repeated { try await drainOnce(large).peakRSSMB }
        return [
            Figure(
                name: "run --once peak RSS, \(small) FRs", unit: "MB", runs: smallRSS, goal: "≤ 100",
                detail: "fresh database, rate limit off"),
            Figure(
                name: "run --once peak RSS, \(large) FRs", unit: "MB", runs: largeRSS,
                goal: "≤ 100, within 20% of \(small)", detail: "fresh database, rate limit off"),
        ]
    }

    /// Flxpoint's limit: the sandbox answers 429 past 2 requests/s; the agent runs on defaults.
    func rateLimit() async throws -> [Figure] {
        let count = options.quick ? 10 : 60
        var requests: [Double] = []
        var refused: [Double] = []
        var spacing: [Double] = []
        let seconds = try await repeated {
            let sandbox = try await SandboxProcess.start(binary: binary, seed: count, rateLimit: 2, in: directory)
            defer { sandbox.stop() }
            let db = path("rate-\(UUID().uuidString).sqlite")
            try ChildProcess.run(binary, ["stock", "import", try deepStock(), "--db", db], stderr: path("stock.err"))
            let finished = try ChildProcess.run(
                binary, ["run", "--once", "--db", db, "--rules", options.rules],
                environment: ["FLXPOINT_API_URL": sandbox.url, "FLXPOINT_SOURCE_TOKEN": SandboxProcess.token],
                stderr: path("rate.err"))
            let stats = try await sandbox.stats()
            requests.append(Double(stats.requests))
            refused.append(Double(stats.rateLimited))
            spacing.append(finished.seconds / (Double(stats.requests) / 2))
            return finished.seconds
        }
        return [
            Figure(
                name: "\(count) FRs at 2 requests/s: run --once", unit: "s", runs: seconds, goal: nil,
                detail: "defaults, sandbox enforcing 2 requests/s"),
            Figure(name: "  requests sent", unit: "requests", runs: requests, goal: nil, detail: ""),
            Figure(name: "  answered 429", unit: "requests", runs: refused, goal: "0", detail: ""),
            Figure(
                name: "  time ÷ (requests ÷ 2 s)", unit: "ratio", runs: spacing, goal: "≤ 1.05",
                detail: "1.00 = every request at the limit"),
        ]
    }
}
