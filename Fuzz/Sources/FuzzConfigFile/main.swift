import Foundation
import FulfillmentCore
import FuzzSupport

/// A config file (`agent.yaml`) read as the agent reads it: refused with a position inside
/// the file, or read into values that are single, bounded, never YAML's null, each placed at
/// a line of the file. Reading must not trap, and must stay fast whatever the file holds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigFile(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let text = FuzzSupport.text(data, count) else { return 0 }
    let lines = FuzzSupport.lineCount(text)
    let path = "/etc/source-agent/agent.yaml"
    /// `path:line:col` must name a line of the file.
    func check(_ position: String) {
        guard position != path else { return }
        let parts = position.dropFirst(path.count + 1).split(separator: ":")
        guard parts.count == 2, let line = Int(parts[0]), let column = Int(parts[1]), line >= 1, line <= lines,
            column >= 1
        else { fatalError("position \(position) is outside the file (\(lines) lines)") }
    }
    let seconds = FuzzSupport.cpuSeconds { read(text, path: path, check: check) }
    if seconds > 1 { fatalError("reading took \(seconds) s of CPU") }
    return 0
}

/// Reads `text` and checks what came back.
func read(_ text: String, path: String, check: (String) -> Void) {
    do {
        let document = try ConfigDocument.parse(text, path: path, pathKeys: ["token_file", "db", "rules"])
        let entries = document.entries + (document.sources ?? []).flatMap(\.entries)
        for entry in entries {
            check(entry.position)
            if entry.value.utf8.count > 4096 + path.utf8.count + 1 { fatalError("an unbounded value: \(entry.key)") }
        }
        for source in document.sources ?? [] { check(source.position) }
    } catch {
        check(error.position)
        if error.message.count > 2_000 { fatalError("a message of \(error.message.count) characters") }
    }
}
