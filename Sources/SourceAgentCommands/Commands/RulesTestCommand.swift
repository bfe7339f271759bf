import ArgumentParser
import Foundation
import FulfillmentCore
import SourceAgentConsole

/// `source-agent rules test FILE...`.
struct RulesTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule test files: decide each case with the real facts and compare.",
        discussion: "Prints PASS/FAIL per case and a closing 'N passed, N failed' line; exit 1 when any case fails.")

    @Argument(help: ArgumentHelp("Rule test files (YAML).", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one rule test file") }
    }

    func run() async throws {
        var passed = 0
        var failed = 0
        for file in files {
            let results = try RuleTestLoader.run(file: file)
            for result in results {
                if result.passed {
                    passed += 1
                    Terminal.out("PASS  \(result.name)")
                } else {
                    failed += 1
                    Terminal.out("FAIL  \(result.name)  (\(file):\(result.line))")
                    for failure in result.failures { Terminal.out("      \(failure)") }
                    if let decision = result.decision {
                        for line in decision.trace.lines { Terminal.out("        \(line)") }
                    }
                }
            }
        }
        Terminal.out("\(passed) passed, \(failed) failed")
        if failed > 0 { throw Exit.failure }
    }
}

/// Reads a test file and everything it refers to, then runs its cases.
enum RuleTestLoader {
    /// The rule test files of the rule file at `rulesPath`: `*.test.yaml` in its folder and
    /// the folders just below it whose `rules:` names that file. Sorted by path.
    static func files(testing rulesPath: String) -> [String] {
        let target = URL(fileURLWithPath: rulesPath).standardizedFileURL.path
        let folder = URL(fileURLWithPath: rulesPath).deletingLastPathComponent()
        let manager = FileManager.default
        var candidates: [URL] = []
        let top = (try? manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey])) ?? []
        for entry in top {
            if (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                if entry.lastPathComponent.hasPrefix(".") { continue }
                candidates += (try? manager.contentsOfDirectory(at: entry, includingPropertiesForKeys: nil)) ?? []
            } else {
                candidates.append(entry)
            }
        }
        return candidates.filter { $0.lastPathComponent.hasSuffix(".test.yaml") }.compactMap { url -> String? in
            guard let text = try? String(contentsOf: url, encoding: .utf8),
                let test = RuleTestFile.parse(contents: text, path: url.path).0
            else { return nil }
            let named = URL(fileURLWithPath: InputFiles.resolve(test.rules, besides: url.path)).standardizedFileURL
            return named.path == target ? url.path : nil
        }.sorted()
    }

    /// Runs the file's cases; with `ruleSet`, under those rules instead of the file's `rules:`
    /// (the console's preview of an edit).
    static func run(file: String, ruleSet override: RuleSet? = nil) throws -> [RuleTestResult] {
        let (parsed, diagnostics) = RuleTestFile.parse(
            contents: try InputFiles.text(file, what: "test file"), path: file)
        for diagnostic in diagnostics { Terminal.err(diagnostic.description) }
        guard let test = parsed else { throw Exit.badInput }
        let ruleSet = try override ?? InputFiles.ruleSet(InputFiles.resolve(test.rules, besides: file)).ruleSet
        let listed = try test.frs.map { try InputFiles.frs(InputFiles.resolve($0, besides: file)).valid } ?? []
        let defaultStock = try stock(test.stock, besides: file) ?? []
        var results: [RuleTestResult] = []
        for testCase in test.cases {
            guard let now = testCase.now ?? test.now else {
                Terminal.err(
                    "\(file):\(testCase.line): error: case '\(testCase.name)' has no 'now' and the file sets none")
                throw Exit.badInput
            }
            let fr = try resolveFR(testCase, listed: listed, file: file)
            let levels = try stock(testCase.stock, besides: file) ?? defaultStock
            results.append(
                RuleTestRunner.run(
                    name: testCase.name, line: testCase.line, fr: fr, stock: levels, now: now, ruleSet: ruleSet,
                    expect: testCase.expect))
        }
        return results
    }

    private static func stock(_ source: RuleTestFile.Source<[StockLevel]>?, besides file: String) throws
        -> [StockLevel]?
    {
        switch source {
        case nil: return nil
        case .inline(let levels): return levels
        case .file(let path): return try InputFiles.stock(InputFiles.resolve(path, besides: file))
        }
    }

    private static func resolveFR(_ testCase: RuleTestFile.Case, listed: [FulfillmentRequest], file: String) throws
        -> FulfillmentRequest
    {
        let data: Data
        switch testCase.fr {
        case .listed(let key):
            guard let fr = listed.first(where: { String($0.id) == key || $0.number == key }) else {
                Terminal.err(
                    "\(file):\(testCase.line): error: case '\(testCase.name)': no FR '\(key)' in the file's 'frs:'")
                throw Exit.badInput
            }
            return fr
        case .inline(let json): data = json
        case .file(let path):
            data = Data(try InputFiles.text(InputFiles.resolve(path, besides: file), what: "FR file").utf8)
        }
        if let list = try? FRListDecoder.decode(data), list.count == 1, case .success(let fr) = list[0] { return fr }
        do {
            return try FRListDecoder.decodeOne(data)
        } catch {
            Terminal.err("\(file):\(testCase.line): error: case '\(testCase.name)': \(error.description)")
            throw Exit.badInput
        }
    }
}

/// The console's rule tests: the files `rules test` would find, run by its loader, their
/// messages kept for the page instead of written to standard error.
struct RuleTestFiles: RuleTestRunning {
    func run(testing rulesPath: String, under ruleSet: RuleSet) -> [RuleTestFileOutcome] {
        RuleTestLoader.files(testing: rulesPath).map { file in
            let (outcome, messages) = Terminal.capturingErrors { try RuleTestLoader.run(file: file, ruleSet: ruleSet) }
            return RuleTestFileOutcome(path: file, results: try? outcome.get(), messages: messages)
        }
    }
}
