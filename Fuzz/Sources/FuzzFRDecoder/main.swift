import Foundation
import FulfillmentCore
import FuzzSupport

/// A page of FRs as Flxpoint might send it: decoded, fingerprinted and decided. A malformed
/// FR must come back as a failure naming its index, never as a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFRDecoder(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Data(bytes: data, count: count)
    guard let results = try? FRListDecoder.decode(bytes) else { return 0 }
    var frs: [FulfillmentRequest] = []
    for (index, result) in results.enumerated() {
        switch result {
        case .success(let fr):
            if fr.answerFingerprint != fr.answerFingerprint { fatalError("fingerprint of FR \(fr.id) is not stable") }
            _ = fr.isClosedUpstream
            frs.append(fr)
        case .failure(let failure):
            if failure.index != index { fatalError("failure \(failure) reported at index \(index)") }
        }
    }
    FuzzSupport.decide(frs, ruleSet: FuzzSupport.exampleRules)
    return 0
}
