import AgentTesting
import Foundation
import Testing

/// The benchmark suite is not a test, but it must keep running: a tiny workload, one run
/// each, and every figure present and positive in its JSON.
@Suite("Benchmark smoke test")
struct BenchmarkSmokeTests {
    @Test(
        "Benchmarks --quick runs every group but the 30-second rate-limit one and writes its figures",
        .enabled(
            if: FileManager.default.isExecutableFile(
                atPath: AgentBinary.url.deletingLastPathComponent().appendingPathComponent("Benchmarks").path)))
    func quickRun() async throws {
        let directory = try Scratch.directory("bench-smoke")
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("figures.json").path
        let output = try await AgentBinary.launch(
            [
                "--quick", "--runs", "1", "--only", "core,dry-run,drain,memory,history,console", "--json", json,
                "--work", directory.path,
            ], executable: AgentBinary.url.deletingLastPathComponent().appendingPathComponent("Benchmarks")
        ).wait()
        #expect(output.status == 0, "\(output.stderr.suffix(800))")
        #expect(output.stdout.contains("backlog drain: API calls per FR"))
        struct Report: Decodable {
            struct Figure: Decodable {
                var name: String
                var median: Double
                var runs: [Double]
            }
            var figures: [Figure]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        // Every page of the console (one more when the log has a cancel to page back from), the
        // rule preview and a sign-in with each of two hash forms.
        let pages = report.figures.filter { $0.name.hasPrefix("console ") }.count
        #expect(report.figures.count - pages == 21 && (19...20).contains(pages), "\(pages) console figures")
        for figure in report.figures {
            #expect(figure.runs.count == 1 && figure.median > 0, "\(figure.name): \(figure.median)")
        }
    }
}
