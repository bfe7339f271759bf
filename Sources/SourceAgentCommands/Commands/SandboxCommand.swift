import ArgumentParser
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Logging

/// `source-agent sandbox`: a local stand-in for Flxpoint's Source API.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve a simulated Flxpoint Source API on loopback, with fault injection.",
        discussion: """
            Besides Flxpoint's endpoints it serves GET /_sandbox/stats (no token) with request counts and \
            how often each FR was answered, so you can check that every FR was answered exactly once.
            """)

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).")
    var port = 8089

    @Option(help: "Generate this many realistic FRs.")
    var seed = 50

    @Option(
        help: ArgumentHelp(
            "Serve FRs from a JSON file (Flxpoint's list shape) instead of generating them.", valueName: "file"))
    var fixtures: String?

    @Option(help: "The token clients must send as X-API-TOKEN (default: a generated one, printed).")
    var token: String?

    @Option(name: .customLong("rate-limit"), help: "Requests per second per token before 429 (0 = unlimited).")
    var rateLimit = 2.0

    @Option(name: .customLong("fail-rate"), help: "Share 0–1 of requests answered 500/502/503.")
    var failRate = 0.0

    @Option(name: .customLong("drop-rate"), help: "Share 0–1 of requests processed, then dropped without an answer.")
    var dropRate = 0.0

    @Option(name: .customLong("malformed-rate"), help: "Share 0–1 of generated FRs served with a broken field.")
    var malformedRate = 0.0

    @Option(help: ArgumentHelp("Added to every answer, in milliseconds.", valueName: "ms"))
    var latency = 0

    @Option(
        name: .customLong("write-stock"),
        help: ArgumentHelp("Write stock matching the generated FRs to this CSV.", valueName: "csv"))
    var writeStock: String?

    func validate() throws {
        for (name, share) in [
            ("--fail-rate", failRate), ("--drop-rate", dropRate), ("--malformed-rate", malformedRate),
        ]
        where !(0...1).contains(share) {
            throw ValidationError("\(name) must be a share from 0 to 1, got \(share)")
        }
        // Every number has a range: a huge one would trap converting, or never finish.
        if !(0...65_535).contains(port) { throw ValidationError("--port must be from 0 to 65535, got \(port)") }
        if !(0...1_000_000).contains(seed) { throw ValidationError("--seed must be from 0 to 1000000, got \(seed)") }
        if !(0...600_000).contains(latency) {
            throw ValidationError("--latency must be from 0 to 600000 ms, got \(latency)")
        }
        if !(rateLimit.isFinite && (0...10_000).contains(rateLimit)) {
            throw ValidationError("--rate-limit must be from 0 (unlimited) to 10000, got \(rateLimit)")
        }
    }

    func run() async throws {
        let frs: [FulfillmentRequest]
        var malformed: [Int: JSONValue] = [:]
        if let fixtures {
            frs = try InputFiles.frs(fixtures).valid
        } else {
            let generated = SandboxSeed.generate(count: seed, now: AgentClock.now(), malformedRate: malformedRate)
            frs = generated.frs
            malformed = generated.malformed
            if let writeStock { try generated.stockCSV.write(toFile: writeStock, atomically: true, encoding: .utf8) }
        }
        let token =
            self.token ?? "sbx-" + (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()
        let configuration = SandboxConfiguration(
            token: token, rateLimit: rateLimit, failRate: failRate, dropRate: dropRate,
            latency: .milliseconds(latency), randomSeed: UInt64.random(in: 1 ... .max))
        let server = SandboxServer(
            configuration: configuration, state: SandboxState(frs: frs, malformed: malformed),
            logger: Logger(label: "sandbox"))
        let count = frs.count
        try await server.runUntilSignalled(port: port) { url in
            Terminal.out(
                """
                Flxpoint sandbox listening on \(url)
                token: \(token)   (clients send it as X-API-TOKEN)
                \(count) FRs; stats at \(url)/_sandbox/stats; Ctrl-C stops
                """)
        }
    }
}
