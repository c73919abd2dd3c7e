import Testing
@testable import AgoraCore

@Suite struct CSVTableTests {
    @Test func plainRowsWithLineNumbers() throws {
        let r = try CSVTable.parse("login,name\nana,Ana Lima\nbo,Bo\n")
        #expect(r == [.init(line: 1, fields: ["login", "name"]), .init(line: 2, fields: ["ana", "Ana Lima"]),
                      .init(line: 3, fields: ["bo", "Bo"])])
    }

    @Test func quotedFieldsKeepCommasAndDoubledQuotes() throws {
        let r = try CSVTable.parse("a,b,c\n\"Lima, Ana\",\"she said \"\"hi\"\"\",\"\"\n")
        #expect(r[1].fields == ["Lima, Ana", "she said \"hi\"", ""])
    }

    @Test func embeddedNewlinesKeepLaterLineNumbersTrue() throws {
        let r = try CSVTable.parse("login,goals\nana,\"learn\nSwift\nand SQL\"\nbo,x\n")
        #expect(r.map(\.line) == [1, 2, 5])
        #expect(r[1].fields == ["ana", "learn\nSwift\nand SQL"])
        #expect(r[2].fields == ["bo", "x"])
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let r = try CSVTable.parse("\u{FEFF}login,name\nana,Ana\n")
        #expect(r[0].fields == ["login", "name"])
    }

    @Test func crlfLineEnds() throws {
        let r = try CSVTable.parse("login,name\r\nana,Ana\r\nbo,\"B\r\nO\"\r\ncy,Cy")
        #expect(r.map(\.fields) == [["login", "name"], ["ana", "Ana"], ["bo", "B\r\nO"], ["cy", "Cy"]])
        #expect(r.map(\.line) == [1, 2, 3, 5])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let r = try CSVTable.parse("a\n\n\nb\n")
        #expect(r == [.init(line: 1, fields: ["a"]), .init(line: 4, fields: ["b"])])
    }

    @Test func unclosedQuoteSaysWhereItStarted() {
        let e = #expect(throws: AgoraError.self) { try CSVTable.parse("a,b\nx,\"never\nclosed\n") }
        #expect(e?.message == "line 2: a quoted field is never closed")
    }
}
