import Foundation
import FulfillmentCore
import FuzzSupport

/// A whole rule file: loaded with diagnostics that point inside the file, and, when it
/// loads, used to decide the sample FRs and FRs whose every text field is long and almost
/// matches anything (`aaa…a!`). Deciding must stay fast whatever the rules say: each
/// `matches` pattern in the file must run within its linear step bound on such a subject,
/// and deciding them all within a second of CPU time, far above what a linear matcher needs even under
/// AddressSanitizer and far below what a backtracking one takes on `(a|a)*$`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleFile(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let text = FuzzSupport.text(data, count) else { return 0 }
    let result = RuleSet.load(contents: text, path: "fuzz.yaml")
    let lines = FuzzSupport.lineCount(text)
    for diagnostic in result.diagnostics where diagnostic.line < 0 || diagnostic.line > lines {
        fatalError("diagnostic outside the file (\(lines) lines): \(diagnostic)")
    }
    for pattern in FuzzSupport.matchesLiterals(in: text) {
        guard let program = try? PatternProgram(pattern) else { continue }
        for subject in FuzzSupport.almostMatching {
            let (_, steps) = program.run(subject)
            let bound = program.size * (subject.unicodeScalars.count + 1)
            if steps > bound { fatalError("pattern \(pattern) took \(steps) steps, over its bound \(bound)") }
        }
    }
    if let ruleSet = result.ruleSet {
        // The long FRs cost time in every check under AddressSanitizer; they matter where a
        // pattern reads them, so other files are decided on the samples alone, many more per second.
        let frs = FuzzSupport.sampleFRs + (text.contains("matches") ? FuzzSupport.hostileFRs : [])
        let seconds = FuzzSupport.cpuSeconds { FuzzSupport.decide(frs, ruleSet: ruleSet) }
        if seconds > 1 { fatalError("deciding \(frs.count) FRs took \(seconds) s of CPU") }
    }
    return 0
}
