/// Reads the stock CSV (`sku`, `on_hand`, optional `location`, `cost`): all rows or none.
public enum StockCSV {
    /// The location of rows without a `location` column or value.
    public static let defaultLocation = "default"

    /// Every problem is collected, each with its line, so one run shows them all.
    public static let maxOnHand = 1_000_000_000

    /// More bad lines than this and the file is not what it claims to be: reading stops.
    public static let maxErrors = 100

    public static func parse(_ text: String) -> Result<[StockLevel], CSVErrors> { parse(CSVRowReader(text: text)) }

    /// Reads the rows as they come, so a huge file of garbage is refused after its header or
    /// its first hundred bad lines, never held in memory.
    public static func parse(_ rows: some Sequence<Result<CSVRow, CSVLineError>>) -> Result<[StockLevel], CSVErrors> {
        var rows = rows.makeIterator()
        let header: CSVRow
        switch rows.next() {
        case .success(let row)?: header = row
        case .failure(let error)?: return .failure(CSVErrors([error]))
        case nil: return .failure(CSVErrors([CSVLineError(line: 1, message: "the file is empty")]))
        }
        let columns = CSV.columns(header)
        let missing = ["sku", "on_hand"].filter { columns[$0] == nil }
        guard missing.isEmpty else {
            return .failure(
                CSVErrors([
                    CSVLineError(
                        line: header.line,
                        message: "missing column \(missing.map { "'\($0)'" }.joined(separator: " and ")); "
                            + "expected sku,on_hand[,location][,cost]")
                ]))
        }
        var errors: [CSVLineError] = []
        var levels: [StockLevel] = []
        var firstLine: [String: Int] = [:]
        while let next = rows.next() {
            let row: CSVRow
            switch next {
            case .success(let value): row = value
            case .failure(let error):
                errors.append(error)
                continue
            }
            guard errors.count < Self.maxErrors else {
                errors.append(CSVLineError(line: row.line, message: "stopped reading after \(maxErrors) bad lines"))
                break
            }
            func field(_ name: String) -> String? {
                guard let index = columns[name], index < row.fields.count else { return nil }
                return row.fields[index].trimmedNonEmpty
            }
            guard let sku = field("sku") else {
                errors.append(CSVLineError(line: row.line, message: "sku is empty"))
                continue
            }
            let location = field("location") ?? defaultLocation
            guard let onHandText = field("on_hand"), let onHand = Int(onHandText), onHand >= 0 else {
                errors.append(
                    CSVLineError(
                        line: row.line,
                        message:
                            "on_hand for \(sku) must be a whole number of at least 0, got '\(field("on_hand") ?? "")'"))
                continue
            }
            // Far above any shelf, and low enough that sums over SKUs and locations cannot overflow.
            guard onHand <= Self.maxOnHand else {
                errors.append(
                    CSVLineError(line: row.line, message: "on_hand for \(sku) is above 1,000,000,000, got \(onHand)"))
                continue
            }
            var cost: Double?
            if let costText = field("cost") {
                guard let value = Double(costText), value >= 0, value.isFinite else {
                    errors.append(
                        CSVLineError(line: row.line, message: "cost for \(sku) must be a number, got '\(costText)'"))
                    continue
                }
                cost = value
            }
            let key = sku + "\u{0}" + location
            if let first = firstLine[key] {
                errors.append(
                    CSVLineError(
                        line: row.line, message: "\(sku) at \(location) appears again (first on line \(first))"))
                continue
            }
            firstLine[key] = row.line
            levels.append(StockLevel(sku: sku, location: location, onHand: onHand, cost: cost))
        }
        return errors.isEmpty ? .success(levels) : .failure(CSVErrors(errors))
    }
}
