/// Reads a kits file (`kit_sku,component_sku,quantity`, one row per component): all kits or
/// none, every bad line named, and a kit that contains itself refused at its first line.
public enum KitCSV {
    /// Most units of one component per kit a row may give.
    public static let maxQuantity = 10_000

    /// The kits of the file, in the order their first rows appear, or every bad line named.
    public static func parse(_ text: String) -> Result<[Kit], CSVErrors> { parse(CSVRowReader(text: text)) }

    /// Reads the rows as they come, stopping after `StockCSV.maxErrors` bad lines.
    public static func parse(_ rows: some Sequence<Result<CSVRow, CSVLineError>>) -> Result<[Kit], CSVErrors> {
        var kits: [Kit] = []
        var kitIndex: [String: Int] = [:]
        var firstLine: [String: Int] = [:]
        var kitLine: [String: Int] = [:]
        let errors = CSV.readTable(
            rows, required: ["kit_sku", "component_sku", "quantity"], expected: "kit_sku,component_sku,quantity",
            maxErrors: StockCSV.maxErrors
        ) { line, field in
            guard let kit = field("kit_sku") else { return CSVLineError(line: line, message: "kit_sku is empty") }
            guard let component = field("component_sku") else {
                return CSVLineError(line: line, message: "component_sku of kit \(kit) is empty")
            }
            guard component != kit else { return CSVLineError(line: line, message: "kit \(kit) contains itself") }
            guard let text = field("quantity"), let quantity = Int(text), (1...Self.maxQuantity).contains(quantity)
            else {
                return CSVLineError(
                    line: line,
                    message: "quantity of \(component) in kit \(kit) must be a whole number from 1 to "
                        + "\(Self.maxQuantity), got '\(field("quantity") ?? "")'")
            }
            let key = kit + "\u{0}" + component
            if let first = firstLine[key] {
                return CSVLineError(
                    line: line, message: "\(component) in kit \(kit) appears again (first on line \(first))")
            }
            firstLine[key] = line
            if let index = kitIndex[kit] {
                kits[index].components.append(Kit.Component(sku: component, quantity: quantity))
            } else {
                kitIndex[kit] = kits.count
                kitLine[kit] = line
                kits.append(Kit(sku: kit, components: [Kit.Component(sku: component, quantity: quantity)]))
            }
            return nil
        }
        if let errors { return .failure(errors) }
        do {
            _ = try KitCatalog(kits)
        } catch {
            return .failure(CSVErrors([CSVLineError(line: kitLine[error.kit] ?? 1, message: error.description)]))
        }
        return .success(kits)
    }
}
