import Foundation

/// Text a counterpart wrote (a node's error message, a partner's problem, a bank's answer) made
/// safe to show and log: it is untrusted. Control characters (C0, DEL, C1) and bidirectional
/// overrides are dropped, so a line cannot be forged or reordered on a terminal or in a log;
/// anything that reads like a credential is redacted, so a counterpart echoing a request's
/// `Authorization` header back never prints the token; and it is cut to a bounded length.
public enum CounterpartText {
    /// Characters kept at most (the cut is marked with "…").
    public static let maximumLength = 200

    /// `text` sanitised: see ``CounterpartText``.
    public static func sanitized(_ text: some StringProtocol, maximumLength: Int = maximumLength) -> String {
        var scalars = String.UnicodeScalarView()
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isSpace = value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D
            // C0, DEL, C1, and the bidirectional embeddings, overrides and isolates.
            if !isSpace && (value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                            || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F || value == 0x061C) {
                continue
            }
            if isSpace {
                if !lastWasSpace { scalars.append(" ") }
                lastWasSpace = true
            } else {
                scalars.append(scalar)
                lastWasSpace = false
            }
        }
        let redacted = redactingCredentials(String(scalars).trimmingCharacters(in: .whitespaces))
        guard redacted.count > maximumLength else { return redacted }
        return String(redacted.prefix(maximumLength)) + "…"
    }

    /// Names whose value is a secret, in `name: value`, `name=value` or `"name":"value"` form (an
    /// `Authorization` header's value, after its scheme), and `Bearer` before a token.
    static let secretNames = ["authorization", "bearer", "basic", "token", "access_token", "api_key", "apikey", "api-key", "x-api-key",
                              "secret", "password", "passwd", "private_key", "privatekey", "client_secret", "cookie", "set-cookie"]

    /// Replaces the value following any of ``secretNames`` with `[redacted]`.
    static func redactingCredentials(_ text: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var redactNext = false
        for index in words.indices {
            let word = words[index]
            if redactNext, !word.isEmpty {
                let name = word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ":=\"'"))
                if !secretNames.contains(name) {
                    words[index] = "[redacted]"
                    redactNext = false
                }
                continue
            }
            // `key=value`, `key:value`, `"key":"value"` in one word.
            if let separator = word.firstIndex(where: { $0 == "=" || $0 == ":" }) {
                let name = word[..<separator].lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "\"'{,"))
                let value = word[word.index(after: separator)...].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                if secretNames.contains(name) {
                    // `Authorization: Bearer x`, `authorization=Basic x`: the scheme stays, the credential goes.
                    if value.isEmpty || ["bearer", "basic"].contains(value.lowercased()) {
                        redactNext = true
                    } else {
                        words[index] = word[..<separator] + word[separator...separator] + "[redacted]"
                    }
                    continue
                }
            }
            // A bare word introduces a secret only for a bearer credential; "token" or "basic" in a
            // sentence ("token transfer failed") is ordinary text.
            if word.lowercased() == "bearer" { redactNext = true }
        }
        return words.joined(separator: " ")
    }
}
