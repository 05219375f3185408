/// Lets one callback round post at a time. Rounds come from the server's timer and from tests or
/// operators calling ``BankSimulatorServer/deliverCallbacks()``; two rounds in flight together
/// could deliver a payment's later state before its earlier one, which a real bank's ordered
/// notification channel never does.
actor CallbackDeliveryTurn {
    private var taken = false
    private var waiting = [CheckedContinuation<Void, Never>]()

    /// Runs `round` once every earlier round has finished, in the order the rounds asked.
    func run(_ round: @Sendable () async -> Void) async {
        if taken {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            taken = true
        }
        await round()
        if waiting.isEmpty {
            taken = false
        } else {
            // The turn passes straight to the next round; `taken` stays set.
            waiting.removeFirst().resume()
        }
    }
}
