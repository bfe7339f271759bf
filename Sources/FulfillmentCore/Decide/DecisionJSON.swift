import Foundation

/// The JSON the decision log stores for a decision's lines, trace, facts and stock plan,
/// written directly: the same text as `StableJSON.encoder()` (a test compares them) at a
/// fraction of the cost, which matters when a backlog of thousands is recorded at once.
extension JSONText {
    /// Writes answer lines as the stable JSON encoder would.
    public mutating func write(_ lines: [LineAnswer]) {
        array(lines) { json, line in
            json.object { json in
                json.key("acknowledged")
                json.int(line.acknowledged)
                json.key("cancelled")
                json.int(line.cancelled)
                if let itemId = line.itemId {
                    json.key("itemId")
                    json.int(itemId)
                }
                json.key("quantity")
                json.int(line.quantity)
                if let sku = line.sku {
                    json.key("sku")
                    json.string(sku)
                }
            }
        }
    }

    /// Writes a trace as the stable JSON encoder would.
    public mutating func write(_ trace: DecisionTrace) {
        object { json in
            json.key("notes")
            json.strings(trace.notes)
            json.key("rules")
            json.write(trace.rules)
        }
    }

    /// Each rule tried, with its checks: the decision log's trace and dry-run's `trace`.
    public mutating func write(_ rules: [RuleTrace]) {
        array(rules) { json, rule in
            json.object { json in
                json.key("checks")
                json.array(rule.checks) { json, check in
                    json.object { json in
                        json.key("check")
                        json.string(check.check)
                        json.key("result")
                        json.bool(check.result)
                    }
                }
                json.key("matched")
                json.bool(rule.matched)
                json.key("rule")
                json.string(rule.rule)
            }
        }
    }

    /// Writes facts as the stable JSON encoder would.
    public mutating func write(_ facts: Facts) {
        object { json in
            json.key("address")
            json.write(facts.address)
            if let inbound = facts.inbound {
                json.key("inbound")
                json.write(inbound)
            }
            json.key("lines")
            json.array(facts.lines) { json, line in
                json.object { json in
                    json.key("available")
                    json.int(line.available)
                }
            }
            json.key("now")
            json.instant(facts.now)
            json.key("ship")
            json.object { json in
                json.key("daysLate")
                json.int(facts.ship.daysLate)
                json.key("earliest")
                json.instant(facts.ship.earliest)
                json.key("meetsShipBy")
                json.bool(facts.ship.meetsShipBy)
            }
            json.key("stock")
            json.write(facts.stock)
        }
    }

    /// What stock on its way adds, keys in order as the stable encoder writes them.
    mutating func write(_ inbound: InboundPlan) {
        object { json in
            json.key("coversAllInTime")
            json.bool(inbound.coversAllInTime)
            json.key("lines")
            json.array(inbound.lines) { json, line in
                json.object { json in
                    json.key("arrivals")
                    json.array(line.arrivals) { json, take in
                        json.object { json in
                            json.key("expectedAt")
                            json.instant(take.expectedAt)
                            json.key("location")
                            json.string(take.location)
                            json.key("quantity")
                            json.int(take.quantity)
                            json.key("shipsAt")
                            json.instant(take.shipsAt)
                        }
                    }
                    json.key("inTime")
                    json.int(line.inTime)
                    if let readyAt = line.readyAt {
                        json.key("readyAt")
                        json.instant(readyAt)
                    }
                }
            }
            if let readyAt = inbound.readyAt {
                json.key("readyAt")
                json.instant(readyAt)
            }
        }
    }

    mutating func write(_ address: AddressFacts) {
        object { json in
            json.optional("city", address.city)
            json.optional("country", address.country)
            json.key("domestic")
            json.bool(address.domestic)
            json.key("military")
            json.bool(address.military)
            json.key("poBox")
            json.bool(address.poBox)
            json.optional("postal", address.postal)
            json.key("problems")
            json.strings(address.problems)
            json.optional("state", address.state)
        }
    }

    mutating func write(_ stock: StockFacts) {
        object { json in
            json.key("coversAll")
            json.bool(stock.coversAll)
            json.key("coversAny")
            json.bool(stock.coversAny)
            json.key("fillRate")
            json.double(stock.fillRate)
            json.key("locationsNeeded")
            json.int(stock.locationsNeeded)
            json.key("missingUnits")
            json.int(stock.missingUnits)
        }
    }

    /// Writes a stock plan as the stable JSON encoder would.
    public mutating func write(_ plan: StockPlan) {
        object { json in
            json.key("facts")
            json.write(plan.facts)
            json.key("lines")
            json.array(plan.lines) { json, line in
                json.object { json in
                    json.key("allocations")
                    json.write(line.allocations)
                    json.key("available")
                    json.int(line.available)
                    if let components = line.components {
                        json.key("components")
                        json.array(components) { json, component in json.write(component) }
                    }
                    json.key("index")
                    json.int(line.index)
                    if let itemId = line.itemId {
                        json.key("itemId")
                        json.int(itemId)
                    }
                    json.key("promised")
                    json.int(line.promised)
                    json.key("quantity")
                    json.int(line.quantity)
                    if let sku = line.sku {
                        json.key("sku")
                        json.string(sku)
                    }
                }
            }
        }
    }

    /// Writes where a line's or a component's units come from, as the stable JSON encoder would.
    mutating func write(_ allocations: [LinePlan.Allocation]) {
        array(allocations) { json, allocation in
            json.object { json in
                json.key("location")
                json.string(allocation.location)
                json.key("quantity")
                json.int(allocation.quantity)
            }
        }
    }

    /// Writes a kit component's plan as the stable JSON encoder would.
    mutating func write(_ component: ComponentPlan) {
        object { json in
            json.key("allocations")
            json.write(component.allocations)
            json.key("available")
            json.int(component.available)
            json.key("perKit")
            json.int(component.perKit)
            json.key("promised")
            json.int(component.promised)
            json.key("sku")
            json.string(component.sku)
        }
    }

    /// Writes reservations as the stable JSON encoder would.
    public mutating func write(_ reservations: [StockReservation]) {
        array(reservations) { json, reservation in
            json.object { json in
                if reservation.backordered {
                    json.key("backordered")
                    json.bool(true)
                }
                if let inboundAt = reservation.inboundAt {
                    json.key("inboundAt")
                    json.instant(inboundAt)
                }
                json.key("location")
                json.string(reservation.location)
                json.key("quantity")
                json.int(reservation.quantity)
                json.key("sku")
                json.string(reservation.sku)
            }
        }
    }

    /// SKU → location → figures, keys in order.
    public mutating func write(_ figures: [String: [String: StockFigure]]) {
        object { json in
            for sku in figures.keys.sorted() {
                json.key(sku)
                json.object { json in
                    let locations = figures[sku]!
                    for location in locations.keys.sorted() {
                        json.key(location)
                        json.object { json in
                            json.key("onHand")
                            json.int(locations[location]!.onHand)
                            json.key("reserved")
                            json.int(locations[location]!.reserved)
                        }
                    }
                }
            }
        }
    }

    /// Kits with their components, as synthesized `Encodable` writes them, keys in order.
    public mutating func write(_ kits: [Kit]) {
        array(kits) { json, kit in
            json.object { json in
                json.key("components")
                json.array(kit.components) { json, component in
                    json.object { json in
                        json.key("quantity")
                        json.int(component.quantity)
                        json.key("sku")
                        json.string(component.sku)
                    }
                }
                json.key("sku")
                json.string(kit.sku)
            }
        }
    }

    /// A member written only when the value is there, as synthesized `Encodable` does.
    mutating func optional(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }
}

extension LineAnswer {
    /// Lines as the decision log stores them (`JSONText.write(_: [LineAnswer])`).
    public static func list(json bytes: [UInt8]) throws -> [LineAnswer] {
        guard case .array(let elements) = try JSONParser.parse(bytes) else { throw JSONShapeError() }
        return try elements.map { node in
            guard let acknowledged = node["acknowledged"]?.wholeNumber,
                let cancelled = node["cancelled"]?.wholeNumber,
                let quantity = node["quantity"]?.wholeNumber
            else { throw JSONShapeError() }
            let sku: String? = if case .string(let text)? = node["sku"] { text } else { nil }
            return LineAnswer(
                itemId: node["itemId"]?.wholeNumber, sku: sku, quantity: quantity,
                acknowledged: acknowledged, cancelled: cancelled)
        }
    }
}

extension StockFigure {
    /// SKU → location → figures, as `JSONText.write(_: [String: [String: StockFigure]])` wrote them.
    public static func figures(_ node: JSONNode) -> [String: [String: StockFigure]]? {
        guard case .object(let skus) = node else { return nil }
        var out: [String: [String: StockFigure]] = [:]
        for sku in skus {
            guard case .object(let locations) = sku.value else { return nil }
            var figures: [String: StockFigure] = [:]
            for location in locations {
                guard let onHand = location.value["onHand"]?.wholeNumber,
                    let reserved = location.value["reserved"]?.wholeNumber
                else { return nil }
                figures[location.key] = StockFigure(onHand: onHand, reserved: reserved)
            }
            out[sku.key] = figures
        }
        return out
    }
}

extension Kit {
    /// Kits as `JSONText.write(_: [Kit])` wrote them.
    public static func list(_ node: JSONNode) -> [Kit]? {
        guard case .array(let elements) = node else { return nil }
        var kits: [Kit] = []
        for element in elements {
            guard case .string(let sku)? = element["sku"], case .array(let parts)? = element["components"] else {
                return nil
            }
            var components: [Kit.Component] = []
            for part in parts {
                guard case .string(let component)? = part["sku"], let quantity = part["quantity"]?.wholeNumber else {
                    return nil
                }
                components.append(Kit.Component(sku: component, quantity: quantity))
            }
            kits.append(Kit(sku: sku, components: components))
        }
        return kits
    }
}

/// Stored JSON that is valid but not the shape written.
public struct JSONShapeError: Error {}
