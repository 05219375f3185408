import DevChainTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The FX dealer and the off-ramp partner require credentials, as the partners they stand for do.
@Suite("switchyard-sandbox fx and offramp require credentials")
struct SandboxCredentialsTests {
    @Test("without its token variable the dealer and the partner refuse to start: exit 3 naming the variable and the file")
    func refuseToStartWithoutToken() async throws {
        let fx = try await ChildProcess.run(CLI.sandboxExecutable, ["fx", "--port", "0"], environment: CLI.cleanEnvironment, directory: CLI.repository)
        #expect(fx.status == 3, "\(fx.stderr)")
        #expect(fx.stderr.contains("SWITCHYARD_FX_RFQ_TOKEN is not set"), "\(fx.stderr)")
        let partner = try await ChildProcess.run(CLI.sandboxExecutable, ["offramp", "--port", "0", "--rpc-url", "http://127.0.0.1:9", "--token",
                                                                   "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"],
                                           environment: CLI.cleanEnvironment, directory: CLI.repository)
        #expect(partner.status == 3, "\(partner.stderr)")
        #expect(partner.stderr.contains("offramp-partner.json: tokenEnvironment: SWITCHYARD_OFFRAMP_TOKEN is not set"), "\(partner.stderr)")
        // A settings file that is not there is a configuration error naming it, exit 3.
        let missing = try await ChildProcess.run(CLI.sandboxExecutable, ["offramp", "--settings", "/nonexistent/partner.json", "--rpc-url", "http://127.0.0.1:9",
                                                                   "--token", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"],
                                           environment: CLI.cleanEnvironment, directory: CLI.repository)
        #expect(missing.status == 3 && missing.stderr.contains("/nonexistent/partner.json"), "\(missing.stderr)")
    }

    @Test("ports and speeds out of range are bad input, exit 2 naming the flag", arguments: [
        (["fx", "--port", "70000"], "--port: 70000 is not a TCP port"), (["bank", "--speed=-1"], "--speed: -1.0 is not a speed"),
        (["up", "--speed", "inf"], "--speed: inf is not a speed"), (["bank", "--port=-2"], "--port: -2 is not a TCP port"),
    ])
    func ranges(arguments: [String], mention: String) async throws {
        let run = try await ChildProcess.run(CLI.sandboxExecutable, arguments, environment: CLI.cleanEnvironment, directory: CLI.repository)
        #expect(run.status == 2 && run.stderr.contains(mention), "\(run.stderr)")
    }

    @Test("the dealer answers a request without the bearer token 401 with a SEP-38 error body; with it, a price")
    func dealerRequiresToken() async throws {
        let (process, line) = try await CLI.launch(CLI.sandboxExecutable, ["fx", "--port", "0"], environment: ["SWITCHYARD_FX_RFQ_TOKEN": "dealer-token"])
        defer { process.terminate() }
        let ready = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let url = try #require((ready["url"] as? String).flatMap(URL.init(string:)))
        var components = URLComponents(url: url.appendingPathComponent("price"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "sell_asset", value: "iso4217:USD"), URLQueryItem(name: "buy_asset", value: "iso4217:CNH"),
                                 URLQueryItem(name: "sell_amount", value: "100.00")]
        for token in [nil, "Bearer wrong-token", "Bearer dealer-token"] {
            var request = URLRequest(url: components.url!)
            if let token { request.setValue(token, forHTTPHeaderField: "Authorization") }
            let (body, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode
            let json = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            if token == "Bearer dealer-token" {
                #expect(status == 200 && json?["price"] != nil, "\(String(decoding: body, as: UTF8.self))")
            } else {
                #expect(status == 401 && (json?["error"] as? String)?.contains("bearer token") == true, "\(String(decoding: body, as: UTF8.self))")
            }
        }
    }
}
