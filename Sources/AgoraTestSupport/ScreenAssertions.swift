import AgoraScreen

/// Compares expected screen rows with actual ones. Returns nil when they match, otherwise a
/// readable report: both screens with each row quoted (so trailing spaces show) and the rows that
/// differ marked. Expected rows shorter than the actual ones are padded with spaces, so trailing
/// blanks may be left out; anything longer, or extra/missing rows, is a mismatch.
public func screenDiff(expected: [String], actual: [String]) -> String? {
    let width = actual.map { DisplayWidth.of($0) }.max() ?? 0
    let padded = expected.map { row -> String in
        let w = DisplayWidth.of(row)
        return w < width ? row + String(repeating: " ", count: width - w) : row
    }
    if padded == actual { return nil }
    let rows = max(padded.count, actual.count)
    var report = "screen mismatch (expected \(expected.count) rows, got \(actual.count)):\n"
    let numberWidth = String(rows).count
    func label(_ i: Int) -> String {
        let n = String(i)
        return String(repeating: " ", count: numberWidth - n.count) + n
    }
    report += "expected:\n"
    for i in 0..<padded.count {
        let mark = i < actual.count && actual[i] == padded[i] ? " " : ">"
        report += "\(mark)\(label(i)) \"\(padded[i])\"\n"
    }
    report += "actual:\n"
    for i in 0..<actual.count {
        let mark = i < padded.count && actual[i] == padded[i] ? " " : ">"
        report += "\(mark)\(label(i)) \"\(actual[i])\"\n"
    }
    if let first = (0..<rows).first(where: { i in i >= padded.count || i >= actual.count || padded[i] != actual[i] }),
       first < padded.count, first < actual.count {
        let e = Array(padded[first]), a = Array(actual[first])
        let col = zip(e, a).prefix(while: { $0 == $1 }).reduce(0) { $0 + DisplayWidth.of($1.0) }
        report += "first difference: row \(first), column \(col)\n"
    }
    return report
}

/// Convenience for a whole terminal.
public func screenDiff(expected: [String], terminal: MemoryTerminal) -> String? {
    screenDiff(expected: expected, actual: terminal.screen)
}

/// Convenience for a buffer.
public func screenDiff(expected: [String], buffer: Buffer) -> String? {
    screenDiff(expected: expected, actual: buffer.lines)
}
