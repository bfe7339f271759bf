import FulfillmentCore
import FuzzSupport

/// A whole rule file: loaded with diagnostics that point inside the file, and, when it
/// loads, used to decide the sample FRs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleFile(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let text = FuzzSupport.text(data, count) else { return 0 }
    let result = RuleSet.load(contents: text, path: "fuzz.yaml")
    let lines = FuzzSupport.lineCount(text)
    for diagnostic in result.diagnostics where diagnostic.line < 0 || diagnostic.line > lines {
        fatalError("diagnostic outside the file (\(lines) lines): \(diagnostic)")
    }
    if let ruleSet = result.ruleSet {
        FuzzSupport.decide(FuzzSupport.sampleFRs, ruleSet: ruleSet)
    }
    return 0
}
