/// Reads a kits file (`kit_sku,component_sku,quantity`, one row per component): all kits or
/// none, every bad line named, and a kit that contains itself refused at its first line.
public enum KitCSV {
    /// Most units of one component per kit a row may give.
    public static let maxQuantity = 10_000

    /// The kits of the file, in the order their first rows appear, or every bad line named.
    public static func parse(_ text: String) -> Result<[Kit], CSVErrors> { parse(CSVRowReader(text: text)) }

    /// Reads the rows as they come, stopping after `StockCSV.maxErrors` bad lines.
    public static func parse(_ rows: some Sequence<Result<CSVRow, CSVLineError>>) -> Result<[Kit], CSVErrors> {
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
        let missing = ["kit_sku", "component_sku", "quantity"].filter { columns[$0] == nil }
        guard missing.isEmpty else {
            return .failure(
                CSVErrors([
                    CSVLineError(
                        line: header.line,
                        message: "missing column \(missing.map { "'\($0)'" }.joined(separator: " and ")); "
                            + "expected kit_sku,component_sku,quantity")
                ]))
        }
        var errors: [CSVLineError] = []
        var kits: [Kit] = []
        var kitIndex: [String: Int] = [:]
        var firstLine: [String: Int] = [:]
        var kitLine: [String: Int] = [:]
        while let next = rows.next() {
            let row: CSVRow
            switch next {
            case .success(let value): row = value
            case .failure(let error):
                errors.append(error)
                continue
            }
            guard errors.count < StockCSV.maxErrors else {
                errors.append(
                    CSVLineError(line: row.line, message: "stopped reading after \(StockCSV.maxErrors) bad lines"))
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
            guard let kit = field("kit_sku") else {
                errors.append(CSVLineError(line: row.line, message: "kit_sku is empty"))
                continue
            }
            guard let component = field("component_sku") else {
                errors.append(CSVLineError(line: row.line, message: "component_sku of kit \(kit) is empty"))
                continue
            }
            guard component != kit else {
                errors.append(CSVLineError(line: row.line, message: "kit \(kit) contains itself"))
                continue
            }
            guard let text = field("quantity"), let quantity = Int(text), (1...Self.maxQuantity).contains(quantity)
            else {
                errors.append(
                    CSVLineError(
                        line: row.line,
                        message: "quantity of \(component) in kit \(kit) must be a whole number from 1 to "
                            + "\(Self.maxQuantity), got '\(field("quantity") ?? "")'"))
                continue
            }
            let key = kit + "\u{0}" + component
            if let first = firstLine[key] {
                errors.append(
                    CSVLineError(
                        line: row.line, message: "\(component) in kit \(kit) appears again (first on line \(first))"))
                continue
            }
            firstLine[key] = row.line
            if let index = kitIndex[kit] {
                kits[index].components.append(Kit.Component(sku: component, quantity: quantity))
            } else {
                kitIndex[kit] = kits.count
                kitLine[kit] = row.line
                kits.append(Kit(sku: kit, components: [Kit.Component(sku: component, quantity: quantity)]))
            }
        }
        guard errors.isEmpty else { return .failure(CSVErrors(errors)) }
        do {
            _ = try KitCatalog(kits)
        } catch {
            return .failure(CSVErrors([CSVLineError(line: kitLine[error.kit] ?? 1, message: error.description)]))
        }
        return .success(kits)
    }
}
