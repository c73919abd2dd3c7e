import AgoraScreen
import AgoraTestSupport
import Testing

/// Checks a buffer against expected rows; a failure prints both screens row by row.
func expectScreen(_ buffer: Buffer, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let diff = screenDiff(expected: expected, buffer: buffer)
    #expect(diff == nil, Comment(rawValue: diff ?? ""), sourceLocation: sourceLocation)
}

/// Every continuation cell sits right of a wide glyph, and every wide glyph has its continuation.
func expectWellFormed(_ b: Buffer, sourceLocation: SourceLocation = #_sourceLocation) {
    for y in 0..<b.size.height {
        for x in 0..<b.size.width {
            let cell = b[x, y]
            if cell.isContinuation {
                #expect(x > 0 && DisplayWidth.of(b[x - 1, y].text) == 2, "orphan continuation at \(x),\(y)", sourceLocation: sourceLocation)
            } else if DisplayWidth.of(cell.text) == 2 {
                #expect(x + 1 < b.size.width && b[x + 1, y].isContinuation, "wide glyph without continuation at \(x),\(y)", sourceLocation: sourceLocation)
            }
        }
    }
}
