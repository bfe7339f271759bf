import Foundation

/// Debian's headless Chromium, for tests that check what a browser makes of a page.
public enum Chromium {
    public static var path: String? { TestTool.chromium.path }

    /// The page at `url` (`file://` or `http://`) as the browser leaves it after its script ran.
    /// With `virtualTime`, the page's timers run for that many (virtual) milliseconds first;
    /// virtual time stands still while a request is in flight, so a long poll is waited for.
    public static func dumpDOM(_ url: String, virtualTime: Int? = nil) throws -> String {
        guard let path else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "chromium"]) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments =
            ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"]
            + (virtualTime.map { ["--virtual-time-budget=\($0)"] } ?? []) + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// A PNG of the page at `url` in a window `width` × `height` CSS pixels, written to `file`.
    public static func screenshot(_ url: String, to file: String, width: Int = 1280, height: Int = 900) throws {
        guard let path else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "chromium"]) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--screenshot=\(file)",
            "--window-size=\(width),\(height)", url,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }
}
