import Foundation
import Testing
import TiedoteCore
@testable import TiedoteAudience

/// `CSV.utf8Survey`: the stray bytes of a mostly-UTF-8 file, by line and column.
struct UTF8SurveyTests {
    @Test func strayBytesInUTF8AreFoundByLineAndColumn() {
        let bytes: [UInt8] = Array("ä;x\r\nab".utf8) + [0xFF] + Array("c\nö".utf8) + [0xC3]
        let survey = CSV.utf8Survey(Data(bytes))
        #expect(survey.multiByte == 2)
        #expect(survey.stray == [
            CSV.StrayByte(line: 2, column: 3, byte: 0xFF), CSV.StrayByte(line: 3, column: 2, byte: 0xC3),
        ])
        #expect(CSV.utf8Survey(Data([0x61, 0xE4, 0x62])).multiByte == 0, "Windows-1252 ä is no UTF-8 character")
    }
}
