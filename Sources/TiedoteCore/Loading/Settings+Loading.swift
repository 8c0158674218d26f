extension Settings {
    /// Reads `tiedote.yml`; every problem is collected and thrown together as `Diagnostics`.
    public static func parse(_ text: String, path: String = Workspace.settingsFile) throws -> Settings {
        var problems = Diagnostics()
        let settings = try parse(text, path: path, problems: &problems)
        try problems.throwIfErrors()
        return settings
    }

    /// Reads `tiedote.yml` as far as it can: problems are appended to `problems`, and only a
    /// file too broken to use (no network or rotation) throws.
    static func parse(_ text: String, path: String, problems: inout Diagnostics) throws -> Settings {
        var positions: [String: SourcePosition] = [:]
        let root = try YAMLValue.parse(text, path: path).mapping("tiedote.yml")
        let topKeys = ["network", "coordinators", "rotation", "categories", "delivery", "lists", "unsubscribe", "exports", "inbox"]
        problems.append(contentsOf: root.unknownKeys(topKeys))
        for entry in root.entries { positions[entry.key] = entry.value.position }
        func section(_ key: String, _ keys: [String]) -> YAMLMapping? {
            Self.section(root, key, keys, &problems, &positions)
        }

        let network = problems.take(Result { try parseNetwork(section("network", ["name", "domain", "website"]), root: root) })
        let coordinators = parseCoordinators(root, &problems)
        let rotation = problems.take(Result {
            try parseRotation(section("rotation", ["order", "first_month", "months_per_turn"]), root: root,
                ids: coordinators.map(\.id), &problems)
        })
        let categories = problems.take(Result { try root.required("categories").strings("categories") }) ?? []
        let delivery = problems.take(Result { try parseDelivery(section("delivery", deliveryKeys), &problems, &positions) }) ?? Delivery()
        let lists = parseLists(section("lists", (try? root["lists"]?.mapping("").entries.map(\.key)) ?? []), &problems)
        let unsubscribe = parseUnsubscribe(section("unsubscribe", ["url", "mailto", "secret_env", "secret_file"]), &problems)
        let exports = problems.take(Result { try parseExports(section("exports", ["menoinfo", "kalenteri"]), &problems, &positions) }) ?? Exports()
        let inbox = problems.take(Result {
            try parseInbox(section("inbox", ["imap", "processed_folder", "soft_bounce_limit"]), &problems, &positions)
        }) ?? Inbox()

        guard let network, let rotation else { throw problems }
        var settings = Settings(
            network: network, coordinators: coordinators, rotation: rotation, categories: categories,
            delivery: delivery, lists: lists, unsubscribe: unsubscribe, exports: exports, positions: positions)
        settings.inbox = inbox
        return settings
    }

    /// A top-level mapping, its unknown keys reported and its keys' positions noted; nil when
    /// absent or not a mapping.
    private static func section(
        _ root: YAMLMapping, _ key: String, _ keys: [String], _ problems: inout Diagnostics,
        _ positions: inout [String: SourcePosition]
    ) -> YAMLMapping? {
        guard let value = root[key] else { return nil }
        do {
            let mapping = try value.mapping("'\(key)'")
            problems.append(contentsOf: mapping.unknownKeys(keys))
            for entry in mapping.entries { positions["\(key).\(entry.key)"] = entry.value.position }
            return mapping
        } catch {
            _ = problems.take(Result<Void, any Error>.failure(error))
            return nil
        }
    }

    /// `network`: its name, domain (checked) and web site.
    private static func parseNetwork(_ map: YAMLMapping?, root: YAMLMapping) throws -> Network {
        guard let map else { throw Diagnostic.error(root.position, "missing required key 'network' in tiedote.yml") }
        let domainValue = try map.required("domain")
        let domain = try domainValue.line("network.domain")
        try checkDomain(domain, at: domainValue.position)
        return Network(
            name: try map.required("name").line("network.name"), domain: domain,
            website: try map["website"]?.text("network.website"))
    }

    /// `coordinators`: each one's id, name and (checked) addresses; a bad item is reported
    /// and left out.
    private static func parseCoordinators(_ root: YAMLMapping, _ problems: inout Diagnostics) -> [Coordinator] {
        problems.take(Result {
            try root.required("coordinators").sequence("coordinators").compactMap { item in
                problems.take(Result {
                    let map = try item.mapping("a coordinator")
                    problems.append(contentsOf: map.unknownKeys(["id", "name", "email", "reply_to", "signature"]))
                    let email = try map.required("email").text("email")
                    try checkAddress(email, at: map.required("email").position)
                    let replyTo = try map["reply_to"]?.text("reply_to")
                    if let replyTo, let value = map["reply_to"] { try checkAddress(replyTo, at: value.position) }
                    return Coordinator(
                        id: try map.required("id").line("id"), name: try map.required("name").line("name"),
                        email: email, replyTo: replyTo, signature: try map["signature"]?.string("signature") ?? "")
                })
            }
        }) ?? []
    }

    /// `rotation`: the turn order (only known coordinators), the first month and the turn's length.
    private static func parseRotation(
        _ map: YAMLMapping?, root: YAMLMapping, ids: [String], _ problems: inout Diagnostics
    ) throws -> Rotation {
        guard let map else { throw Diagnostic.error(root.position, "missing required key 'rotation' in tiedote.yml") }
        let orderValue = try map.required("order")
        let order = try orderValue.strings("rotation.order")
        for (index, id) in order.enumerated() where !ids.contains(id) {
            let position = (try? orderValue.sequence("").dropFirst(index).first?.position) ?? orderValue.position
            problems.append(.error(position,
                "rotation names coordinator '\(id)', which is not in coordinators (known: \(ids.joined(separator: ", ")))"))
        }
        let monthValue = try map.required("first_month")
        guard let first = YearMonth(iso: try monthValue.text("rotation.first_month")) else {
            throw Diagnostic.error(monthValue.position, "rotation.first_month must be a month like 2026-09")
        }
        let turnValue = try map.required("months_per_turn")
        let turn = try turnValue.int("rotation.months_per_turn")
        guard turn >= 1 else { throw Diagnostic.error(turnValue.position, "rotation.months_per_turn must be at least 1") }
        return Rotation(order: order, firstMonth: first, monthsPerTurn: turn)
    }

    /// `lists`: each list's title.
    private static func parseLists(_ map: YAMLMapping?, _ problems: inout Diagnostics) -> [String: MailingList] {
        var lists: [String: MailingList] = [:]
        for entry in map?.entries ?? [] {
            _ = problems.take(Result {
                let list = try entry.value.mapping("list '\(entry.key)'")
                problems.append(contentsOf: list.unknownKeys(["title"]))
                lists[entry.key] = MailingList(title: try list.required("title").line("title"))
            })
        }
        return lists
    }

    /// `unsubscribe`: the link (checked for a mail header), the mailto address and the secret's place.
    private static func parseUnsubscribe(_ map: YAMLMapping?, _ problems: inout Diagnostics) -> Unsubscribe {
        guard let map else { return Unsubscribe() }
        var unsubscribe = Unsubscribe()
        _ = problems.take(Result {
            unsubscribe = Unsubscribe(
                url: try map["url"]?.line("unsubscribe.url"), mailto: try map["mailto"]?.line("unsubscribe.mailto"),
                secretEnv: try map["secret_env"]?.line("unsubscribe.secret_env"),
                secretFile: try map["secret_file"]?.line("unsubscribe.secret_file"))
            if let url = unsubscribe.url, let value = map["url"], let problem = unsubscribeURLProblem(url) {
                problems.append(.error(value.position, "unsubscribe.url \(problem)"))
            }
            if let mailto = unsubscribe.mailto, let value = map["mailto"] { try checkAddress(mailto, at: value.position) }
        })
        return unsubscribe
    }

    private static func parseExports(
        _ map: YAMLMapping?, _ problems: inout Diagnostics, _ positions: inout [String: SourcePosition]
    ) throws -> Exports {
        guard let map else { return Exports() }
        func table(_ value: YAMLValue?, _ what: String) throws -> [String: String] {
            guard let value else { return [:] }
            var result: [String: String] = [:]
            for entry in try value.mapping(what).entries {
                result[entry.key] = try entry.value.text("\(what).\(entry.key)")
                positions["\(what).\(entry.key)"] = entry.keyPosition
            }
            return result
        }
        var menoinfo = Menoinfo()
        if let value = map["menoinfo"] {
            let sub = try value.mapping("exports.menoinfo")
            problems.append(contentsOf: sub.unknownKeys(["categories", "contact_email"]))
            menoinfo = Menoinfo(
                categories: try table(sub["categories"], "exports.menoinfo.categories"),
                contactEmail: try sub["contact_email"]?.text("exports.menoinfo.contact_email"))
        }
        var kalenteri = Kalenteri()
        if let value = map["kalenteri"] {
            let sub = try value.mapping("exports.kalenteri")
            problems.append(contentsOf: sub.unknownKeys(["places", "keywords", "api_url", "api_key_env", "api_key_file"]))
            for entry in sub.entries { positions["exports.kalenteri.\(entry.key)"] = entry.value.position }
            kalenteri = Kalenteri(
                places: try table(sub["places"], "exports.kalenteri.places"),
                keywords: try table(sub["keywords"], "exports.kalenteri.keywords"),
                apiURL: try sub["api_url"]?.text("exports.kalenteri.api_url"),
                apiKeyEnv: try sub["api_key_env"]?.text("exports.kalenteri.api_key_env"),
                apiKeyFile: try sub["api_key_file"]?.text("exports.kalenteri.api_key_file"))
            if let url = kalenteri.apiURL, let value = sub["api_url"], let problem = checkAPIURL(url) {
                problems.append(.error(value.position, problem))
            }
            problems.append(contentsOf: checkReferences(kalenteri, positions))
        }
        return Exports(menoinfo: menoinfo, kalenteri: kalenteri)
    }

    /// A host name for Message-IDs, List-Ids and EHLO: letters, digits and hyphens in dotted
    /// labels of at most 63, at most 253 in all, in ASCII (`xn--` for other letters).
    static func checkDomain(_ domain: String, at position: SourcePosition) throws {
        switch EmailAddress.asciiDomain(domain) {
        case .failure(let problem):
            throw Diagnostic.error(position,
                "network.domain '\(domain)' is not a domain name: \(problem.reason); write the network's own domain, like tuottajaverkosto.fi")
        case .success(let ascii) where ascii != domain.lowercased():
            throw Diagnostic.error(position, "network.domain must be written in its ASCII form: \(ascii)")
        case .success:
            return
        }
    }

    /// Why `url` cannot stand in a List-Unsubscribe header, or nil: https, `{token}`, and
    /// printable ASCII without spaces or angle brackets (which would end the header's `<…>`).
    static func unsubscribeURLProblem(_ url: String) -> String? {
        if !url.hasPrefix("https://") { return "must be an https:// address" }
        if let bad = url.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value >= 0x7F || $0 == "<" || $0 == ">" }) {
            let what = bad == " " ? "a space" : bad.value < 0x20 || bad.value >= 0x7F && bad.value < 0xA0
                ? "a control character" : "'\(bad)'"
            return "contains \(what): a link in a mail header is printable ASCII without spaces or < >; percent-encode it (%20, %3C, %3E)"
        }
        if !url.contains("{token}") { return "must contain {token}, where each recipient's signed token goes" }
        return nil
    }

    /// `https://host/…/` (or `http://` on loopback only, for tests); nil when usable.
    static func checkAPIURL(_ url: String) -> String? {
        if url.hasPrefix("https://") { return url.dropFirst(8).isEmpty ? "exports.kalenteri.api_url needs a host" : nil }
        if url.hasPrefix("http://") {
            let host = url.dropFirst(7).split(separator: "/").first.map { $0.split(separator: ":").first ?? "" } ?? ""
            if ["127.0.0.1", "localhost", "[::1]"].contains(String(host)) || url.dropFirst(7).hasPrefix("[::1]") { return nil }
            return "exports.kalenteri.api_url must be an https:// address (http:// only for a server on this machine)"
        }
        return "exports.kalenteri.api_url must be an https:// address like https://…/v1/"
    }

    /// Every place and keyword mapping must be a bare id or an `@id` URL under `api_url`.
    static func checkReferences(_ kalenteri: Kalenteri, _ positions: [String: SourcePosition]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let tables: [(String, [String: String], LinkedEventsReference.Kind)] = [
            ("places", kalenteri.places, .place), ("keywords", kalenteri.keywords, .keyword),
        ]
        for (name, table, kind) in tables {
            for (key, value) in table.sorted(by: { $0.key < $1.key }) {
                if case let .failure(problem) = kalenteri.reference(value, kind: kind) {
                    let path = "exports.kalenteri.\(name).\(key)"
                    problems.append(.error(positions[path] ?? SourcePosition(path: Workspace.settingsFile), "\(path): \(problem)"))
                }
            }
        }
        return problems.sorted { ($0.position?.line ?? 0, $0.position?.column ?? 0) < ($1.position?.line ?? 0, $1.position?.column ?? 0) }
    }

    /// The same address rules as the lists'.
    static func checkAddress(_ address: String, at position: SourcePosition) throws {
        if let reason = EmailAddress.validate(address) {
            throw Diagnostic.error(position, "'\(address)' is not a usable address: \(reason)")
        }
    }
}
