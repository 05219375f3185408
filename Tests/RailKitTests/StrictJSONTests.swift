import Foundation
import RailKitSupport
import RailKitTesting
import Testing
@testable import RailKit

/// Keys given twice in one JSON object are refused with their path: generated documents whose
/// duplicates are known by construction, escaped spellings of one key, and a payment intent.
@Suite("Strict JSON: duplicate keys")
struct StrictJSONTests {
    /// A random JSON value as text, with unique keys; `duplicateAt` (if set) names the object that
    /// gets one key twice, and receives the path of that key.
    struct Generator {
        var random: SeededRandom
        var objects = 0
        var duplicateAt: Int?
        var duplicatePath: String?

        mutating func value(path: String, depth: Int) -> String {
            switch Int.random(in: 0..<(depth > 3 ? 3 : 6), using: &random) {
            case 0: return "\(Int.random(in: -1000...1000, using: &random))"
            case 1: return ["true", "false", "null", "1.5e3", "-0.25"].randomElement(using: &random)!
            case 2: return "\"" + ["", "text", "with \\\"quote\\\"", "a,b]c}", "\\u00e9t\\u00e9"].randomElement(using: &random)! + "\""
            case 3, 4: return object(path: path, depth: depth + 1)
            default:
                let count = Int.random(in: 0...3, using: &random)
                let elements = (0..<count).map { value(path: path + "[\($0)]", depth: depth + 1) }
                return "[" + elements.joined(separator: ", ") + "]"
            }
        }

        mutating func object(path: String, depth: Int) -> String {
            let number = objects
            objects += 1
            // Sorted, so a seed gives the same document in every process (a set's order is per process).
            let names = Set((0..<Int.random(in: 1...4, using: &random)).map { _ in ["amount", "name", "a", "b", "é", "k\(Int.random(in: 0...9, using: &random))"].randomElement(using: &random)! }).sorted()
            var members = names.map { name -> (String, String) in
                let child = path.isEmpty ? name : path + "." + name
                return (name, value(path: child, depth: depth))
            }
            if number == duplicateAt, let first = members.first {
                duplicatePath = path.isEmpty ? first.0 : path + "." + first.0
                // The same key again, sometimes spelled with an escape.
                let spelled = first.0 == "a" && Bool.random(using: &random) ? "\\u0061" : first.0
                members.append((spelled, "0"))
            }
            return "{" + members.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ",\n ") + "}"
        }
    }

    @Test("property: 3,000 generated documents — a key given twice is found with its path, and only then")
    func generated() throws {
        var injected = 0
        for seed in 0..<3_000 {
            var generator = Generator(random: SeededRandom(seed: UInt64(seed)))
            let plainText = generator.object(path: "", depth: 0)
            let plain = Data(plainText.utf8)
            #expect((try? JSONSerialization.jsonObject(with: plain)) != nil, "seed \(seed): \(plainText)")
            #expect(RailCoding.duplicateKey(in: plain) == nil, "seed \(seed): \(plainText)")

            var twice = Generator(random: SeededRandom(seed: UInt64(seed)), duplicateAt: seed % max(1, generator.objects))
            let text = twice.object(path: "", depth: 0)
            #expect(RailCoding.duplicateKey(in: Data(text.utf8)) == twice.duplicatePath, "seed \(seed): \(text)")
            if twice.duplicatePath != nil { injected += 1 }
        }
        // The generator did put a duplicate in (almost) every one of the documents meant to have one.
        #expect(injected > 2_900, "\(injected) of 3,000 documents had a duplicate")
    }

    @Test("a payment intent with a field given twice is refused naming it, before anything reads it")
    func intent() throws {
        let sample = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/samples/hk-supplier-usd-cnh.json").path, encoding: .utf8)
        #expect(try PaymentIntent.decodeStrictly(from: Data(sample.utf8)).reference == "INV-2026-0042")
        let doubled = sample.replacingOccurrences(of: "\"objective\": \"cheapest\",", with: "\"objective\": \"cheapest\", \"objective\": \"fastest\",")
        let nested = sample.replacingOccurrences(of: "\"townName\": \"Kowloon\",", with: "\"townName\": \"Kowloon\", \"town\\u004eame\": \"Central\",")
        for (text, field) in [(doubled, "objective"), (nested, "creditor.address.townName")] {
            #expect(text != sample)
            #expect {
                _ = try PaymentIntent.decodeStrictly(from: Data(text.utf8))
            } throws: { error in
                guard let error = error as? ValidationError else { return false }
                return error.rule == "json.duplicate_key" && error.field == field
            }
        }
    }
}

/// Every field of a payment intent given a value of each other JSON kind: the error a person reads
/// names the field and what is wrong in JSON's words, never a Swift type.
@Suite("Intent errors in JSON's words")
struct IntentErrorWordingTests {
    static let swiftWords = ["Dictionary<", "Array<", "Optional<", "Swift.", "Cannot initialize", "Int64", "Int128", "UInt", "Double",
                             "FixedSide", "ChargeBearer", "PartyKind", "ExactDecimal", "PaymentIntent", "RoutingObjective", "CodingKeys",
                             "DecodingError", "typeMismatch", "keyNotFound", "dataCorrupted", "valueNotFound"]

    /// The text a person sees, as the CLI and the API write it.
    static func userText(_ error: any Error) -> String {
        if let error = error as? ValidationError { return "\(error.field): \(error.message) (rule \(error.rule))" }
        if let error = error as? DecodingError {
            let failure = DecodingFailure(error)
            return "\(failure.field): \(failure.message)"
        }
        return "\(error)"
    }

    /// Every path to a value in `json`, as key lists.
    static func paths(_ json: Any, _ prefix: [String] = []) -> [[String]] {
        guard let object = json as? [String: Any] else { return [prefix] }
        return [prefix] + object.keys.sorted().flatMap { paths(object[$0]!, prefix + [$0]) }
    }

    static func replacing(_ json: Any, at path: [String], with value: Any) -> Any {
        guard let key = path.first, var object = json as? [String: Any] else { return value }
        object[key] = replacing(object[key] ?? [String: Any](), at: Array(path.dropFirst()), with: value)
        return object
    }

    @Test("property: each field of the sample intent with a number, a string, a boolean, an object, an array or null in its place")
    func wording() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Config/samples/hk-supplier-usd-cnh.json")
        let sample = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        let replacements: [Any] = [5, -1.5, "sideways", true, [String: Any](), [Any](), NSNull()]
        var checked = 0
        for path in Self.paths(sample) where !path.isEmpty {
            for replacement in replacements {
                let mutated = Self.replacing(sample, at: path, with: replacement)
                let data = try JSONSerialization.data(withJSONObject: mutated)
                do {
                    _ = try PaymentIntent.decodeStrictly(from: data)
                } catch {
                    let text = Self.userText(error)
                    checked += 1
                    #expect(!Self.swiftWords.contains { text.contains($0) }, "\(path.joined(separator: ".")) = \(replacement): \(text)")
                }
            }
        }
        #expect(checked > 200, "only \(checked) mutations were refused")
    }
}
