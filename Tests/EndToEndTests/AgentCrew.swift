import AgentStore
import AgentTesting
import Foundation

/// The agent processes of a chaos run: each slot is one `run` process, relaunched whenever it
/// dies (by itself at a crash point, or killed by the test). While the test waits it samples
/// every source's lease, so afterwards it can say how long each source went unanswered.
final class AgentCrew {
    /// One agent process and what was done to it.
    struct Slot {
        var agent: RunningAgent
        var killedByTest = false
        var stopped = false
    }

    /// A lease as held by one epoch: who held it, when it was first seen, and the start of its
    /// last renewal (its expiry less the TTL, by the database's clock).
    struct Tenure {
        var epoch: Int64
        var pid: Int?
        var firstSeen: Date
        var lastRenewal: Date
    }

    let arguments: [String]
    let environment: [String: String]
    let leases: any LeaseStore
    let ttl: Double
    private(set) var slots: [Slot] = []
    /// Crash points still to hand to the next launches, in order.
    private var crashPoints: [String]
    private(set) var selfKills = 0
    private(set) var kills = 0
    private(set) var stops = 0
    /// Per source, every epoch seen, in order.
    private(set) var tenures: [String: [Tenure]] = [:]
    /// The longest time seen between two renewals of one tenure: the lease's renewal interval
    /// plus how late the agents' timers and the database ran on this machine, this run.
    private(set) var slowestRenewal: Double = 0
    /// The end of each dead agent's log, for a failure's message.
    private(set) var lastWords: [String] = []
    /// Agents that died, were killed or were paused before the end.
    private(set) var failedPids: Set<Int> = []

    init(arguments: [String], environment: [String: String], leases: any LeaseStore, ttl: Double, crashPoints: [String])
    {
        self.arguments = arguments
        self.environment = environment
        self.leases = leases
        self.ttl = ttl
        self.crashPoints = crashPoints
    }

    /// Starts `count` agents, each with the next crash point.
    func start(_ count: Int) throws {
        for _ in 0..<count { slots.append(Slot(agent: try launch())) }
    }

    private func launch() throws -> RunningAgent {
        var environment = environment
        if !crashPoints.isEmpty { environment["SOURCE_AGENT_CRASH_AT"] = crashPoints.removeFirst() }
        return try AgentBinary.launch(arguments, environment: environment, niceness: 0)
    }

    /// Whether every crash point has been handed out.
    var crashPointsLeft: Int { crashPoints.count }

    /// Reaps and relaunches dead agents, then samples the leases.
    func tick() async throws {
        for index in slots.indices where !slots[index].agent.isRunning {
            let output = await slots[index].agent.wait()
            if !slots[index].killedByTest, output.status == SIGKILL { selfKills += 1 }
            lastWords.append(String(output.stderr.suffix(400)))
            failedPids.insert(Int(slots[index].agent.pid))
            slots[index] = Slot(agent: try launch())
        }
        let sampled = Date()
        for lease in try await leases.leases() {
            guard lease.holder != nil, let expiresIn = lease.expiresIn, expiresIn > 0 else { continue }
            let renewal = sampled.addingTimeInterval(expiresIn - ttl)
            var list = tenures[lease.source, default: []]
            if let last = list.last, last.epoch == lease.epoch {
                // A later renewal than the last one seen (samples of one renewal differ by the
                // query's latency, far less than 0.1 s).
                if renewal.timeIntervalSince(last.lastRenewal) > 0.1 {
                    slowestRenewal = max(slowestRenewal, renewal.timeIntervalSince(last.lastRenewal))
                }
                list[list.count - 1].lastRenewal = max(last.lastRenewal, renewal)
            } else {
                list.append(Tenure(epoch: lease.epoch, pid: lease.pid, firstSeen: sampled, lastRenewal: renewal))
            }
            tenures[lease.source] = list
        }
    }

    /// Ticks every 50 ms for `seconds`.
    func idle(_ seconds: Double) async throws {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            try await tick()
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The slot of the agent holding `source`'s lease now, if one is running and holds it.
    func holder(of source: String) -> Int? {
        guard let tenure = tenures[source]?.last, tenure.lastRenewal.addingTimeInterval(ttl) > Date() else {
            return nil
        }
        return slots.firstIndex { $0.agent.isRunning && !$0.stopped && Int($0.agent.pid) == tenure.pid }
    }

    /// Waits (ticking) until some agent holds `source`; returns its slot.
    func waitForHolder(of source: String, limit: Double = 20) async throws -> Int {
        let end = Date().addingTimeInterval(limit)
        while Date() < end {
            try await tick()
            if let slot = holder(of: source) { return slot }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ClusterError(message: "no agent held \(source) within \(limit)s")
    }

    /// Waits (ticking) until `source`'s lease has an epoch past `epoch`.
    func waitForTakeover(of source: String, after epoch: Int64, limit: Double = 20) async throws {
        let end = Date().addingTimeInterval(limit)
        while Date() < end {
            try await tick()
            if let last = tenures[source]?.last, last.epoch > epoch { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ClusterError(message: "nobody took \(source) over within \(limit)s")
    }

    /// SIGKILLs the agent in `slot`; the next tick relaunches it.
    func kill(_ slot: Int) {
        slots[slot].killedByTest = true
        slots[slot].agent.signal(SIGKILL)
        kills += 1
    }

    /// SIGSTOPs (or, `false`, SIGCONTs) the agent in `slot`.
    func pause(_ slot: Int, _ paused: Bool) {
        slots[slot].stopped = paused
        slots[slot].agent.signal(paused ? SIGSTOP : SIGCONT)
        if paused {
            stops += 1
            failedPids.insert(Int(slots[slot].agent.pid))
        }
    }

    /// Asks every agent to stop and waits for them.
    func stopAll() async {
        for slot in slots {
            if slot.stopped { slot.agent.signal(SIGCONT) }
            slot.agent.signal(SIGTERM)
        }
        for slot in slots where !(await slot.agent.waitForExit(timeout: .seconds(10))) { slot.agent.signal(SIGKILL) }
        for slot in slots { _ = await slot.agent.wait() }
    }

    /// A change of holder: the old epoch's last renewal (its holder stopped working no
    /// earlier) and the new epoch's, if the new holder too was replaced later.
    struct Handover {
        var source: String
        var lastRenewal: Date
        var newHoldersLastRenewal: Date?
        var newHolderPid: Int?
        var newHoldersFirstSeen: Date
    }

    /// Every change of holder after the first.
    var handovers: [Handover] {
        tenures.flatMap { source, list in
            list.indices.dropFirst().map { index in
                Handover(
                    source: source, lastRenewal: list[index - 1].lastRenewal,
                    newHoldersLastRenewal: index + 1 < list.count ? list[index].lastRenewal : nil,
                    newHolderPid: list[index].pid, newHoldersFirstSeen: list[index].firstSeen)
            }
        }
    }
}
