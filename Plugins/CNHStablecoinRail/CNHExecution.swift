import EVMKit
import FXQuotes
import Foundation
import Logging
import OffRampAPI
import RailKit
import RailKitSupport

/// The counterparts a CNH stablecoin instance executes against: the chain (the liquidity wallet
/// signs token transfers), the FX dealer (firm quote, booking) and the off-ramp partner.
struct CNHExecution: Sendable {
    let transfers: ERC20Transfers
    let fx: any FXQuoteProvider
    /// Nil when no partner is configured: only wallet deliveries execute.
    let offRamp: OffRampClient?
    let maxPriceMoveBasisPoints: ExactDecimal

    var liquidityWallet: EVMAddress { transfers.submitter!.signer.address }

    /// The counterparts, or why the instance only quotes (nil execution and a reason).
    static func connect(_ settings: CNHStablecoinSettings, environment: [String: String], logger: Logger) throws -> (CNHExecution?, String?) {
        guard let execution = settings.execution else { return (nil, "no execution section") }
        guard let rpcText = settings.network.rpcURL?.resolve(environment) else { return (nil, "network.rpcURL is not set") }
        let rpcURL = try EndpointURL.parse(rpcText, field: "network.rpcURL")
        guard let signer = try execution.signer.signer(environment: environment, field: "execution.signer") else {
            return (nil, "execution.signer's key is not set")
        }
        guard let fxText = execution.fx.url.resolve(environment) else { return (nil, "execution.fx.url is not set") }
        let fx = SEP38FXProvider(endpoint: try EndpointURL.parse(fxText, field: "execution.fx.url"), token: execution.fx.token?.resolve(environment), logger: logger)
        var offRamp: OffRampClient?
        if let partner = execution.offRamp, let text = partner.url.resolve(environment) {
            offRamp = OffRampClient(endpoint: try EndpointURL.parse(text, field: "execution.offRamp.url"), token: partner.token?.resolve(environment), logger: logger)
        }
        var gasLimitPercent: UInt64 = 120
        if let percent = execution.gasLimitPercent {
            guard (100...300).contains(percent) else {
                throw ValidationError(field: "execution.gasLimitPercent", value: String(percent), rule: "execution.gas_limit_percent",
                                      message: "between 100 and 300 (% of eth_estimateGas)")
            }
            gasLimitPercent = UInt64(percent)
        }
        guard execution.maxPriceMoveBasisPoints >= .zero else {
            throw ValidationError(field: "execution.maxPriceMoveBasisPoints", value: execution.maxPriceMoveBasisPoints.description,
                                  rule: "execution.max_price_move", message: "zero or more basis points")
        }
        let client = EthereumClient(rpc: JSONRPCClient(url: rpcURL, timeout: .seconds(settings.network.timeoutSeconds ?? 10), logger: logger))
        let chainID = settings.token.chainId
        let store: any NonceStore = execution.nonceFile.map { FileNonceStore(url: URL(fileURLWithPath: $0)) } ?? InMemoryNonceStore()
        let submitter = TransactionSubmitter(client: client, chainID: chainID, signer: signer,
                                             nonces: NonceManager(client: client, chainID: chainID, store: store))
        let transfers = ERC20Transfers(client: client, chainID: chainID, token: settings.token.contract.value,
                                       configuredDecimals: settings.token.decimals.value, submitter: submitter, gasLimitPercent: gasLimitPercent)
        return (CNHExecution(transfers: transfers, fx: fx, offRamp: offRamp, maxPriceMoveBasisPoints: execution.maxPriceMoveBasisPoints), nil)
    }
}
