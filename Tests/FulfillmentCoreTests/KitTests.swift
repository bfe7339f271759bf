import Foundation
import Testing

@testable import FulfillmentCore

/// Kits: the catalog, the kits file, and a kit line promised from its components.
@Suite("Kits")
struct KitTests {
    static let giftSet = Kit(
        sku: "GIFT", components: [.init(sku: "MUG", quantity: 1), .init(sku: "COASTER", quantity: 2)])

    static func plan(
        _ items: [(String, Int)], _ levels: [(String, String, Int)], kits: [Kit] = [giftSet], safety: Int = 0
    ) throws -> StockPlan {
        StockPlanner.plan(
            Build.fr(items: items),
            ledger: StockLedger(
                levels: levels.map { StockLevel(sku: $0.0, location: $0.1, onHand: $0.2) }, kits: try KitCatalog(kits)),
            policy: StockPolicy(safetyStock: safety, locations: ["dallas", "reno"]))
    }

    @Test("nested kits expand to stocked SKUs with quantities multiplied; a loop is refused naming it")
    func catalog() throws {
        let box = Kit(sku: "BOX", components: [.init(sku: "GIFT", quantity: 2), .init(sku: "MUG", quantity: 1)])
        let catalog = try KitCatalog([Self.giftSet, box])
        #expect(catalog.components(of: "BOX") == [.init(sku: "MUG", quantity: 3), .init(sku: "COASTER", quantity: 4)])
        #expect(catalog.components(of: "MUG") == nil && catalog.isKit("GIFT"))
        #expect(catalog.buildable("GIFT") { ["MUG": 5, "COASTER": 7][$0] ?? 0 } == 3)
        #expect(catalog.buildable("GIFT") { ["MUG": 5][$0] ?? 0 } == 0)
        let a = Kit(sku: "A", components: [.init(sku: "B", quantity: 1)])
        let b = Kit(sku: "B", components: [.init(sku: "C", quantity: 1)])
        let c = Kit(sku: "C", components: [.init(sku: "A", quantity: 1)])
        #expect(throws: KitCatalog.Problem(kit: "A", description: "kit A contains itself: A → B → C → A")) {
            try KitCatalog([a, b, c])
        }
        // Nesting multiplies; past the bound it is refused, never an overflow.
        let deep = (0..<4).map { Kit(sku: "K\($0)", components: [.init(sku: "K\($0 + 1)", quantity: 10_000)]) }
        #expect(throws: KitCatalog.Problem.self) { try KitCatalog(deep) }
    }

    @Test("a kits file: all kits or none, each bad line named, a loop named at its kit's first line")
    func kitsFile() throws {
        let good = "kit_sku,component_sku,quantity\nGIFT,MUG,1\nGIFT,COASTER,2\nBOX,GIFT,2\n"
        #expect(
            try KitCSV.parse(good).get() == [
                Self.giftSet, Kit(sku: "BOX", components: [.init(sku: "GIFT", quantity: 2)]),
            ])
        let bad =
            "kit_sku,component_sku,quantity\nGIFT,MUG,0\nGIFT,GIFT,1\n,MUG,1\nGIFT,COASTER,x\nGIFT,MUG,1\nGIFT,MUG,2\n"
        guard case .failure(let errors) = KitCSV.parse(bad) else {
            Issue.record("a bad file was accepted")
            return
        }
        #expect(errors.errors.map(\.line) == [2, 3, 4, 5, 7])
        #expect(
            errors.errors[0].message.contains("from 1 to 10000") && errors.errors[1].message.contains("contains itself")
        )
        #expect(errors.errors[4].message == "MUG in kit GIFT appears again (first on line 6)")
        let loop = "kit_sku,component_sku,quantity\nA,X,1\nA,B,1\nB,A,1\n"
        guard case .failure(let looped) = KitCSV.parse(loop) else {
            Issue.record("a loop was accepted")
            return
        }
        #expect(looped.errors.map(\.line) == [2] && looped.errors[0].message == "kit A contains itself: A → B → A")
        guard case .failure(let header) = KitCSV.parse("kit,component\nGIFT,MUG\n") else {
            Issue.record("a file without the columns was accepted")
            return
        }
        #expect(header.errors[0].message.contains("missing column 'kit_sku'"))
    }

    @Test("a kit line is covered when every component is; the short one limits and is named")
    func shortComponent() throws {
        let p = try Self.plan([("GIFT", 3)], [("MUG", "dallas", 5), ("COASTER", "dallas", 5)])
        let line = p.lines[0]
        #expect(line.available == 2 && line.promised == 2 && !p.facts.coversAll && p.facts.missingUnits == 1)
        #expect(line.components?.map(\.available) == [5, 2] && line.components?.map(\.promised) == [2, 4])
        #expect(line.limitingComponent?.sku == "COASTER")
        #expect(
            line.shelfUnits.map { "\($0.allocation.quantity) \($0.sku)@\($0.allocation.location)" } == [
                "2 MUG@dallas", "4 COASTER@dallas",
            ])
        #expect(try Self.plan([("GIFT", 1)], [("MUG", "dallas", 5)]).facts.coversAny == false)
    }

    @Test("a component shared by two kits and a single item is promised once, line by line in order")
    func sharedComponent() throws {
        let tray = Kit(sku: "TRAY", components: [.init(sku: "COASTER", quantity: 4)])
        let levels = [("MUG", "dallas", 10), ("COASTER", "dallas", 3), ("COASTER", "reno", 7)]
        let p = try Self.plan([("GIFT", 2), ("COASTER", 3), ("TRAY", 1)], levels, kits: [Self.giftSet, tray])
        // 10 coasters: the gift sets take 4, the single line 3, leaving 3 for a tray of 4.
        #expect(p.lines.map(\.promised) == [2, 3, 0] && p.lines.map(\.available) == [5, 6, 0])
        #expect(p.lines[2].limitingComponent?.sku == "COASTER")
        let coasters = p.lines.flatMap(\.shelfUnits).filter { $0.sku == "COASTER" }.map(\.allocation.quantity)
        #expect(coasters.reduce(0, +) == 7)
        // Safety stock is held back from the component, as from any SKU.
        #expect(
            try Self.plan([("GIFT", 1)], [("MUG", "dallas", 1), ("COASTER", "dallas", 2)], safety: 1).lines[0].promised
                == 0)
    }

    @Test("a decision for a kit reserves its components; explain names them and the limiting one")
    func decision() throws {
        let rules = try Build.single("stock.covers_any")
        var ledger = StockLedger(
            levels: [
                StockLevel(sku: "MUG", location: "dallas", onHand: 1),
                StockLevel(sku: "COASTER", location: "dallas", onHand: 9),
            ], kits: try KitCatalog([Self.giftSet]))
        let decision = Decider.decide(Build.fr(items: [("GIFT", 2)]), ruleSet: rules, ledger: &ledger, now: Build.now)
        #expect(decision.decision == .acknowledge)
        // One kit on the shelf, the second backordered as its components.
        let reserved = decision.reservations.map { "\($0.quantity) \($0.sku)\($0.backordered ? " backordered" : "")" }
        #expect(reserved == ["1 MUG", "2 COASTER", "1 MUG backordered", "2 COASTER backordered"])
        #expect(
            ledger.free(sku: "COASTER", location: "dallas") == 5 && ledger.free(sku: "MUG", location: "dallas") == 0)
        let text = DecisionText.explain(decision, zone: TimeZone(identifier: "America/Chicago")!)
        #expect(
            text.contains(
                "GIFT 1/2 kits (available 1; each 1 × MUG from 1@dallas (enough for 1), 2 × COASTER from 2@dallas (enough for 4); limited by MUG)"
            ), "\(text)")
        // The log's direct writer gives the stable encoder's text, and it reads back.
        var writer = JSONText()
        writer.write(decision.stockPlan)
        #expect(writer.text == String(decoding: try StableJSON.encoder().encode(decision.stockPlan), as: UTF8.self))
        #expect(try JSONDecoder().decode(StockPlan.self, from: Data(writer.text.utf8)) == decision.stockPlan)
        // A plan without kits is written as before kits: no `components` key, so old logs replay alike.
        var plain = JSONText()
        plain.write(try Self.plan([("MUG", 1)], [("MUG", "dallas", 1)]))
        #expect(!plain.text.contains("components") && plain.text.contains("\"allocations\""))
    }

    @Test("replay decides a kit line again from the logged components and figures, whatever the kits file says now")
    func replay() throws {
        let rules = try Build.single("stock.covers_all")
        var ledger = StockLedger(
            levels: [
                StockLevel(sku: "MUG", location: "dallas", onHand: 3),
                StockLevel(sku: "COASTER", location: "reno", onHand: 4),
            ], kits: try KitCatalog([Self.giftSet]))
        let fr = Build.fr(items: [("GIFT", 2)])
        let decided = DecisionCycle.decide([fr], ruleSet: rules, ledger: &ledger, now: Build.now).decisions[0]
        #expect(decided.decision == .acknowledge)
        // The figures name the components, not the kit, which has no stock of its own.
        #expect(Set(decided.stockFigures.keys) == ["MUG", "COASTER"])
        let logged = ReplayOutcome(decided)
        let input = ReplayInput(
            fr: fr, now: Build.now, heldSince: nil, stockFigures: decided.stockFigures,
            kits: decided.stockPlan.kitsUsed, logged: logged)
        #expect(ReplayOutcome(Replay.redecide(input, ruleSet: rules)) == logged)
        // Without the kits the same FR is a SKU nobody stocks: replay would not reproduce it.
        var bare = input
        bare.kits = []
        #expect(Replay.redecide(bare, ruleSet: rules).decision != .acknowledge)
    }
}
