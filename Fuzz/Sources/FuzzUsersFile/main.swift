import Foundation
import FuzzSupport
import SourceAgentCommands

/// The console's users file read as `run` reads it at start. Reading must not trap and must
/// stay fast (no hash is computed here: a costly one is refused by its parameters); a refusal
/// names a line of the file and never echoes a hash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUsersFile(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let text = FuzzSupport.text(data, count) else { return 0 }
    let lines = FuzzSupport.lineCount(text)
    let seconds = FuzzSupport.cpuSeconds {
        guard let problem = FuzzEntryPoints.usersFileProblem(text) else { return }
        if problem.count > 600 { fatalError("a refusal of \(problem.count) characters") }
        guard problem.hasPrefix("users") else { fatalError("a refusal naming no file: \(problem)") }
        if let line = Int(problem.dropFirst("users:".count).prefix { $0.isNumber }), line > lines {
            fatalError("line \(line) named in a file of \(lines) lines")
        }
        // What the file holds as a hash: any field of a line (comments aside) that starts with `$`.
        let hashes = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
            .flatMap { $0.split(separator: ":") }.filter { $0.hasPrefix("$") && $0.count > 12 }
        if hashes.contains(where: { problem.contains($0) }) { fatalError("a hash echoed in a refusal") }
    }
    if seconds > 1 { fatalError("reading took \(seconds) s of CPU") }
    return 0
}
