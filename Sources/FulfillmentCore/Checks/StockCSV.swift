/// Reads the stock CSV (`sku`, `on_hand`, optional `location`, `cost`): all rows or none.
public enum StockCSV {
    /// The location of rows without a `location` column or value.
    public static let defaultLocation = "default"

    /// Most units one row may give: far above any shelf, low enough that sums cannot overflow.
    public static let maxOnHand = 1_000_000_000

    /// More bad lines than this and the file is not what it claims to be: reading stops.
    public static let maxErrors = 100

    /// Stock levels from a CSV text (`sku,on_hand,location[,cost]`), or every bad line named.
    public static func parse(_ text: String) -> Result<[StockLevel], CSVErrors> { parse(CSVRowReader(text: text)) }

    /// Reads the rows as they come, so a huge file of garbage is refused after its header or
    /// its first hundred bad lines, never held in memory.
    public static func parse(_ rows: some Sequence<Result<CSVRow, CSVLineError>>) -> Result<[StockLevel], CSVErrors> {
        var levels: [StockLevel] = []
        var firstLine: [String: Int] = [:]
        let errors = CSV.readTable(
            rows, required: ["sku", "on_hand"], expected: "sku,on_hand[,location][,cost]", maxErrors: maxErrors
        ) { line, field in
            guard let sku = field("sku") else { return CSVLineError(line: line, message: "sku is empty") }
            let location = field("location") ?? defaultLocation
            guard let onHandText = field("on_hand"), let onHand = Int(onHandText), onHand >= 0 else {
                return CSVLineError(
                    line: line,
                    message: "on_hand for \(sku) must be a whole number of at least 0, got '\(field("on_hand") ?? "")'")
            }
            // Far above any shelf, and low enough that sums over SKUs and locations cannot overflow.
            guard onHand <= Self.maxOnHand else {
                return CSVLineError(line: line, message: "on_hand for \(sku) is above 1,000,000,000, got \(onHand)")
            }
            var cost: Double?
            if let costText = field("cost") {
                switch Self.cost(costText) {
                case .success(let value): cost = value
                case .failure(let problem): return CSVLineError(line: line, message: "cost for \(sku) \(problem)")
                }
            }
            let key = sku + "\u{0}" + location
            if let first = firstLine[key] {
                return CSVLineError(line: line, message: "\(sku) at \(location) appears again (first on line \(first))")
            }
            firstLine[key] = line
            levels.append(StockLevel(sku: sku, location: location, onHand: onHand, cost: cost))
            return nil
        }
        return errors.map { .failure($0) } ?? .success(levels)
    }

    /// A cost as a plain decimal (`4.25`, `12`): `Double` alone would also take `0x1p3`,
    /// `1e3`, `inf` and `nan`, which no warehouse export means.
    static func cost(_ text: String) -> Result<Double, CostProblem> {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let digits = { (part: Substring) in !part.isEmpty && part.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard parts.count <= 2, digits(parts[0]), parts.count == 1 || digits(parts[1]), body.utf8.count <= 30,
            let value = Double(text)
        else { return .failure(CostProblem("must be a plain decimal number such as 4.25, got '\(text.prefix(40))'")) }
        guard value >= 0 else { return .failure(CostProblem("must not be negative, got \(text)")) }
        return .success(value)
    }

    /// Why a cost cell is refused.
    struct CostProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
