import Foundation
import FuzzSupport
import SourceAgentCommands

/// A `postgres://` URL read as `--database` reads it. Reading must not trap; an accepted URL
/// prints without a password (one in the URL is refused), and a refusal is short.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPostgresURL(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let text = FuzzSupport.text(data, count) else { return 0 }
    let seconds = FuzzSupport.cpuSeconds {
        switch FuzzEntryPoints.postgresURL(text) {
        case .success(let printed):
            if let at = printed.firstIndex(of: "@"), printed[..<at].dropFirst("postgres://".count).contains(":") {
                fatalError("an accepted URL prints a password")
            }
        case .failure(let error):
            if error.description.count > 600 { fatalError("a refusal of \(error.description.count) characters") }
        }
    }
    if seconds > 1 { fatalError("reading took \(seconds) s of CPU") }
    return 0
}
