import Foundation
import FuzzSupport
import SourceAgentCommands

/// Every setting's value read as `run` reads it (flag, environment or file, one reader): the
/// input's first line picks the key, the rest is the value. Reading must not trap; an accepted
/// number must lie inside the stated range, a refusal must be short and name the setting.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSettings(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0, let text = FuzzSupport.text(data, count) else { return 0 }
    let keys = FuzzEntryPoints.settingKeys
    let key = keys[Int(data[0]) % keys.count]
    let value = String(text.dropFirst())
    let seconds = FuzzSupport.cpuSeconds {
        if let problem = FuzzEntryPoints.settingProblem(key, value) {
            if problem.count > 600 { fatalError("a refusal of \(problem.count) characters for \(key)") }
            if problem.unicodeScalars.contains(where: { $0.value == 0x1B }) { fatalError("a raw ESC echoed") }
        } else if FuzzEntryPoints.withinBound(key, value) == false {
            fatalError("\(key) accepted a value outside its range")
        }
    }
    if seconds > 1 { fatalError("reading took \(seconds) s of CPU") }
    return 0
}
