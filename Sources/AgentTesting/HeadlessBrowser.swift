import Foundation
import Synchronization

/// One headless Chromium for the whole test process, driven over the DevTools protocol on a
/// pipe (`--remote-debugging-pipe`: JSON messages ended by a NUL byte, commands on the
/// browser's descriptor 3, replies and events on its 4). Starting a browser costs about a
/// second of CPU on this machine; a page in a running one, a tenth of that. Each page opens in
/// a browser context of its own (its own cookies and storage) and is closed afterwards, so
/// tests share the process and nothing else.
public final class HeadlessBrowser: Sendable {
    /// A command, a reply or an event that did not come.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let pid: pid_t
    private let commands: Int32
    private let profile: URL
    private let state = Mutex(Exchange())
    /// How long a command or an event is waited for before the page fails.
    static let patience = Duration.seconds(60)

    /// The process's browser, started on first use.
    public static func shared() throws -> HeadlessBrowser { try sharedBrowser.get() }

    private static let sharedBrowser = Result<HeadlessBrowser, any Error> {
        guard let path = TestTool.chromium.path else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "chromium"])
        }
        let browser = try HeadlessBrowser(executable: path)
        started.withLock { $0 = browser }
        atexit { HeadlessBrowser.started.withLock { $0?.shutDown() } }
        return browser
    }

    /// The shared browser once started, for the exit handler (which cannot capture it).
    private static let started = Mutex<HeadlessBrowser?>(nil)

    init(executable: String) throws {
        profile = try Scratch.directory("chromium-profile")
        var toBrowser: [Int32] = [0, 0]
        var fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else {
            throw Failure(description: "cannot make the browser's pipes: errno \(errno)")
        }
        // Close-on-exec, so the agents tests start later with `Process` do not hold the pipes
        // open (the browser gets its two ends as 3 and 4, which dup2 leaves open).
        for descriptor in toBrowser + fromBrowser { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--remote-debugging-pipe", "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-default-apps", "--disable-sync", "--mute-audio",
            "--user-data-dir=\(profile.path)", "about:blank",
        ]
        let pid: pid_t
        do {
            // At the priority of the agents the pages' tests start (`nice`, which execs the
            // browser in its place): below the chaos test's agents, which are timed against a
            // lease, and no lower than the agents whose pages it waits on.
            pid = try Spawn.start(
                "/usr/bin/nice", ["-n", "4", executable] + arguments, environment: Spawn.environment(),
                descriptors: [.null, .null, .null, .copy(toBrowser[0]), .copy(fromBrowser[1])])
        } catch {
            for descriptor in toBrowser + fromBrowser { Foundation.close(descriptor) }
            throw error
        }
        // The browser's ends are its own now.
        Foundation.close(toBrowser[0])
        Foundation.close(fromBrowser[1])
        self.pid = pid
        commands = toBrowser[1]
        let replies = fromBrowser[0]
        Thread { [self] in read(replies) }.start()
    }

    /// The page at `url` as the browser leaves it once loaded and its script has run; with
    /// `virtualTime`, once its timers have run for that many virtual milliseconds (virtual time
    /// stands still while a request is in flight, so a long poll is waited for).
    public func dom(_ url: String, virtualTime: Int? = nil) async throws -> String {
        try await withPage(width: 1280, height: 900) { session in
            try await self.navigate(url, session: session)
            if let virtualTime {
                // From the load on, as `--virtual-time-budget` counts: set before the page
                // loads, the budget would run out on the blank page.
                try await self.awaitEvent("Emulation.virtualTimeBudgetExpired", session: session) {
                    let _: Empty = try await self.call(
                        "Emulation.setVirtualTimePolicy",
                        VirtualTimePolicy(policy: "pauseIfNetworkFetchesPending", budget: virtualTime), session: session
                    )
                }
            }
            let value: Evaluated = try await self.call(
                "Runtime.evaluate",
                Evaluate(expression: "document.documentElement.outerHTML", returnByValue: true), session: session)
            return value.result.value ?? ""
        }
    }

    /// A PNG of the page at `url` in a viewport `width` × `height` CSS pixels.
    public func screenshot(_ url: String, width: Int, height: Int) async throws -> Data {
        try await withPage(width: width, height: height) { session in
            try await self.navigate(url, session: session)
            let shot: Screenshot = try await self.call(
                "Page.captureScreenshot", Capture(format: "png"), session: session)
            guard let data = Data(base64Encoded: shot.data) else {
                throw Failure(description: "a screenshot not in base64")
            }
            return data
        }
    }

    /// Opens a page in a context of its own, sized, runs `body` with its session, closes both.
    private func withPage<T: Sendable>(width: Int, height: Int, _ body: (String) async throws -> T) async throws -> T {
        let context: ContextCreated = try await call("Target.createBrowserContext", Empty(), session: nil)
        let target: TargetCreated = try await call(
            "Target.createTarget", CreateTarget(url: "about:blank", browserContextId: context.browserContextId),
            session: nil)
        do {
            let attached: Attached = try await call(
                "Target.attachToTarget", Attach(targetId: target.targetId, flatten: true), session: nil)
            let session = attached.sessionId
            let _: Empty = try await call("Page.enable", Empty(), session: session)
            let _: Empty = try await call(
                "Emulation.setDeviceMetricsOverride", Metrics(width: width, height: height), session: session)
            let result = try await body(session)
            await dispose(target: target.targetId, context: context.browserContextId)
            return result
        } catch {
            await dispose(target: target.targetId, context: context.browserContextId)
            throw error
        }
    }

    private func dispose(target: String, context: String) async {
        let _: Empty? = try? await call("Target.closeTarget", TargetId(targetId: target), session: nil)
        let _: Empty? = try? await call(
            "Target.disposeBrowserContext", ContextId(browserContextId: context), session: nil)
    }

    /// Navigates and waits for the load event: what `--dump-dom` and `--screenshot` wait for.
    private func navigate(_ url: String, session: String) async throws {
        try await awaitEvent("Page.loadEventFired", session: session) {
            let navigated: Navigated = try await self.call("Page.navigate", Navigate(url: url), session: session)
            if let failure = navigated.errorText { throw Failure(description: "\(url): \(failure)") }
        }
    }

    /// Sends one command and waits for its reply's result.
    private func call<P: Encodable, R: Decodable>(_ method: String, _ params: P, session: String?) async throws -> R {
        let id = state.withLock { $0.takeId() }
        var message = try JSONEncoder().encode(Outgoing(id: id, method: method, params: params, sessionId: session))
        message.append(0)
        let reply = try await wait(for: .reply(id), describing: method) {
            try self.write(message)
        }
        let decoded = try JSONDecoder().decode(Reply<R>.self, from: reply)
        if let error = decoded.error { throw Failure(description: "\(method): \(error.message)") }
        guard let result = decoded.result else { throw Failure(description: "\(method): a reply without a result") }
        return result
    }

    /// Runs `action` and waits for the event `method` of `session` it causes.
    private func awaitEvent(_ method: String, session: String, _ action: @Sendable () async throws -> Void)
        async throws
    {
        let key = Exchange.Key.event(session: session, method: method)
        state.withLock { $0.expect(key) }
        do {
            try await action()
        } catch {
            state.withLock { $0.forget(key) }
            throw error
        }
        _ = try await wait(for: key, describing: method) {}
    }

    /// Waits for `key`'s message (already arrived, or arriving within the patience).
    private func wait(for key: Exchange.Key, describing what: String, then start: () throws -> Void) async throws
        -> Data
    {
        let timeout = Task { [self] in
            try await Task.sleep(for: Self.patience)
            state.withLock { $0.fail(key, Failure(description: "\(what): no answer from Chromium in 60 s")) }
        }
        defer { timeout.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            state.withLock { $0.await(key, continuation) }
            do {
                try start()
            } catch {
                state.withLock { $0.fail(key, error) }
            }
        }
    }

    private func write(_ message: Data) throws {
        try message.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(commands, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw Failure(description: "Chromium is gone (write: errno \(errno))") }
                offset += written
            }
        }
    }

    /// The reading thread: splits the stream at NUL bytes and hands each message over.
    private func read(_ descriptor: Int32) {
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = Foundation.read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            pending.append(contentsOf: buffer[0..<count])
            while let end = pending.firstIndex(of: 0) {
                let message = Data(pending[pending.startIndex..<end])
                pending = Data(pending[(end + 1)...])
                guard let incoming = try? JSONDecoder().decode(Incoming.self, from: message) else { continue }
                if let id = incoming.id {
                    state.withLock { $0.arrive(.reply(id), message) }
                } else if let method = incoming.method, let session = incoming.sessionId {
                    state.withLock { $0.arrive(.event(session: session, method: method), message) }
                }
            }
        }
        Foundation.close(descriptor)
        state.withLock { $0.end(Failure(description: "Chromium exited")) }
    }

    /// Asks the browser to close, then makes sure it has: at the process's exit.
    func shutDown() {
        var message = Data(#"{"id":0,"method":"Browser.close"}"#.utf8)
        message.append(0)
        try? write(message)
        var status: Int32 = 0
        for _ in 0..<40 {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            usleep(50_000)
        }
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(at: profile)
    }
}
