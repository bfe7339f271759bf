/// Reads the stock CSV (`sku`, `on_hand`, optional `location`, `cost`): all rows or none.
public enum StockCSV {
    /// The location of rows without a `location` column or value.
    public static let defaultLocation = "default"

    /// Every problem is collected, each with its line, so one run shows them all.
    public static let maxOnHand = 1_000_000_000

    /// More bad lines than this and the file is not what it claims to be: reading stops.
    public static let maxErrors = 100

    /// Stock levels from a CSV text (`sku,on_hand,location[,cost]`), or every bad line named.
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
        let columns: [String: Int]
        do {
            columns = try CSV.columns(header)
        } catch {
            return .failure(CSVErrors([error]))
        }
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
            if let problem = CSV.shapeProblem(row, header: header) {
                errors.append(problem)
                continue
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
                switch Self.cost(costText) {
                case .success(let value): cost = value
                case .failure(let problem):
                    errors.append(CSVLineError(line: row.line, message: "cost for \(sku) \(problem)"))
                    continue
                }
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
