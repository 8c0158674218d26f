import Testing
@testable import TiedoteCore
