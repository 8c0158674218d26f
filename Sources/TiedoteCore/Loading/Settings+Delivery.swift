extension Settings {
    /// The keys of `delivery`.
    static let deliveryKeys = ["transport", "connections", "rate_per_minute", "smtp", "relays", "return_path"]
    /// The keys of one relay (`delivery.smtp`, or an item of `delivery.relays`).
    static let relayKeys = [
        "name", "url", "username", "password_env", "password_file", "tls", "ca_file", "timeouts",
        "connections", "rate_per_minute", "messages_per_connection",
    ]

    /// `delivery`: the transport, the relays (one `smtp:` or a list of `relays:`, never both) and
    /// the whole send's limits.
    static func parseDelivery(
        _ map: YAMLMapping?, _ problems: inout Diagnostics, _ positions: inout [String: SourcePosition]
    ) throws -> Delivery {
        guard let map else { return Delivery() }
        let relays = try parseRelays(map, &problems, &positions)
        var transport: Transport = relays.isEmpty ? .outbox : .smtp
        if let value = map["transport"] {
            let text = try value.text("delivery.transport")
            guard let chosen = Transport(rawValue: text) else {
                throw Diagnostic.error(value.position, "delivery.transport must be smtp or outbox, not '\(text)'")
            }
            if chosen == .smtp && relays.isEmpty && map["relays"] == nil && map["smtp"] == nil {
                throw Diagnostic.error(value.position, "delivery.transport is smtp but delivery.smtp is not set: add delivery.smtp.url")
            }
            transport = chosen
        }
        let connections = try map["connections"]?.int("delivery.connections") ?? 1
        if let value = map["connections"] { checkConnections(connections, "delivery.connections", value.position, &problems) }
        let rate = try map["rate_per_minute"]?.int("delivery.rate_per_minute")
        if let rate, rate < 1, let value = map["rate_per_minute"] {
            throw Diagnostic.error(value.position,
                "delivery.rate_per_minute must be at least 1, not \(rate); leave it out for no limit")
        }
        var returnPath: String?
        if let value = map["return_path"] {
            let address = try value.text("delivery.return_path")
            try checkAddress(address, at: value.position)
            guard !address.contains("+") else {
                throw Diagnostic.error(value.position, "delivery.return_path must be a plain address like bounces@example.fi: Tiedote adds +TOKEN itself")
            }
            returnPath = address.lowercased()
        }
        return Delivery(transport: transport, connections: connections, ratePerMinute: rate, returnPath: returnPath, relays: relays)
    }

    /// `delivery.smtp` (one relay) or `delivery.relays` (several, each named once).
    private static func parseRelays(
        _ map: YAMLMapping, _ problems: inout Diagnostics, _ positions: inout [String: SourcePosition]
    ) throws -> [SMTP] {
        if let relaysValue = map["relays"] {
            if map["smtp"] != nil {
                throw Diagnostic.error(map.keyPosition("relays"),
                    "delivery has both smtp: and relays:; keep one: relays: for several relays (each with a name), smtp: for one")
            }
            let items = try relaysValue.sequence("delivery.relays")
            guard !items.isEmpty else {
                throw Diagnostic.error(relaysValue.position, "delivery.relays lists no relay: add one (name and url), or remove relays:")
            }
            var relays: [SMTP] = []
            var named: [String: SourcePosition] = [:]
            for (index, item) in items.enumerated() {
                let label = "delivery.relays[\(index)]"
                guard let relay = problems.take(Result {
                    try parseRelay(item, label: label, path: "delivery.relays.\(index)", nameRequired: true, &problems, &positions)
                }) else { continue }
                if let name = relay.name {
                    let position = positions["delivery.relays.\(index).name"] ?? item.position
                    if let first = named[name] {
                        problems.append(.error(position,
                            "\(label).name '\(name)' is already the name of the relay at line \(first.line): give each relay its own name"))
                    }
                    named[name] = named[name] ?? position
                }
                relays.append(relay)
            }
            return relays
        }
        guard let smtpValue = map["smtp"] else { return [] }
        return [try parseRelay(smtpValue, label: "delivery.smtp", path: "delivery.smtp", nameRequired: false, &problems, &positions)]
    }

    /// One relay's mapping; `label` names it in messages, `path` in `positions`.
    private static func parseRelay(
        _ value: YAMLValue, label: String, path: String, nameRequired: Bool,
        _ problems: inout Diagnostics, _ positions: inout [String: SourcePosition]
    ) throws -> SMTP {
        let smtpMap = try value.mapping(label)
        problems.append(contentsOf: smtpMap.unknownKeys(relayKeys))
        for entry in smtpMap.entries { positions["\(path).\(entry.key)"] = entry.value.position }
        let name = try parseRelayName(smtpMap, label: label, required: nameRequired, at: value.position)
        let urlValue = try smtpMap.required("url")
        let url = try urlValue.text("\(label).url")
        guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else {
            throw Diagnostic.error(urlValue.position, "\(label).url must start with smtp:// (STARTTLS) or smtps:// (TLS)")
        }
        guard !url.contains("@"), !url.contains("?"), !url.contains("#") else {
            throw Diagnostic.error(urlValue.position,
                "\(label).url must be only scheme://host:port: put the user name in \(label).username and the password in the variable or file password_env / password_file name")
        }
        var tls = TLSPolicy.required
        if let tlsValue = smtpMap["tls"] {
            let text = try tlsValue.text("\(label).tls")
            guard let policy = TLSPolicy(rawValue: text) else {
                throw Diagnostic.error(tlsValue.position, "\(label).tls must be required, opportunistic or none, not '\(text)'")
            }
            tls = policy
        }
        var relay = SMTP(
            url: url, username: try smtpMap["username"]?.text("username"),
            passwordEnv: try smtpMap["password_env"]?.text("password_env"),
            passwordFile: try smtpMap["password_file"]?.text("password_file"), tls: tls,
            caFile: try smtpMap["ca_file"]?.text("ca_file"),
            timeouts: try parseTimeouts(smtpMap["timeouts"], label: label, &problems), name: name)
        try parseRelayLimits(smtpMap, label: label, into: &relay, &problems)
        return relay
    }

    /// `name`: lower-case letters, digits and hyphens, so it fits a journal field and a
    /// status line as it is.
    private static func parseRelayName(
        _ map: YAMLMapping, label: String, required: Bool, at position: SourcePosition
    ) throws -> String? {
        guard let value = map["name"] else {
            if required {
                throw Diagnostic.error(position, "\(label) has no name: give it one like name: oma (journals and status use it)")
            }
            return nil
        }
        let name = try value.text("\(label).name")
        let allowed = !name.isEmpty && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard allowed else {
            throw Diagnostic.error(value.position,
                "\(label).name '\(name)' may have only lower-case letters a–z, digits and hyphens, like oma or palveluntarjoaja-2")
        }
        return name
    }

    /// `connections` (1–32), `rate_per_minute` and `messages_per_connection` (at least 1):
    /// each bad value is reported where it stands, and the others still read.
    private static func parseRelayLimits(
        _ map: YAMLMapping, label: String, into relay: inout SMTP, _ problems: inout Diagnostics
    ) throws {
        if let value = map["connections"], let connections = problems.take(Result { try value.int("\(label).connections") }) {
            if checkConnections(connections, "\(label).connections", value.position, &problems) { relay.connections = connections }
        }
        let atLeastOne: [(String, WritableKeyPath<SMTP, Int?>, String)] = [
            ("rate_per_minute", \.ratePerMinute, "leave it out for no limit of its own"),
            ("messages_per_connection", \.messagesPerConnection, "leave it out to keep a connection as long as the relay allows"),
        ]
        for (key, path, hint) in atLeastOne {
            guard let value = map[key], let number = problems.take(Result { try value.int("\(label).\(key)") }) else { continue }
            guard number >= 1 else {
                problems.append(.error(value.position, "\(label).\(key) must be at least 1, not \(number); \(hint)"))
                continue
            }
            relay[keyPath: path] = number
        }
    }

    /// Reports a connection count outside 1–32; true when it is inside.
    @discardableResult
    private static func checkConnections(
        _ connections: Int, _ what: String, _ position: SourcePosition, _ problems: inout Diagnostics
    ) -> Bool {
        let range = Delivery.connectionRange
        guard range.contains(connections) else {
            problems.append(.error(position,
                "\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(connections)"))
            return false
        }
        return true
    }

    /// A relay's `timeouts`: whole seconds, each between 1 and 3600; absent keys keep their
    /// defaults.
    private static func parseTimeouts(_ value: YAMLValue?, label: String, _ problems: inout Diagnostics) throws -> SMTPTimeouts {
        var timeouts = SMTPTimeouts()
        guard let value else { return timeouts }
        let map = try value.mapping("\(label).timeouts")
        problems.append(contentsOf: map.unknownKeys(SMTPTimeouts.keys))
        for key in SMTPTimeouts.keys {
            guard let entry = map[key] else { continue }
            let what = "\(label).timeouts.\(key)"
            guard let seconds = problems.take(Result { try entry.int(what) }) else { continue }
            guard (1...3600).contains(seconds) else {
                problems.append(.error(entry.position, "\(what) must be between 1 and 3600 seconds, not \(seconds)"))
                continue
            }
            switch key {
            case "connect": timeouts.connect = seconds
            case "command": timeouts.command = seconds
            case "data": timeouts.data = seconds
            default: timeouts.endOfData = seconds
            }
        }
        return timeouts
    }
}
