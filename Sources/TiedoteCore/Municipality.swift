/// Where an event happens: one of the 22 municipalities of Keski-Suomi, or online.
///
/// Kuhmoinen moved to Pirkanmaa in 2021 and is not on the list.
public enum Municipality: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case hankasalmi = "Hankasalmi"
    case joutsa = "Joutsa"
    case jyvaskyla = "Jyväskylä"
    case jamsa = "Jämsä"
    case kannonkoski = "Kannonkoski"
    case karstula = "Karstula"
    case keuruu = "Keuruu"
    case kinnula = "Kinnula"
    case kivijarvi = "Kivijärvi"
    case konnevesi = "Konnevesi"
    case kyyjarvi = "Kyyjärvi"
    case laukaa = "Laukaa"
    case luhanka = "Luhanka"
    case multia = "Multia"
    case muurame = "Muurame"
    case petajavesi = "Petäjävesi"
    case pihtipudas = "Pihtipudas"
    case saarijarvi = "Saarijärvi"
    case toivakka = "Toivakka"
    case uurainen = "Uurainen"
    case viitasaari = "Viitasaari"
    case aanekoski = "Äänekoski"
    /// An online event ("verkossa").
    case online = "verkossa"

    /// The 22 municipalities of Keski-Suomi, without `online`, in Finnish alphabetical order.
    public static let keskiSuomi: [Municipality] = allCases.filter { $0 != .online }

    /// Finds a municipality by name, ignoring case and surrounding space.
    public init?(name: some StringProtocol) {
        let trimmed = name.trimmingSpaces
        // The name as listed, byte for byte, is found without lower-casing or comparing
        // canonical forms; any other spelling is looked up as it always was.
        guard let match = Municipality.byName[Array(trimmed.utf8)] ?? Municipality.byLowercasedName[trimmed.lowercased()]
        else { return nil }
        self = match
    }

    /// Every case by the bytes of its name.
    private static let byName = Dictionary(uniqueKeysWithValues: allCases.map { (Array($0.rawValue.utf8), $0) })

    /// Every case by its lower-cased name (string keys compare as `==` does: canonically).
    private static let byLowercasedName = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.rawValue.lowercased(), $0) })

    /// The Finnish name.
    public var description: String { rawValue }

    /// True for `verkossa`.
    public var isOnline: Bool { self == .online }
}
