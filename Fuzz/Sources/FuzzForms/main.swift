import Foundation
import FuzzSupport
import SourceAgentCommands

/// The console's forms as a browser (or anyone) posts them: URL-encoded, and multipart with a
/// boundary taken from the input's first line. Reading must not trap, and what comes out is
/// never larger than what went in.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzForms(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let seconds = FuzzSupport.cpuSeconds {
        let text = String(decoding: bytes, as: UTF8.self)
        let values = FuzzEntryPoints.urlEncodedForm(text)
        if values.reduce(0, { $0 + $1.utf8.count }) > count * 3 { fatalError("form values larger than the body") }
        let split = bytes.firstIndex(of: 10) ?? 0
        let boundary = String(decoding: bytes[..<split], as: UTF8.self)
        let body = Array(bytes[min(split + 1, bytes.count)...])
        if let form = FuzzEntryPoints.multipartForm(
            contentType: "multipart/form-data; boundary=" + boundary, body: body),
            (form.file?.utf8.count ?? 0) > body.count * 3
        {
            fatalError("a multipart file larger than the body")
        }
    }
    if seconds > 1 { fatalError("reading took \(seconds) s of CPU") }
    return 0
}
