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
        // Redacted on a bounded prefix (a counterpart may send megabytes), then cut.
        var bounded = String.UnicodeScalarView()
        bounded.append(contentsOf: scalars.prefix(maximumLength * 4))
        let redacted = redactingCredentials(String(bounded).trimmingCharacters(in: .whitespaces))
        // Bounded by scalars, not characters: a run of combining marks is one character.
        guard redacted.unicodeScalars.count > maximumLength else { return redacted }
        var cut = String.UnicodeScalarView()
        cut.append(contentsOf: redacted.unicodeScalars.prefix(maximumLength))
        return String(cut) + "…"
    }

    /// Names whose value is a secret, wherever they appear: `name=value` (a query, a form, a log
    /// line), `"name": "value"` (JSON, compact or pretty).
    static let secretNames = "access_token|refresh_token|id_token|auth_token|client_secret|private_key|privatekey|api_key|api-key|apikey|"
        + "x-api-key|token|secret|password|passwd|passphrase|session|sessionid|authorization|proxy-authorization|cookie"

    /// The patterns a credential hides in, in order, each with how a match is written instead
    /// (`$1` is the credential's name). Compiled per use: a regex is not Sendable, and counterpart
    /// text is sanitised only on the error path.
    static func redactions() -> [(pattern: Regex<AnyRegexOutput>, replacement: String)] { [
        // Header style, the whole value: `Authorization: Bearer x`, `Cookie: a=1; session=y`.
        (try! Regex(#"(?i)\b(proxy-authorization|authorization|set-cookie|cookie|x-api-key)\s*:\s*[^"\n]+"#), "$1: [redacted]"),
        // Plain `password: x`, `client_secret: x` (names that are never ordinary words).
        (try! Regex(#"(?i)\b(password|passwd|passphrase|client_secret|api_key|apikey|access_token|refresh_token|auth_token|private_key)\s*:\s*[^\s"',;}]+"#),
         "$1: [redacted]"),
        // A bearer credential anywhere (a token of 8 characters or more), and a basic one (base64
        // with a digit, `+`, `/` or padding: not an ordinary word after "basic").
        (try! Regex(#"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}"#), "$1 [redacted]"),
        (try! Regex(#"(?i)\b(basic)\s+(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{4,}={0,2}"#), "$1 [redacted]"),
        // JSON: `"password":"x"`, `"token" : "y"` (the value in quotes).
        (try! Regex(#"(?i)"(\#(secretNames))"\s*:\s*"[^"]*""#), "\"$1\":\"[redacted]\""),
        // Key=value: `api_key=x`, `?token=y&…`.
        (try! Regex(#"(?i)\b(\#(secretNames))=[^\s&,;"'}]+"#), "$1=[redacted]"),
    ] }

    /// Replaces every credential ``redactions()`` finds with its name and `[redacted]`.
    static func redactingCredentials(_ text: String) -> String {
        var result = text
        for redaction in redactions() {
            result = result.replacing(redaction.pattern) { match in
                let name = match.output[1].substring.map(String.init) ?? ""
                return redaction.replacement.replacingOccurrences(of: "$1", with: name)
            }
        }
        return result
    }
}
