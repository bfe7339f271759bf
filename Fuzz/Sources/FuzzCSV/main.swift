import FulfillmentCore
import FuzzSupport

/// The same bytes as a stock CSV and as a tracking CSV. Every refusal must name a line that
/// exists in the input, no accepted figure may be negative, no accepted cost anything but a
/// plain decimal, no accepted row out of line with the header, and reading the bytes in small
/// chunks (split inside characters and line breaks) must give what reading them whole gives.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let whole = Array(CSVRowReader(text: String(decoding: bytes, as: UTF8.self)))
    var offset = 0
    let size = 1 + Int(bytes.first ?? 0) % 7
    let chunked = Array(
        CSVRowReader(chunks: {
            guard offset < bytes.count else { return nil }
            defer { offset += size }
            return Array(bytes[offset..<min(offset + size, bytes.count)])
        }))
    if FuzzSupport.text(data, count) != nil, whole != chunked {
        fatalError("read in chunks of \(size) bytes: \(chunked)\nread whole: \(whole)")
    }
    guard let text = FuzzSupport.text(data, count) else { return 0 }
    let lines = FuzzSupport.lineCount(text)
    switch StockCSV.parse(text) {
    case .success(let levels):
        for level in levels where level.onHand < 0 { fatalError("negative on_hand accepted: \(level)") }
        for level in levels where level.cost.map({ !$0.isFinite || $0 < 0 }) == true {
            fatalError("a cost that is not a plain non-negative decimal accepted: \(level)")
        }
        // Every accepted row lines up with the header: no value read under the wrong name.
        if let header = whole.first.flatMap({ try? $0.get() }) {
            for case .success(let row) in whole.dropFirst() where row.fields.count != header.fields.count {
                fatalError("line \(row.line) has \(row.fields.count) fields, the header \(header.fields.count)")
            }
        }
    case .failure(let errors):
        for error in errors.errors where error.line < 1 || error.line > lines {
            fatalError("stock error names line \(error.line) of \(lines): \(error)")
        }
    }
    switch TrackingFile.parse(text) {
    case .success(let parsed):
        for group in parsed.groups {
            for row in group.rows where row.problems.isEmpty && (row.quantity ?? 0) <= 0 {
                fatalError("tracking row at line \(row.line) accepted without a quantity above 0")
            }
        }
    case .failure(let error):
        if error.line < 1 || error.line > lines { fatalError("tracking error names line \(error.line) of \(lines)") }
    }
    return 0
}
