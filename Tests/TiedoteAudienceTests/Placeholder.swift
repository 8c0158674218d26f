import Testing
@testable import TiedoteAudience
