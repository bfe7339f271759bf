import Foundation

/// Units of a SKU on their way to a location (a purchase order, a transfer), expected at a
/// time: never promised as on hand, only by a rule that says `from: inbound`.
public struct InboundStock: Sendable, Equatable, Codable {
    /// The SKU coming in.
    public var sku: String
    /// Where it will land.
    public var location: String
    /// Units expected.
    public var quantity: Int
    /// When they are expected to land (receiving then takes the location's handling days).
    public var expectedAt: Date

    /// An `InboundStock` from its parts.
    public init(sku: String, location: String, quantity: Int, expectedAt: Date) {
        self.sku = sku
        self.location = location
        self.quantity = quantity
        self.expectedAt = expectedAt
    }
}

/// Reads the inbound CSV (`sku`, `quantity`, `expected_at`, optional `location`): all rows or none.
public enum InboundCSV {
    /// Inbound rows from a CSV text, or every bad line named.
    public static func parse(_ text: String) -> Result<[InboundStock], CSVErrors> { parse(CSVRowReader(text: text)) }

    /// Reads the rows as they come, stopping after `StockCSV.maxErrors` bad lines. Several
    /// rows for one SKU and location are several arrivals.
    public static func parse(_ rows: some Sequence<Result<CSVRow, CSVLineError>>) -> Result<[InboundStock], CSVErrors> {
        var inbound: [InboundStock] = []
        let errors = CSV.readTable(
            rows, required: ["sku", "quantity", "expected_at"], expected: "sku,quantity,expected_at[,location]",
            maxErrors: StockCSV.maxErrors
        ) { line, field in
            guard let sku = field("sku") else { return CSVLineError(line: line, message: "sku is empty") }
            let location = field("location") ?? StockCSV.defaultLocation
            guard let text = field("quantity"), let quantity = Int(text), (1...StockCSV.maxOnHand).contains(quantity)
            else {
                return CSVLineError(
                    line: line,
                    message: "quantity of \(sku) must be a whole number from 1 to 1,000,000,000, got "
                        + "'\(field("quantity") ?? "")'")
            }
            let when = field("expected_at") ?? ""
            let expected: Date
            do {
                expected = try Timestamp.parseInstant(when)
            } catch {
                return CSVLineError(
                    line: line,
                    message: "expected_at of \(sku) must be a date-time with a zone such as 2026-12-09T10:00:00-06:00, "
                        + "got '\(when.prefix(40))'")
            }
            inbound.append(InboundStock(sku: sku, location: location, quantity: quantity, expectedAt: expected))
            return nil
        }
        return errors.map { .failure($0) } ?? .success(inbound)
    }
}
