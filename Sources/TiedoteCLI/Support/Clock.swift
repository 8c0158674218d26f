import Foundation
import TiedoteCore

/// The current time, in the forms commands need.
enum Clock {
    /// Seconds since the Unix epoch.
    static func now() -> Int { Int(Date().timeIntervalSince1970) }

    /// The current month in Helsinki.
    static func currentMonth() -> YearMonth { YearMonth(Helsinki.local(at: now()).date) }
}
