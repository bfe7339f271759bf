import AgentStore
import FlxpointSandbox
import Foundation
import FulfillmentCore

/// The workloads and where their files live; each group measures a few figures.
final class Workloads: Sendable {
    struct Group: Sendable {
        var name: String
        var measure: @Sendable (Workloads) async throws -> [Figure]
    }

    static let groups: [Group] = [
        Group(name: "core", measure: { try $0.core() }),
        Group(name: "dry-run", measure: { try $0.dryRun() }),
        Group(name: "drain", measure: { try await $0.drain() }),
        Group(name: "memory", measure: { try await $0.memory() }),
        Group(name: "rate-limit", measure: { try await $0.rateLimit() }),
        Group(name: "history", measure: { try await $0.history() }),
        Group(name: "console", measure: { try await $0.console() }),
        Group(name: "cycle", measure: { try await $0.cycle() }),
        Group(name: "sources", measure: { try await $0.sources() }),
        // The same two on a throwaway PostgreSQL cluster, beside the SQLite figures.
        Group(name: "drain-postgres", measure: { try await $0.onPostgres { try await $0.drain(on: $1) } }),
        Group(name: "sources-postgres", measure: { try await $0.onPostgres { try await $0.sources(on: $1) } }),
    ]

    let options: Options
    let directory: URL
    let binary: String
    let ruleSet: RuleSet
    let now = try! Timestamp.parseInstant("2026-11-27T09:00:00-06:00")

    init(options: Options) throws {
        self.options = options
        directory =
            options.work.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        binary =
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("source-agent").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchmarkError("\(binary) is missing: build it first with 'swift build -c release'")
        }
        let loaded = RuleSet.load(
            contents: try String(contentsOfFile: options.rules, encoding: .utf8), path: options.rules)
        guard let ruleSet = loaded.ruleSet else {
            throw BenchmarkError(loaded.diagnostics.map(\.description).joined(separator: "\n"))
        }
        self.ruleSet = ruleSet
    }

    func cleanUp() {
        if options.work == nil { try? FileManager.default.removeItem(at: directory) }
    }

    /// Runs `body` on a throwaway PostgreSQL cluster, removed afterwards.
    func onPostgres(_ body: (Workloads, BenchStore) async throws -> [Figure]) async throws -> [Figure] {
        let cluster = try await BenchStore.cluster()
        defer { cluster.destroy() }
        return try await body(self, .postgres(cluster))
    }

    func size(_ full: Int) -> Int { options.quick ? max(50, full / 100) : full }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs `body` `options.runs` times (after one warm-up for in-process figures).
    func repeated(warmUp: Bool = false, _ body: () async throws -> Double) async rethrows -> [Double] {
        if warmUp { _ = try await body() }
        var out: [Double] = []
        for _ in 0..<options.runs { out.append(try await body()) }
        return out
    }

    func repeated(warmUp: Bool = false, _ body: () throws -> Double) rethrows -> [Double] {
        if warmUp { _ = try body() }
        return try (0..<options.runs).map { _ in try body() }
    }

    // MARK: Generated inputs

    /// A backlog as the sandbox generates it, in Flxpoint's JSON shape, with its stock.
    func frFile(_ count: Int) throws -> (frs: String, stock: String) {
        let frs = path("frs-\(count).json")
        let stock = path("stock-\(count).csv")
        if !FileManager.default.fileExists(atPath: frs) {
            let seed = SandboxSeed.generate(count: count, seed: 7, now: now)
            try StableJSON.encoder().encode(seed.frs).write(to: URL(fileURLWithPath: frs))
            try seed.stockCSV.write(toFile: stock, atomically: true, encoding: .utf8)
        }
        return (frs, stock)
    }

    /// Stock for every SKU the sandbox generates, deep enough that most FRs are acknowledged.
    func deepStock() throws -> String {
        let file = path("deep-stock.csv")
        if !FileManager.default.fileExists(atPath: file) {
            let skus = Set(SandboxSeed.generate(count: 2000, seed: 7, now: now).stock.map(\.sku))
            let rows = skus.sorted().map { "\($0),100000,dallas" }
            try (["sku,on_hand,location"] + rows).joined(separator: "\n").write(
                toFile: file, atomically: true, encoding: .utf8)
        }
        return file
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
