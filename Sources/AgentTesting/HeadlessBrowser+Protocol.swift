import Foundation

/// Who waits for which message from the browser: a command's reply by its id, an event by its
/// page session and name. Held under the browser's lock; continuations are resumed there
/// (resuming does not block).
struct Exchange {
    enum Key: Hashable {
        case reply(Int)
        case event(session: String, method: String)
    }

    enum Slot {
        /// An event asked for before the command that causes it is sent.
        case expected
        case waiting(CheckedContinuation<Data, any Error>)
        case arrived(Data)
    }

    private var nextId = 1
    private var slots: [Key: Slot] = [:]
    /// Set once the browser is gone: every wait fails with it.
    private var ended: (any Error)?

    mutating func takeId() -> Int {
        defer { nextId += 1 }
        return nextId
    }

    mutating func expect(_ key: Key) { slots[key] = .expected }

    mutating func forget(_ key: Key) { slots[key] = nil }

    mutating func await(_ key: Key, _ continuation: CheckedContinuation<Data, any Error>) {
        if let ended { return continuation.resume(throwing: ended) }
        if case .arrived(let message) = slots[key] {
            slots[key] = nil
            return continuation.resume(returning: message)
        }
        slots[key] = .waiting(continuation)
    }

    /// A message came: to whoever waits for it, kept when it is expected, else dropped (the
    /// reply to a command that timed out, an event nobody asked for).
    mutating func arrive(_ key: Key, _ message: Data) {
        switch slots[key] {
        case .waiting(let continuation):
            slots[key] = nil
            continuation.resume(returning: message)
        case .expected: slots[key] = .arrived(message)
        case .arrived, nil: break
        }
    }

    mutating func fail(_ key: Key, _ error: any Error) {
        guard case .waiting(let continuation) = slots[key] else { return }
        slots[key] = nil
        continuation.resume(throwing: error)
    }

    mutating func end(_ error: any Error) {
        ended = error
        for case .waiting(let continuation) in slots.values { continuation.resume(throwing: error) }
        slots = [:]
    }
}

// The DevTools protocol's messages this harness sends and reads, typed.

struct Outgoing<Parameters: Encodable>: Encodable {
    let id: Int
    let method: String
    let params: Parameters
    let sessionId: String?
}

/// What routes a message from the browser: a reply's id, an event's name and session.
struct Incoming: Decodable {
    let id: Int?
    let method: String?
    let sessionId: String?
}

/// A command's reply: its result, or the browser's refusal.
struct Reply<Result: Decodable>: Decodable {
    struct RemoteError: Decodable {
        let message: String
    }

    let result: Result?
    let error: RemoteError?
}

struct Empty: Codable {}

struct ContextCreated: Decodable {
    let browserContextId: String
}

struct ContextId: Encodable {
    let browserContextId: String
}

struct CreateTarget: Encodable {
    let url: String
    let browserContextId: String
}

struct TargetCreated: Decodable {
    let targetId: String
}

struct TargetId: Encodable {
    let targetId: String
}

struct Attach: Encodable {
    let targetId: String
    let flatten: Bool
}

struct Attached: Decodable {
    let sessionId: String
}

/// The viewport: what `--window-size` gives a page on the command line.
struct Metrics: Encodable {
    let width: Int
    let height: Int
    let deviceScaleFactor = 1
    let mobile = false
}

struct VirtualTimePolicy: Encodable {
    let policy: String
    let budget: Int
}

struct Navigate: Encodable {
    let url: String
}

struct Navigated: Decodable {
    let errorText: String?
}

struct Evaluate: Encodable {
    let expression: String
    let returnByValue: Bool
}

struct Evaluated: Decodable {
    struct Value: Decodable {
        let value: String?
    }

    let result: Value
}

struct Capture: Encodable {
    let format: String
}

struct Screenshot: Decodable {
    let data: String
}
