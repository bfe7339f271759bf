import Foundation

/// Debian's headless Chromium, for tests that check what a browser makes of a page. Pages open
/// in the test process's one browser (`HeadlessBrowser`), not a browser each.
public enum Chromium {
    /// The page at `url` (`file://` or `http://`) as the browser leaves it after its script ran.
    /// With `virtualTime`, the page's timers run for that many (virtual) milliseconds first;
    /// virtual time stands still while a request is in flight, so a long poll is waited for.
    public static func dumpDOM(_ url: String, virtualTime: Int? = nil) async throws -> String {
        try await HeadlessBrowser.shared().dom(url, virtualTime: virtualTime)
    }

    /// A PNG of the page at `url` in a window `width` × `height` CSS pixels, written to `file`.
    public static func screenshot(_ url: String, to file: String, width: Int = 1280, height: Int = 900) async throws {
        let png = try await HeadlessBrowser.shared().screenshot(url, width: width, height: height)
        try png.write(to: URL(fileURLWithPath: file))
    }
}
