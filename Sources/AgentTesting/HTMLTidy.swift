import Foundation

/// HTML Tidy (the `tidy` package, an HTML5 checker) run over a page: its errors and warnings.
public enum HTMLTidy {
    public static var path: String? { TestTool.tidy.path }

    /// Every error and warning tidy reports for `html`, one per line; empty when it is valid.
    /// "trimming empty <tbody>" and the like are left out: tidy's clean-up hints, not HTML5
    /// errors (an empty table body, paragraph or code element is conforming).
    public static func problems(_ html: String) async throws -> [String] {
        try await Blocking.run { try check(html) }
    }

    private static func check(_ html: String) throws -> [String] {
        guard let path else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "tidy"]) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tidy-\(UUID().uuidString).html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-q", "-e", "-utf8", "--show-warnings", "yes", "--gnu-emacs", "yes", file.path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { $0.contains("Error:") || ($0.contains("Warning:") && !$0.contains("Warning: trimming empty")) }
    }
}
