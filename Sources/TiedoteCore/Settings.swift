/// The network's settings from `tiedote.yml`. Holds no secrets: only where to find them.
public struct Settings: Sendable, Hashable, Codable {
    /// Who the network is.
    public struct Network: Sendable, Hashable, Codable {
        /// Display name ("Keski-Suomen tuottajaverkosto").
        public var name: String
        /// The network's domain: Message-IDs, iCalendar UIDs and List-Ids are made from it.
        public var domain: String
        /// The network's web site, when it has one.
        public var website: String?
        /// Creates network settings.
        public init(name: String, domain: String, website: String? = nil) {
            self.name = name
            self.domain = domain
            self.website = website
        }
    }

    /// How strictly TLS is required for SMTP.
    public enum TLSPolicy: String, Sendable, Hashable, Codable, CaseIterable {
        /// TLS or no send (the default); loopback servers are exempt.
        case required
        /// TLS when the server offers it.
        case opportunistic
        /// Never TLS: only for test relays.
        case none
    }

    /// How messages leave the machine.
    public enum Transport: String, Sendable, Hashable, Codable, CaseIterable {
        case smtp
        case outbox
    }

    /// An SMTP relay.
    public struct SMTP: Sendable, Hashable, Codable {
        /// `smtp://host:587` (STARTTLS) or `smtps://host:465`.
        public var url: String
        /// AUTH user name, if the relay wants one.
        public var username: String?
        /// Environment variable holding the password.
        public var passwordEnv: String?
        /// File holding the password (relative to the workspace or absolute).
        public var passwordFile: String?
        /// TLS policy.
        public var tls: TLSPolicy
        /// A CA bundle for private relays.
        public var caFile: String?
        /// How long to wait at each step of the SMTP dialogue.
        public var timeouts: SMTPTimeouts
        /// The relay's name in journals and `status` (`[a-z0-9-]+`); nil names it by its host.
        public var name: String?
        /// This relay's concurrent connections; nil takes `delivery.connections`.
        public var connections: Int?
        /// This relay's own messages per minute; nil for no limit of its own.
        public var ratePerMinute: Int?
        /// QUIT and reconnect after this many messages on one connection; nil for no limit.
        public var messagesPerConnection: Int?

        /// Creates SMTP settings.
        public init(
            url: String, username: String? = nil, passwordEnv: String? = nil, passwordFile: String? = nil,
            tls: TLSPolicy = .required, caFile: String? = nil, timeouts: SMTPTimeouts = SMTPTimeouts(),
            name: String? = nil, connections: Int? = nil, ratePerMinute: Int? = nil, messagesPerConnection: Int? = nil
        ) {
            self.url = url
            self.username = username
            self.passwordEnv = passwordEnv
            self.passwordFile = passwordFile
            self.tls = tls
            self.caFile = caFile
            self.timeouts = timeouts
            self.name = name
            self.connections = connections
            self.ratePerMinute = ratePerMinute
            self.messagesPerConnection = messagesPerConnection
        }

        /// The name journals and `status` use: `name`, else the URL's host, else the URL.
        public var displayName: String { name ?? Self.host(of: url) ?? url }

        /// The host part of an `smtp://` or `smtps://` URL (`smtp.example.fi`, `127.0.0.1`, `::1`).
        public static func host(of url: String) -> String? {
            guard let schemeEnd = url.range(of: "://") else { return nil }
            var rest = url[schemeEnd.upperBound...]
            if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                return String(rest[rest.index(after: rest.startIndex)..<close])
            }
            if let colon = rest.firstIndex(of: ":") { rest = rest[..<colon] }
            return rest.isEmpty ? nil : String(rest)
        }
    }

    /// Delivery defaults for `send`.
    public struct Delivery: Sendable, Hashable, Codable {
        /// Default transport: `smtp` when a relay is configured, else `outbox`.
        public var transport: Transport
        /// The configured relays in order (`delivery.relays`, or the one `delivery.smtp`).
        public var relays: [SMTP]
        /// Parallel SMTP connections: the whole send's default, for a relay without its own.
        public var connections: Int
        /// Messages per minute at most, all relays together; nil for no limit.
        public var ratePerMinute: Int?
        /// The parallel connections a send may open (`--connections` has the same bounds).
        public static let connectionRange = 1...32
        /// The VERP base address (`bounces@DOMAIN`): each message's envelope sender becomes
        /// `bounces+TOKEN@DOMAIN`; nil keeps the coordinator's address.
        public var returnPath: String?

        /// The first relay, for callers that know one; setting it makes it the only relay.
        public var smtp: SMTP? {
            get { relays.first }
            set { relays = newValue.map { [$0] } ?? [] }
        }

        /// Creates delivery settings.
        public init(
            transport: Transport = .outbox, smtp: SMTP? = nil, connections: Int = 1, ratePerMinute: Int? = nil,
            returnPath: String? = nil, relays: [SMTP]? = nil
        ) {
            self.transport = transport
            self.relays = relays ?? smtp.map { [$0] } ?? []
            self.connections = connections
            self.ratePerMinute = ratePerMinute
            self.returnPath = returnPath
        }
    }

    /// One mailing list's presentation.
    public struct MailingList: Sendable, Hashable, Codable {
        /// Human name, the List-Id's phrase.
        public var title: String
        /// Creates list settings.
        public init(title: String) { self.title = title }
    }

    /// How recipients unsubscribe.
    public struct Unsubscribe: Sendable, Hashable, Codable {
        /// An https URL with `{token}` where the signed token goes.
        public var url: String?
        /// A mailto address for List-Unsubscribe.
        public var mailto: String?
        /// Environment variable holding the token-signing secret.
        public var secretEnv: String?
        /// File holding the token-signing secret.
        public var secretFile: String?
        /// Creates unsubscribe settings.
        public init(url: String? = nil, mailto: String? = nil, secretEnv: String? = nil, secretFile: String? = nil) {
            self.url = url
            self.mailto = mailto
            self.secretEnv = secretEnv
            self.secretFile = secretFile
        }
    }

    /// Settings for the Menoinfo export.
    public struct Menoinfo: Sendable, Hashable, Codable {
        /// The network's category → Menoinfo's category.
        public var categories: [String: String]
        /// `Yhteyshenkilön sähköposti`; the coordinator's address when nil.
        public var contactEmail: String?
        /// Creates Menoinfo settings.
        public init(categories: [String: String] = [:], contactEmail: String? = nil) {
            self.categories = categories
            self.contactEmail = contactEmail
        }
    }

    /// Settings for the regional calendar (Linked Events) export.
    public struct Kalenteri: Sendable, Hashable, Codable {
        /// Venue name → place, a bare id (`tprek:7254`) or its `@id` URL under `apiURL`.
        public var places: [String: String]
        /// Category or tag → keyword, a bare id (`yso:p1235`) or its `@id` URL under `apiURL`.
        public var keywords: [String: String]
        /// The Linked Events API's base (`https://…/v1/`).
        public var apiURL: String?
        /// Environment variable holding the API key.
        public var apiKeyEnv: String?
        /// File holding the API key (relative to the workspace or absolute).
        public var apiKeyFile: String?
        /// Creates regional calendar settings.
        public init(
            places: [String: String] = [:], keywords: [String: String] = [:], apiURL: String? = nil,
            apiKeyEnv: String? = nil, apiKeyFile: String? = nil
        ) {
            self.places = places
            self.keywords = keywords
            self.apiURL = apiURL
            self.apiKeyEnv = apiKeyEnv
            self.apiKeyFile = apiKeyFile
        }

        /// The `@id` URL a mapping value stands for (see `LinkedEventsReference`).
        public func reference(_ value: String, kind: LinkedEventsReference.Kind) -> Result<String, LinkedEventsReference.Problem> {
            LinkedEventsReference.resolve(value, kind: kind, apiURL: apiURL)
        }
    }

    /// Export settings.
    public struct Exports: Sendable, Hashable, Codable {
        /// Menoinfo.
        public var menoinfo: Menoinfo
        /// The regional calendar.
        public var kalenteri: Kalenteri
        /// Creates export settings.
        public init(menoinfo: Menoinfo = Menoinfo(), kalenteri: Kalenteri = Kalenteri()) {
            self.menoinfo = menoinfo
            self.kalenteri = kalenteri
        }
    }

    /// Who the network is.
    public var network: Network
    /// The coordinating organisations.
    public var coordinators: [Coordinator]
    /// Their turn order.
    public var rotation: Rotation
    /// The network's own event categories.
    public var categories: [String]
    /// Delivery defaults.
    public var delivery: Delivery
    /// Mailing lists by name (the `Lists/NAME.csv` file name).
    public var lists: [String: MailingList]
    /// Unsubscribe settings.
    public var unsubscribe: Unsubscribe
    /// Export settings.
    public var exports: Exports
    /// `tiedote inbox` settings.
    public var inbox: Inbox = Inbox()
    /// Where each setting stands in `tiedote.yml`, keyed by dotted path (`exports.kalenteri.places`).
    public var positions: [String: SourcePosition]

    /// Creates settings.
    public init(
        network: Network, coordinators: [Coordinator], rotation: Rotation, categories: [String],
        delivery: Delivery = Delivery(), lists: [String: MailingList] = [:],
        unsubscribe: Unsubscribe = Unsubscribe(), exports: Exports = Exports(),
        positions: [String: SourcePosition] = [:]
    ) {
        self.network = network
        self.coordinators = coordinators
        self.rotation = rotation
        self.categories = categories
        self.delivery = delivery
        self.lists = lists
        self.unsubscribe = unsubscribe
        self.exports = exports
        self.positions = positions
    }

    /// The coordinator with `id`.
    public func coordinator(id: String) -> Coordinator? {
        coordinators.first { $0.id == id }
    }

    /// The coordinator who sends and signs the issue for `month`, honouring an override.
    public func coordinator(for month: YearMonth, override: String? = nil) -> Coordinator? {
        guard let id = override ?? rotation.coordinatorID(for: month) else { return nil }
        return coordinator(id: id)
    }

    /// Where relay `index`'s keys stand in `positions`: `delivery.relays.N` in the
    /// several-relays form, `delivery.smtp` in the one-relay form (`delivery.smtp.tls`, …).
    public func relayPath(_ index: Int) -> String {
        positions["delivery.relays"] != nil ? "delivery.relays.\(index)" : "delivery.smtp"
    }

    /// The position of a dotted setting path, falling back to the file's first line.
    public func position(of path: String) -> SourcePosition {
        positions[path] ?? SourcePosition(path: "tiedote.yml")
    }
}
