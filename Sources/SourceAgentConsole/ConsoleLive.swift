import AgentStore
import Foundation
import FulfillmentCore
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import SourceAgent

/// Live pages: the overview and the hold queue update without a reload. The page carries a
/// stamp of what it shows; its one script asks `/live` with that stamp, a request the server
/// holds (long polling) until the stamp moves or `longestWait` passes, then fetches the page
/// again and swaps its `<main>` in, unless the person is filling in a form on it. No script
/// from anywhere else runs: the page's policy allows this script's hash alone.
enum ConsoleLive {
    /// The longest a `/live` request is held before it answers "no change".
    static let longestWait: Duration = .seconds(20)
    /// How often a held request looks again.
    static let lookEvery: Duration = .milliseconds(500)

    /// The script, exactly as hashed for the Content-Security-Policy.
    static let script = """
        (function () {
          var main = document.querySelector('main');
          function busy() {
            var active = document.activeElement;
            if (active && active !== document.body && main.contains(active) && active.tagName !== 'A') return true;
            var fields = main.querySelectorAll('input:not([type=hidden]), textarea');
            for (var i = 0; i < fields.length; i++) {
              var f = fields[i];
              if ((f.type === 'checkbox' || f.type === 'radio') ? f.checked !== f.defaultChecked : f.value !== f.defaultValue) return true;
            }
            return false;
          }
          function poll() {
            var url = main.getAttribute('data-live-url') + '&since=' + encodeURIComponent(main.getAttribute('data-live'));
            fetch(url, {credentials: 'same-origin', cache: 'no-store'})
              .then(function (reply) { return reply.ok ? reply.text() : null; })
              .then(function (stamp) {
                if (!stamp || stamp === main.getAttribute('data-live') || busy()) return null;
                return fetch(location.href, {credentials: 'same-origin', cache: 'no-store'})
                  .then(function (reply) { return reply.text(); })
                  .then(function (html) {
                    var next = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
                    if (next && next.getAttribute('data-live') && !busy()) { main.replaceWith(next); main = next; }
                  });
              })
              .catch(function () { return new Promise(function (done) { setTimeout(done, 5000); }); })
              .then(function () { setTimeout(poll, 1000); });
          }
          setTimeout(poll, 1000);
        })();
        """

    /// The policy of a live page: the console's, with this script's hash and requests to itself.
    static let securityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
        + Data(SHA256.digest(Array(script.utf8))).base64EncodedString() + "'; connect-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    /// The stamp of a page: what it shows moves with it. The hold queue leaves cycles out (a
    /// cycle that decided nothing changes nothing there); the overview shows the last cycle.
    static func stamp(_ marks: LiveMarks, page: String) -> String {
        page == "holds" ? "\(marks.decision)-\(marks.pending)" : "\(marks.decision)-\(marks.cycle)-\(marks.pending)"
    }
}

extension ConsoleServer {
    func addLive(_ router: Router<ConsoleRequestContext>) {
        router.get("live") { request, context in
            // A page's script asks: no sign-in redirect, a plain answer it shows.
            if context.identity == nil { return ConsoleResponses.plain(.unauthorized, "sign in again\n") }
            let query = Self.query(request)
            let source = view.source(query["source"])
            let page = query["page"] == "holds" ? "holds" : "overview"
            let since = query["since"]
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: ConsoleLive.longestWait)
            var stamp = try await liveStamp(source, page: page)
            while stamp == since, clock.now < deadline, !Task.isShuttingDownGracefully {
                try await Task.sleep(for: ConsoleLive.lookEvery)
                stamp = try await liveStamp(source, page: page)
            }
            return ConsoleResponses.plain(.ok, stamp)
        }
    }

    /// The stamp a live page is rendered with (see `ConsoleLive`).
    func liveStamp(_ source: SourceRuntime, page: String) async throws -> String {
        var stamp = ConsoleLive.stamp(try await source.database.liveMarks(), page: page)
        // A pause or resume changes the overview too.
        if page == "overview" { stamp += PauseFile.reason(view.pauseFile) == nil ? "-a" : "-p" }
        return stamp
    }
}
