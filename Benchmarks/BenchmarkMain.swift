import Foundation
import FulfillmentCore

/// Release-build benchmarks; figures live here, never in timed unit tests.
///
///     swift build -c release && .build/release/Benchmarks [--runs N] [--json FILE] [--quick] [--only a,b]
///         [--rules FILE] [--work DIR]
///
/// Prints one table: each figure is the median of `--runs` runs (default 3) with min and max.
/// In-process figures run on one core; whole-process figures start the release
/// `source-agent` beside this executable and time it from outside, with its peak resident
/// set from the kernel. `--quick` shrinks every workload, for a smoke test.
@main
struct BenchmarkMain {
    static func main() async {
        do {
            let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
            let bench = try Workloads(options: options)
            defer { bench.cleanUp() }
            var figures: [Figure] = []
            for group in Workloads.groups where options.only.isEmpty || options.only.contains(group.name) {
                FileHandle.standardError.write(Data("measuring \(group.name)…\n".utf8))
                figures += try await group.measure(bench)
            }
            print(Table.render(figures))
            if let path = options.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let report = Report(machine: Machine(), runs: options.runs, quick: options.quick, figures: figures)
                try encoder.encode(report).write(to: URL(fileURLWithPath: path))
                FileHandle.standardError.write(Data("wrote \(path)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }

    struct Report: Encodable {
        var machine: Machine
        var runs: Int
        var quick: Bool
        var figures: [Figure]
    }
}

struct Options: Sendable {
    var runs = 3
    var json: String?
    var quick = false
    var only: Set<String> = []
    var rules = "rules.example.yaml"
    /// Keep generated inputs (the 100,000-decision log takes half a minute) here between runs.
    var work: String?

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--runs":
                guard let value = rest.popFirst().flatMap(Int.init), value > 0 else { throw BenchmarkError("--runs N") }
                options.runs = value
            case "--json":
                guard let value = rest.popFirst() else { throw BenchmarkError("--json FILE") }
                options.json = value
            case "--quick": options.quick = true
            case "--only":
                guard let value = rest.popFirst() else { throw BenchmarkError("--only a,b") }
                options.only = Set(value.split(separator: ",").map(String.init))
            case "--work":
                guard let value = rest.popFirst() else { throw BenchmarkError("--work DIR") }
                options.work = value
            case "--rules":
                guard let value = rest.popFirst() else { throw BenchmarkError("--rules FILE") }
                options.rules = value
            default:
                throw BenchmarkError(
                    "unknown argument \(argument); usage: Benchmarks [--runs N] [--json FILE] [--quick] "
                        + "[--only \(Workloads.groups.map(\.name).joined(separator: ","))] [--rules FILE] [--work DIR]")
            }
        }
        return options
    }
}
