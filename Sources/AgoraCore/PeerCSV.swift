import Foundation

/// Peer rows from CSV, each bad row reported with its line number.
public enum PeerCSV {
    /// A role as typed ("Champion"), or a one-line error naming the three.
    public static func role(_ s: String) throws -> PeerRole {
        guard let r = PeerRole(rawValue: s.lowercased().trimmingCharacters(in: .whitespaces)) else {
            throw AgoraError.invalid("unknown role '\(Sanitizer.line(s))'", hint: "use one of: peer, champion, leader")
        }
        return r
    }

    public static let fields = ["login", "name", "unit", "region", "generation", "role", "goals", "offers"]

    /// A CSV file's text, read as whoever runs this (never with a shared install's privileges), or a one-line error.
    public static func text(ofFile path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw AgoraError("cannot read \(path)") }
        guard let text = String(validating: data, as: UTF8.self) else { throw AgoraError.invalid("\(path) is not valid UTF-8") }
        return text
    }

    public static func parse(_ text: String, now: Date, existing: Set<String>) throws -> [Peer] {
        let records = try CSVTable.parse(text)
        guard let header = records.first else { throw AgoraError.invalid("the file is empty", hint: "the first row names the columns: \(fields.joined(separator: ","))") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for n in names where !fields.contains(n) {
            throw AgoraError.invalid("line \(header.line): unknown column '\(Sanitizer.line(n))'", hint: "columns: \(fields.joined(separator: ","))")
        }
        guard names.contains("login"), names.contains("name") else {
            throw AgoraError.invalid("line \(header.line): the header needs 'login' and 'name' columns")
        }
        var problems: [String] = []
        var peers: [Peer] = []
        var seen = Set<String>()
        for r in records.dropFirst() {
            guard r.fields.count == names.count else {
                problems.append("line \(r.line): \(r.fields.count) fields, the header has \(names.count)")
                continue
            }
            var v: [String: String] = [:]
            for (n, f) in zip(names, r.fields) { v[n] = f.trimmingCharacters(in: .whitespaces) }
            do {
                let role = try role(v["role"].flatMap { $0.isEmpty ? nil : $0 } ?? "peer")
                let p = try (Peer(login: v["login"] ?? "", name: v["name"] ?? "", unit: v["unit"] ?? "",
                                                             region: v["region"] ?? "", generation: v["generation"] ?? "", role: role,
                                                             goals: v["goals"] ?? "", offers: v["offers"] ?? "", joined: now)).validated()
                if existing.contains(p.login) { throw AgoraError("\(p.login) is already a peer") }
                if !seen.insert(p.login).inserted { throw AgoraError("\(p.login) appears twice in the file") }
                peers.append(p)
            } catch let e as AgoraError {
                problems.append("line \(r.line): \(e.message)")
            }
        }
        if !problems.isEmpty {
            // One line, like every error: a script reading stderr sees one message naming every bad row.
            throw AgoraError.invalid("nothing imported; fix these rows: " + problems.joined(separator: "; "))
        }
        return peers
    }
}

