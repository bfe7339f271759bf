import Foundation
import Synchronization

/// SIGTERM and SIGINT during a one-shot command (`run --once`): instead of ending the
/// process mid-send, they ask the cycle to stop after the answers in flight, and the command
/// exits 0 as `help run` promises. What was decided and not sent stays queued for the next run.
final class StopRequest: @unchecked Sendable {
    // @unchecked: `sources` is written once in `init` and only cancelled after.
    private let signalName = Mutex<String?>(nil)
    private var sources: [DispatchSourceSignal] = []

    /// Starts listening; the signals' default action (ending the process) is off until `stop()`.
    init() {
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.signalName.withLock { $0 = $0 ?? name } }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal that asked to stop, or nil.
    var requested: String? { signalName.withLock { $0 } }

    /// Gives the signals back their default action.
    func stop() {
        for source in sources { source.cancel() }
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
    }
}
