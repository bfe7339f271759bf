import AgentStore
import Foundation
import FulfillmentCore

/// Deciding logged decisions again under other rules: `replay` and the console's preview of
/// a rule edit.
public enum Redecide {
    /// Each logged decision with its outcome under `ruleSet`, in order.
    public static func redecide(_ batch: [LoggedDecision], ruleSet: RuleSet) async -> [(LoggedDecision, ReplayOutcome?)]
    {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, batch.count / 64))
        let parts = batch.chunked((batch.count + workers - 1) / workers)
        return await withTaskGroup(of: (Int, [(LoggedDecision, ReplayOutcome?)]).self) { group in
            for (index, part) in parts.enumerated() {
                group.addTask { (index, part.map { ($0, Self.redecide($0, ruleSet: ruleSet)) }) }
            }
            var done: [Int: [(LoggedDecision, ReplayOutcome?)]] = [:]
            for await (index, results) in group { done[index] = results }
            return parts.indices.flatMap { done[$0]! }
        }
    }

    public static func redecide(_ logged: LoggedDecision, ruleSet: RuleSet) -> ReplayOutcome? {
        guard let before = logged.outcome, let fr = try? FRListDecoder.decodeOne(text: logged.frJSON) else {
            return nil
        }
        let input = ReplayInput(
            fr: fr, now: logged.now, heldSince: logged.heldSince, stockFigures: logged.stockFigures, kits: logged.kits,
            logged: before, loggedOverride: logged.override)
        return ReplayOutcome(Replay.redecide(input, ruleSet: ruleSet))
    }

    /// Every decision logged between `since` and `until`, decided again under `ruleSet` and
    /// counted. The next batch is read while this one is decided again; each decision is
    /// decided on its own, from its own inputs, so a batch spreads over every core.
    public static func summary(_ db: any SourceStore, since: Date, until: Date, ruleSet: RuleSet) async throws
        -> ReplaySummary
    {
        var summary = ReplaySummary()
        var batch = try await db.loggedDecisions(since: since, until: until, afterId: 0, limit: 1000)
        while let last = batch.last?.id {
            async let next = db.loggedDecisions(since: since, until: until, afterId: last, limit: 1000)
            for (logged, after) in await redecide(batch, ruleSet: ruleSet) { summary.add(logged, after: after) }
            batch = try await next
        }
        return summary
    }
}
