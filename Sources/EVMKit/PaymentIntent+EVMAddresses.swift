import RailKit

extension PaymentIntent {
    /// Checks every wallet on an EVM chain against its EIP-55 checksum, naming the field of the
    /// first that fails: run where an intent enters (CLI, API) so a mistyped address is bad
    /// input, not a rail's decline later.
    public func checkEVMAddresses() throws(ValidationError) {
        for (role, party) in [("debtor", debtor), ("creditor", creditor)] {
            for (index, wallet) in party.accounts.wallets.enumerated() where wallet.chain.evmChainID != nil {
                _ = try wallet.evmAddress(field: "\(role).accounts.wallets[\(index)].address")
            }
        }
    }
}
