import Testing

@testable import SourceAgentConsole

@Suite("a rule file's versions as a line diff")
struct LineDiffTests {
    func marks(_ old: String, _ new: String, context: Int = 1) -> [String] {
        LineDiff.lines(old, new, context: context).map { $0.kind.rawValue + $0.text }
    }

    @Test("changed lines with their context; unchanged runs become a gap; the same text, nothing")
    func diff() {
        let old = "a\nb\nc\nd\ne\nf\ng"
        #expect(marks(old, old).isEmpty)
        #expect(marks(old, "a\nb\nC\nd\ne\nf\ng") == ["…", " b", "-c", "+C", " d", "…"])
        #expect(marks(old, "a\nb\nc\nd\ne\nf\ng\nh") == ["…", " g", "+h"])
        #expect(marks(old, "b\nc\nd\ne\nf\ng") == ["-a", " b", "…"])
        #expect(marks("", "x") == ["-", "+x"])
    }

    @Test("texts too long to compare line by line are shown replaced whole")
    func large() {
        let old = (0..<3000).map { "line \($0)" }.joined(separator: "\n")
        let new = (0..<3000).map { "line \($0 + 1)" }.joined(separator: "\n")
        let lines = LineDiff.lines(old, new)
        #expect(lines.filter { $0.kind == .removed }.count == 3000 && lines.filter { $0.kind == .added }.count == 3000)
    }
}
