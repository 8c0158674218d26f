import Crypto
import Foundation
import TiedoteCore

/// Unsubscribe links and their handling, with the signing secret `tiedote.yml` names.
public struct Unsubscribe: Sendable {
    /// The unsubscribe settings.
    public var settings: Settings.Unsubscribe
    /// The token-signing secret.
    public var secret: Secret {
        didSet { signer = UnsubscribeToken.signer(secret) }
    }
    /// The MAC keyed with the secret, copied for each token.
    private var signer: HMAC<SHA256>

    /// Creates an unsubscriber from settings and a secret already read.
    public init(settings: Settings.Unsubscribe, secret: Secret) {
        self.settings = settings
        self.secret = secret
        signer = UnsubscribeToken.signer(secret)
    }

    /// Reads the secret from the environment variable or file that `tiedote.yml` names;
    /// throws a diagnostic that says what to set when there is none or it is too short.
    public init(workspace: Workspace, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let unsubscribe = workspace.settings.unsubscribe
        guard let secret = try Self.secret(workspace: workspace, environment: environment) else {
            let places = [unsubscribe.secretEnv.map { "the environment variable \($0)" },
                          unsubscribe.secretFile.map { "the file \($0)" }].compactMap { $0 }
            let hint = places.isEmpty
                ? "name an environment variable (secret_env) or a file (secret_file) under unsubscribe: in tiedote.yml, and "
                    + Secret.howToMakeOne
                : "set " + places.joined(separator: " or ") + " to a long random text: " + Secret.howToMakeOne
            throw Diagnostic.error(
                workspace.settings.position(of: "unsubscribe"), "no unsubscribe signing secret: \(hint)")
        }
        self.init(settings: unsubscribe, secret: secret)
    }

    /// The signing secret `tiedote.yml` names; nil when there is none. Throws a diagnostic at
    /// the setting that names it when the secret is too short to sign with.
    public static func secret(
        workspace: Workspace, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Secret? {
        let unsubscribe = workspace.settings.unsubscribe
        let secret = try Secret.read(
            env: unsubscribe.secretEnv, file: unsubscribe.secretFile, workspace: workspace.root,
            environment: environment)
        guard let secret else { return nil }
        if let problem = secret.signingProblem {
            let setting = if case .environment = secret.origin { "unsubscribe.secret_env" } else { "unsubscribe.secret_file" }
            throw Diagnostic.error(workspace.settings.position(of: setting), "unsubscribe: \(problem)")
        }
        return secret
    }

    /// The token every link of a preview carries in place of a signed one: a preview made
    /// without a usable secret says so wherever its links show, and the token verifies for nobody.
    public static let previewToken = "ESIKATSELU-EI-VOIMASSA"

    /// Links for a preview without a usable secret: every token is `previewToken`.
    public static func preview(settings: Settings.Unsubscribe) -> Unsubscribe {
        var unsubscribe = Unsubscribe(settings: settings, secret: Secret(previewToken))
        unsubscribe.isPreview = true
        return unsubscribe
    }

    /// True for `preview(settings:)`: its links are placeholders, never to be sent.
    public private(set) var isPreview = false

    /// The signed token for `address` on `list`.
    public func token(list: String, address: String) -> String {
        isPreview ? Self.previewToken : UnsubscribeToken(list: list, address: address).encoded(signer: signer)
    }

    /// A recipient's two ways out: the https link and the mailto, from one signed token.
    public struct Links: Sendable, Hashable {
        /// `unsubscribe.url` with the token; nil when no URL is set.
        public var url: String?
        /// `mailto:` with the token as the subject; nil when no address is set.
        public var mailto: String?
    }

    /// Both links for `subscriber` on `list`, signing once.
    public func links(for subscriber: Subscriber, list: String) -> Links {
        guard settings.url != nil || settings.mailto != nil else { return Links() }
        let token = token(list: list, address: subscriber.email)
        return Links(
            url: settings.url.map { Self.fill($0, token: token) },
            mailto: settings.mailto.map { Self.mailto($0, token: token) })
    }

    /// The `mailto:` link to `address` with `token` as the subject.
    public static func mailto(_ address: String, token: String) -> String {
        "mailto:\(address)?subject=unsubscribe%20\(token)"
    }

    /// `unsubscribe.url` with `{token}` filled in for `subscriber` on `list`; nil when no URL is set.
    public func unsubscribeURL(for subscriber: Subscriber, list: String) -> String? {
        links(for: subscriber, list: list).url
    }

    /// `template` with every `{token}` replaced: a byte scan (the marker is ASCII, so it never
    /// matches inside a multi-byte character), since this runs once per recipient of a send and
    /// Foundation's `replacingOccurrences` costs more than the rest of the link.
    static func fill(_ template: String, token: String) -> String {
        let marker = Array("{token}".utf8)
        let bytes = Array(template.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + token.utf8.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == marker[0], index + marker.count <= bytes.count,
                bytes[index..<index + marker.count].elementsEqual(marker)
            {
                out.append(contentsOf: token.utf8)
                index += marker.count
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `mailto:` for List-Unsubscribe, with the token as the subject; nil when no address is set.
    public func unsubscribeMailto(for subscriber: Subscriber, list: String) -> String? {
        links(for: subscriber, list: list).mailto
    }

    /// The list and address in `token`, when it verifies.
    public func verify(_ token: String) throws -> UnsubscribeToken {
        try UnsubscribeToken.verify(token, secret: secret)
    }
}

extension Workspace {
    /// Records that `address` unsubscribed (or bounced, or complained): appends to
    /// `Lists/suppressed.csv` unless it is already there. Returns false when it already was.
    @discardableResult
    public func suppress(_ address: String, reason: Suppression.Reason, at date: Date = Date()) throws -> Bool {
        if let problem = EmailAddress.validate(address) {
            throw Diagnostic.error(nil, "'\(address)' is not an address: \(problem)")
        }
        if try suppressions().contains(address) { return false }
        try appendSuppression(Suppression(email: address, reason: reason, at: Timestamp.iso8601UTC(date)))
        return true
    }
}
