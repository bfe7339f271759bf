import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging

/// Checking a tracking file's row groups: which source each belongs to, and whether its
/// units can ship against what was acknowledged.
extension TrackingImport {
    /// Why a group of rows cannot be routed to a source, as the operator reads it.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// The source a shipment belongs to: the one its `source` column names, else the only one
    /// configured, else the only one that has seen the FR. An FR number two accounts share is
    /// refused rather than guessed.
    func route(for group: TrackingGroup, path: String) async throws -> Result<Route, Refusal> {
        let line = "\(path):\(group.lines[0])"
        let names = routes.map(\.source)
        if let source = group.source {
            guard let route = routes.first(where: { $0.source == source }) else {
                return .failure(
                    Refusal(
                        description: "\(line): unknown source '\(source)'; configured: \(names.joined(separator: ", "))"
                    ))
            }
            return .success(route)
        }
        if routes.count == 1 { return .success(routes[0]) }
        let knowing = try await routes[0].database.sourcesKnowing(frKey: group.fr).filter(names.contains)
        switch knowing.count {
        case 0:
            return .failure(
                Refusal(description: "\(line): unknown FR '\(group.fr)': no source of this agent has a record of it"))
        case 1:
            return .success(routes.first { $0.source == knowing[0] }!)
        default:
            return .failure(
                Refusal(
                    description: "\(line): FR '\(group.fr)' exists in sources \(knowing.joined(separator: " and ")): "
                        + "add a 'source' column saying which"))
        }
    }

    /// What checking a group of rows found.
    enum Check {
        case valid(ShipmentRecord, units: [String: Int])
        case existing(ShipmentRecord)
        case rejected([String])
    }

    func check(
        _ group: TrackingGroup, fr found: KnownFR?, route: Route, claimed: inout [String: [String: Int]],
        path: String
    ) async throws -> Check {
        var problems = group.rows.flatMap { row in row.problems.map { "\(path):\(row.line): \($0)" } }
        let first = group.lines[0]
        guard let found else {
            problems.append("\(path):\(first): unknown FR '\(group.fr)': this agent has no record of it")
            return .rejected(problems)
        }
        let fr = found.fr
        let known = found.state
        let claimKey = route.source + "\u{0}" + String(fr.id)
        if let existing = try await route.database.shipment(frId: fr.id, trackingNumber: group.trackingNumber) {
            return problems.isEmpty ? .existing(existing) : .rejected(problems)
        }
        if known.answeredLines.allSatisfy({ $0.acknowledged == 0 }) {
            problems.append("\(path):\(first): \(fr.displayName) has no acknowledged units to ship")
            return .rejected(problems)
        }
        switch known.answerState {
        case .failed?:
            problems.append("\(path):\(first): \(fr.displayName)'s answer was refused by Flxpoint; nothing to ship")
            return .rejected(problems)
        case .pending?:
            problems.append(
                "\(path):\(first): Flxpoint has not confirmed \(fr.displayName)'s acknowledgement yet; "
                    + "import this file again after the next cycle")
            return .rejected(problems)
        default: break
        }
        let kits = KitShipment(kits: known.kits, fr: fr)
        var units: [String: Int] = [:]
        var lineOf: [String: Int] = [:]
        var parts = KitShipment.Parts()
        for row in group.rows {
            guard let sku = row.sku, let quantity = row.quantity else { continue }
            if !fr.items.contains(where: { $0.sku == sku }), let kit = kits.kit(containing: sku) {
                parts.add(quantity, of: sku, in: kit, line: row.line)
                continue
            }
            guard fr.items.contains(where: { $0.sku == sku }) else {
                problems.append("\(path):\(row.line): \(sku) is not on \(fr.displayName)")
                continue
            }
            units[sku, default: 0] += quantity
            lineOf[sku] = lineOf[sku] ?? row.line
        }
        // Rows naming a kit's components ship whole kits of it, or nothing.
        for (kit, line, result) in kits.wholeKits(parts) {
            switch result {
            case .success(let count):
                units[kit, default: 0] += count
                lineOf[kit] = min(lineOf[kit] ?? line, line)
            case .failure(let problem): problems.append("\(path):\(line): \(problem)")
            }
        }
        var items: [ShipmentItem] = []
        for (sku, quantity) in units.sorted(by: { lineOf[$0.key]! < lineOf[$1.key]! }) {
            let earlier = claimed[claimKey]?[sku] ?? 0
            let open = kits.units(of: sku, in: known.held) - earlier
            guard quantity <= open,
                let lines = ShipmentAllocation.allocate(
                    sku: sku, quantity: quantity, lines: known.answeredLines,
                    shippedBefore: kits.units(of: sku, in: known.shipped) + earlier)
            else {
                problems.append(
                    "\(path):\(lineOf[sku]!): \(quantity) × \(sku) is more than the \(max(0, open)) acknowledged "
                        + "and not yet shipped on \(fr.displayName)")
                continue
            }
            for (index, count) in lines {
                let itemId = known.answeredLines[index].itemId
                let orderItemId = fr.items.first { itemId != nil && $0.id == itemId }?.orderItemId
                items.append(ShipmentItem(sku: sku, quantity: count, orderItemId: orderItemId))
            }
        }
        guard problems.isEmpty else { return .rejected(problems) }
        for (sku, quantity) in units { claimed[claimKey, default: [:]][sku, default: 0] += quantity }
        let head = group.rows[0]
        let shippedAt = head.shippedAt ?? clock()
        let body = ShipmentCreateRequest(
            fulfillmentRequestId: fr.id,
            shipment: ShipmentBody(
                trackingNumber: group.trackingNumber, carrier: head.carrier, method: head.method,
                shippedAt: Timestamp.utcString(shippedAt), shipmentItems: items))
        let record = ShipmentRecord(
            frId: fr.id, trackingNumber: group.trackingNumber, carrier: head.carrier, method: head.method,
            shippedAt: shippedAt, bodyJSON: WireJSON.text(body), units: units.values.reduce(0, +),
            source: "\(path):\(group.lineList)", at: clock())
        // The reservations to end are the shelf's: a kit's are its components'.
        return .valid(record, units: kits.shelfUnits(units))
    }
}
