// Support: what commands share: clock, logging, metrics server, output tables.

import AgentStore
import AgentStoreSQLite
import ArgumentParser
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging
import SourceAgent
import Synchronization

/// Exit codes, as docs/commands.md lists them.
enum Exit {
    static let failure = ExitCode(1)
    /// Bad usage or a bad input file (with diagnostics).
    static let badInput = ExitCode(2)
    /// A safety guard stopped the work.
    static let guardTripped = ExitCode(3)
}

/// Output helpers: command output on stdout, everything else on stderr.
///
/// Both escape every control character but line breaks and tabs: an FR number, a SKU or a
/// file's text printed in a table, an explanation or an error cannot move the cursor,
/// recolour the terminal or rewrite a line (`FR-\u{1B}[31m1001\r`).
enum Terminal {
    static func out(_ text: String) {
        let safe = TerminalText.escaped(text, keepingLines: true)
        toStandardOutput(Data((safe.hasSuffix("\n") ? safe : safe + "\n").utf8))
    }

    /// Bytes as they are, for output written in large pieces.
    static func write(_ bytes: [UInt8]) {
        if !bytes.isEmpty { toStandardOutput(Data(bytes)) }
    }

    /// Writes to standard output; when its reader has gone (`source-agent holds | head`),
    /// ends as a Unix tool does rather than trap with a backtrace.
    static func toStandardOutput(_ data: Data) {
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            readerGone()
        }
    }

    /// Standard output's reader has closed the pipe: the process ends by SIGPIPE, quietly,
    /// as `head` expects of what it reads from (the runtime ignores the signal, so the write
    /// returned EPIPE instead; the default is restored first).
    static func readerGone() -> Never {
        signal(SIGPIPE, SIG_DFL)
        raise(SIGPIPE)
        exit(141)
    }

    /// Where `err` writes instead of standard error, within `capturingErrors`: the console
    /// runs the commands' file readers and shows their messages on a page.
    @TaskLocal static var errorLines: ErrorLines?

    /// Lines `err` was given, kept for a page.
    final class ErrorLines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// Runs `body` with `err`'s lines kept rather than written; returns them with the result.
    static func capturingErrors<T>(_ body: () throws -> T) -> (Result<T, any Error>, [String]) {
        let sink = ErrorLines()
        let result = $errorLines.withValue(sink) { Result { try body() } }
        return (result, sink.all)
    }

    static func err(_ text: String) {
        if let errorLines {
            errorLines.append(text)
            return
        }
        let safe = TerminalText.escaped(text, keepingLines: true)
        // Nowhere left to say it (stderr closed): the message is dropped, not a trap.
        try? FileHandle.standardError.write(contentsOf: Data((safe.hasSuffix("\n") ? safe : safe + "\n").utf8))
    }
}

/// Reading the files a user names, with messages that say which file and why.
enum InputFiles {
    /// Exits 2 naming the file when it does not exist.
    static func mustExist(_ path: String, what: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            Terminal.err("error: \(what) '\(path)' does not exist")
            throw Exit.badInput
        }
    }

    /// The file's text, or `-` for standard input; exits 2 with a clear message when unreadable.
    static func text(_ path: String, what: String) throws -> String {
        if path == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let data = try bytes(path, what: what)
        guard let text = String(data: data, encoding: .utf8) else {
            Terminal.err("error: \(what) '\(path)' is not UTF-8 text")
            throw Exit.badInput
        }
        return text
    }

    /// A file's bytes as they are (`-`: standard input).
    static func bytes(_ path: String, what: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        try mustExist(path, what: what)
        guard let data = FileManager.default.contents(atPath: path) else {
            Terminal.err("error: cannot read \(what) '\(path)'")
            throw Exit.badInput
        }
        return data
    }

    /// A database that must exist already: commands that only read (or that need what `run`
    /// recorded) never create an empty one.
    static func existingDatabase(_ path: String, passwordFile: String?, forReading: Bool = false) async throws
        -> any SourceStore
    {
        try await existingStore(path, passwordFile: passwordFile, forReading: forReading).store
    }

    /// `existingDatabase`, its engine known (for what only the shared store has).
    static func existingStore(_ path: String, passwordFile: String?, forReading: Bool = false) async throws
        -> OpenedStore
    {
        let location = StoreLocation(path)
        if location.isShared {
            do {
                return try await location.open(
                    passwordFile: passwordFile, create: false, logger: Logger(label: "source-agent"))
            } catch {
                Terminal.err("error: \(PersonWords.text(error, store: RedactedURL.redact(path)))")
                throw Exit.badInput
            }
        }
        guard FileManager.default.fileExists(atPath: path) else {
            Terminal.err("error: database '\(path)' does not exist; pass --db, or run 'source-agent run' first")
            throw Exit.badInput
        }
        if let problem = DatabasePath.fileProblem(path) {
            Terminal.err("error: \(problem)")
            throw Exit.badInput
        }
        do {
            // A command that only reads opens the file read-only: nothing written, nothing created.
            return .file(forReading ? try AgentDatabase.openForReading(path: path) : try AgentDatabase.open(path: path))
        } catch {
            Terminal.err("error: \(PersonWords.text(error, store: path))")
            throw Exit.badInput
        }
    }

    /// `relative` resolved against the folder holding `file`, unless it is absolute.
    static func resolve(_ relative: String, besides file: String) -> String {
        if relative.hasPrefix("/") { return relative }
        let base = (file as NSString).deletingLastPathComponent
        return base.isEmpty ? relative : (base as NSString).appendingPathComponent(relative)
    }

    /// Loads and checks a rule file, printing diagnostics to stderr; exits 2 on errors.
    static func ruleSet(_ path: String, strict: Bool = false) throws -> RuleSetAndWarnings {
        let contents = try text(path, what: "rule file")
        let result = RuleSet.load(contents: contents, path: path)
        let failing = strict ? result.diagnostics : result.errors
        guard let ruleSet = result.ruleSet, failing.isEmpty else {
            for diagnostic in result.diagnostics { Terminal.err(diagnostic.description) }
            throw Exit.badInput
        }
        return RuleSetAndWarnings(ruleSet: ruleSet, warnings: result.warnings)
    }

    /// Reads a stock CSV; exits 2 naming every bad line.
    /// A kits file's kits, or exit 2 with every bad line named.
    static func kits(_ path: String) throws -> [Kit] {
        try table(path, what: "kits file", KitCSV.parse)
    }

    /// An inbound file's arrivals, or exit 2 with every bad line named.
    static func inbound(_ path: String) throws -> [InboundStock] {
        try table(path, what: "inbound file", InboundCSV.parse)
    }

    /// A CSV file read by `parse`, or exit 2 with every bad line named.
    private static func table<T>(
        _ path: String, what: String, _ parse: (CSVRowReader) -> Result<[T], CSVErrors>
    ) throws -> [T] {
        try mustExist(path, what: what)
        let rows: CSVRowReader
        do {
            rows = try CSVFile.rows(atPath: path)
        } catch {
            Terminal.err("error: \(what) \(error.description)")
            throw Exit.badInput
        }
        switch parse(rows) {
        case .success(let values): return values
        case .failure(let errors):
            for line in errors.rendered(path: path) { Terminal.err(line) }
            throw Exit.badInput
        }
    }

    static func stock(_ path: String) throws -> [StockLevel] {
        try table(path, what: "stock file", StockCSV.parse)
    }

    /// Decodes a JSON array of FRs; a malformed FR is reported on stderr and skipped.
    static func frs(_ path: String) throws -> (valid: [FulfillmentRequest], skipped: Int) {
        let data = try bytes(path, what: "FR file")
        let decoded: [Result<FulfillmentRequest, FRDecodeFailure>]
        do {
            decoded = try FRListDecoder.decode(data)
        } catch {
            Terminal.err("error: \(path): \(error.description)")
            throw Exit.badInput
        }
        return keepDecoded(decoded)
    }

    /// The FRs that decoded; each malformed one is reported on stderr and counted.
    static func keepDecoded(_ results: [Result<FulfillmentRequest, FRDecodeFailure>]) -> (
        valid: [FulfillmentRequest], skipped: Int
    ) {
        var valid: [FulfillmentRequest] = []
        var skipped = 0
        var seen: Set<Int> = []
        var toleratedSeen: Set<String> = []
        for result in results {
            switch result {
            case .success(let fr) where !seen.insert(fr.id).inserted:
                // As the agent does within one poll: an FR is decided once, its first copy.
                skipped += 1
                Terminal.err("skipped FR \(fr.id): it appears again; the first copy is decided")
            case .success(let fr):
                valid.append(fr)
                // As the agent logs them: once per field, naming the first FR that had it.
                for field in fr.toleratedFields where toleratedSeen.insert(field).inserted {
                    Terminal.err(
                        "warning: FR \(fr.id): field \(field) had an unexpected type and was read as absent "
                            + "(said once per field)")
                }
            case .failure(let failure):
                skipped += 1
                Terminal.err("skipped malformed \(failure.description)")
            }
        }
        return (valid, skipped)
    }

    /// Parses `--now`.
    static func instant(_ text: String, option: String) throws -> Date {
        do {
            return try Timestamp.parseInstant(text)
        } catch {
            throw ValidationError("\(option): \(error.description)")
        }
    }
}

/// A loaded rule set and the warnings it came with.
struct RuleSetAndWarnings {
    let ruleSet: RuleSet
    let warnings: [Diagnostic]
}
