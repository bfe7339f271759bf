import FulfillmentCore
import FuzzSupport

/// An expression as the `when:` of a rule: lexed, parsed, type-checked and, when it loads,
/// evaluated against the sample FRs. The input is the expression's own text, so the fuzzer
/// mutates the language, not YAML quoting.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let expression = FuzzSupport.text(data, count) else { return 0 }
    var quoted = ""
    for scalar in expression.unicodeScalars {
        switch scalar {
        case "\"": quoted += "\\\""
        case "\\": quoted += "\\\\"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value):
            quoted += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
        case _ where scalar.value == 0xFEFF || (0x2028...0x2029).contains(scalar.value):
            quoted += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
        default: quoted.unicodeScalars.append(scalar)
        }
    }
    let file = """
        version: 1
        lists:
          skus: [SKU-RED, "=cmd"]
        rules:
          - name: fuzzed
            when: "\(quoted)"
            then: hold
            note: "held {fr.number}"
        default:
          then: acknowledge
        """
    if let ruleSet = RuleSet.load(contents: file, path: "fuzz.yaml").ruleSet {
        FuzzSupport.decide(FuzzSupport.sampleFRs, ruleSet: ruleSet)
    }
    return 0
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
