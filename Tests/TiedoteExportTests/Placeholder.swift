import Testing
@testable import TiedoteExport
