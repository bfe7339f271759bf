import FlxpointAPI
import Foundation
import FulfillmentCore

/// The `/_sandbox/` control plane: scenarios driven from a test or a shell.
extension SandboxState {
    /// Adds FRs at run time from a JSON array in Flxpoint's shape. Each is served as given;
    /// one that does not decode is served as given too, as a malformed FR, when it has an id.
    func addFRs(body: Data) -> SandboxReply {
        let entries: [(result: Result<FulfillmentRequest, FRDecodeFailure>, rawJSON: String)]
        do {
            entries = try FRListDecoder.decodeKeepingRaw(body)
        } catch {
            return .error(400, "expected a JSON array of fulfillment requests: \(error)")
        }
        // All or nothing: a list with an FR that has no id adds none of them.
        let anonymous = entries.firstIndex {
            if case .failure(let failure) = $0.result { return failure.frId == nil }
            return false
        }
        if let anonymous { return .error(400, "FR \(anonymous) has no id") }
        var added: [Int] = []
        for entry in entries {
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(entry.rawJSON.utf8)) else {
                continue
            }
            switch entry.result {
            case .success(let fr):
                add(fr, given: value)
                added.append(fr.id)
            case .failure(let failure):
                guard let id = failure.frId else { continue }
                add(FulfillmentRequest(id: id, status: "Processing", items: []), given: nil)
                malformed[id] = value
                added.append(id)
            }
        }
        return .json(["added": added], status: 201)
    }

    /// Adds one FR; `given` is its JSON as received, served until the FR changes.
    public func add(_ fr: FulfillmentRequest, given: JSONValue? = nil) {
        frs[fr.id] = fr
        asGiven[fr.id] = given.map { (fr, $0) }
        Self.registerVariants(of: [fr], in: &variants)
    }

    /// A variant for each SKU of the FRs that has none yet, as listing a product creates one:
    /// the FR's own variant id where it gives one, else a new id.
    static func registerVariants(of frs: [FulfillmentRequest], in variants: inout [String: InventoryVariant]) {
        var next = nextVariantId(after: variants)
        for item in frs.flatMap(\.items) {
            guard let sku = item.sku, variants[sku] == nil else { continue }
            let id = item.inventoryVariantId ?? next
            next = max(next, id + 1)
            variants[sku] = InventoryVariant(
                inventoryVariantId: id, sku: sku, quantity: 0,
                cost: item.cost.map { NSDecimalNumber(decimal: $0).doubleValue })
        }
    }

    /// The FR's JSON as served: as given while unchanged; once the sandbox changed it
    /// (answered, shipped, voided), the given JSON with those fields brought up to date.
    func served(_ fr: FulfillmentRequest) -> JSONValue {
        if let broken = malformed[fr.id] { return broken }
        guard let (original, given) = asGiven[fr.id], case .object(var object) = given else { return Self.json(fr) }
        if original == fr { return given }
        object["acknowledgedAt"] = fr.acknowledgedAt.map { .string(Timestamp.utcString($0)) } ?? .null
        object["voidedAt"] = fr.voidedAt.map { .string(Timestamp.utcString($0)) } ?? .null
        object["fulfillmentRequestStatus"] = .object(["name": fr.status.map { .string($0) } ?? .null])
        if case .array(var items)? = object["fulfillmentRequestItems"] {
            for (index, item) in fr.items.enumerated() where index < items.count {
                guard case .object(var line) = items[index] else { continue }
                line["acknowledgedQuantity"] = .number(Double(item.acknowledgedQuantity ?? 0))
                line["shippedQuantity"] = .number(Double(item.shippedQuantity ?? 0))
                line["voidedQuantity"] = .number(Double(item.voidedQuantity ?? 0))
                items[index] = .object(line)
            }
            object["fulfillmentRequestItems"] = .array(items)
        }
        return .object(object)
    }

    /// The same, ready to encode: an FR the sandbox generated is encoded directly, without
    /// a detour through `JSONValue` (a listing of thousands would spend its time there).
    func servedForEncoding(_ fr: FulfillmentRequest) -> ServedFR {
        malformed[fr.id] == nil && asGiven[fr.id] == nil ? .fr(fr) : .value(served(fr))
    }

    /// Every FR as the sandbox holds it now, no paging.
    func allFRs() -> SandboxReply {
        .json(frs.values.sorted { $0.id < $1.id }.map { servedForEncoding($0) })
    }

    /// Changes an FR upstream: top-level fields replace, `fulfillmentRequestItems` entries
    /// merge into the line with the same `id` (a new line when none has it).
    func patchFR(_ id: Int, body: Data) -> SandboxReply {
        guard let fr = frs[id] else { return .error(404, "fulfillment request \(id) not found") }
        guard case .object(let patch)? = try? JSONDecoder().decode(JSONValue.self, from: body) else {
            return .error(400, "expected a JSON object with the fields to change")
        }
        guard case .object(var object) = served(fr) else { return .error(409, "FR \(id) is served malformed") }
        for (key, value) in patch where key != "fulfillmentRequestItems" { object[key] = value }
        if case .array(let changes)? = patch["fulfillmentRequestItems"] {
            guard case .array(var items)? = object["fulfillmentRequestItems"] else {
                return .error(409, "FR \(id) has no item list to merge into")
            }
            for case .object(let change) in changes {
                let index = items.firstIndex {
                    if case .object(let line) = $0 { return line["id"] != nil && line["id"] == change["id"] }
                    return false
                }
                guard let index, case .object(var line) = items[index] else {
                    items.append(.object(change))
                    continue
                }
                for (key, value) in change { line[key] = value }
                items[index] = .object(line)
            }
            object["fulfillmentRequestItems"] = .array(items)
        }
        let merged = JSONValue.object(object)
        let decoded: FulfillmentRequest
        do {
            decoded = try FRListDecoder.decodeOne(try JSONEncoder().encode(merged))
        } catch {
            return .error(400, "the patched FR would not decode: \(error)")
        }
        update(decoded, at: Date())
        asGiven[id] = (decoded, merged)
        return .json(served(decoded))
    }

    func voidFR(_ id: Int) -> SandboxReply {
        guard frs[id] != nil else { return .error(404, "fulfillment request \(id) not found") }
        void(id)
        return .json(["id": id])
    }

    /// Creates variants: `[{"sku": "...", "quantity": 0, "cost": 1.5}]`, each with a new id.
    func addVariants(body: Data) -> SandboxReply {
        /// A variant the control plane adds.
        struct NewVariant: Decodable {
            var sku: String
            var quantity: Int?
            var cost: Double?
        }
        let list: [NewVariant]
        do {
            list = try JSONDecoder().decode([NewVariant].self, from: body)
        } catch {
            return .error(
                400, "expected [{\"sku\": ..., \"quantity\": ..., \"cost\": ...}]: \(FRListDecoder.reason(error))")
        }
        var created: [InventoryVariant] = []
        var next = Self.nextVariantId(after: variants)
        for entry in list {
            let id = variants[entry.sku]?.inventoryVariantId ?? next
            next = max(next, id + 1)
            let variant = InventoryVariant(
                inventoryVariantId: id, sku: entry.sku, quantity: entry.quantity ?? 0, cost: entry.cost)
            variants[entry.sku] = variant
            created.append(variant)
        }
        return .json(created, status: 201)
    }

    /// Every variant, no paging.
    public func allVariants() -> [InventoryVariant] { variants.values.sorted { $0.sku < $1.sku } }

    static func nextVariantId(after variants: [String: InventoryVariant]) -> Int {
        (variants.values.map(\.inventoryVariantId).max() ?? 900_000) + 1
    }
}

/// An FR as a listing serves it: encoded from the model, or JSON kept as given or broken.
enum ServedFR: Encodable {
    case fr(FulfillmentRequest)
    case value(JSONValue)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .fr(let fr): try fr.encode(to: encoder)
        case .value(let value): try value.encode(to: encoder)
        }
    }
}
