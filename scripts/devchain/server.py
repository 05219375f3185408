#!/usr/bin/env python3
"""Switchyard's dev chain: an Ethereum JSON-RPC 2.0 server on loopback around eth-tester/py-evm.

Usage: server.py [--port N] [--chain-id N] [--exit-with-parent] [--sandbox | --sandbox-cnh] [--block-time S]

Prints one JSON line on stdout when ready: {"url", "chainId", "accounts": [{"address", "privateKey"}]}
(the well-known eth-tester dev keys 0x..01 to 0x..0a, each funded with 1,000,000 ETH).

What it fixes over bare eth-tester (see ../shared/reference/counterparts.md):
- the chain id is the one asked for, and a raw transaction signed for another chain is rejected
  (py-evm does not check it);
- eth_feeHistory is computed from the blocks (eth-tester's is a stub);
- eth_call / eth_estimateGas get a funded `from` when none is given, and `pending` reads `latest`;
- a revert becomes geth's {code: 3, message: "execution reverted: <reason>", data};
- transactions carry `input` (not `data`) and every quantity is hex, as JSON-RPC clients expect;
- a transaction whose nonce is ahead of the account's next one is held, as a real node's pool
  queues it (eth-tester refuses it), and sent once the nonces before it are used: a process that
  journaled a transaction and died before sending it leaves a gap its recovery fills later.
Dev-only extras: evm_mine (mine N empty blocks), evm_setAutomine (hold transactions in the pool).

--sandbox deploys the sandbox deposit token (DepositToken.vy, 18 decimals) as the first transaction
of dev account 1, so it lands at 0xF2E246BB76DF876Cef8b38ae84130F4F55De395b (as
Config/rails/deposit-token-sandbox.json expects), allowlists dev accounts 2 and 3 and mints
1,000,000 SDT to account 2 (the sample payer in Config/samples/sandbox-deposit-token.json).

--sandbox-cnh deploys the same contract with 6 decimals (standing in for AxCNH on chain id 1030) at
the same address, allowlists dev accounts 4 (the liquidity wallet), 5 (the off-ramp partner's
deposit wallet) and 6 (a creditor wallet), and mints 10,000,000 tokens to account 4.

--block-time S mines an empty block every S seconds, as a live chain does (transactions are still
mined as they arrive), so confirmations accrue while nobody sends.
"""
import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import rlp
from eth_abi import decode as abi_decode, encode as abi_encode
from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.exceptions import TransactionFailed, TransactionNotFound, ValidationError, BlockNotFound
from eth_account import Account
from eth_utils import keccak, to_checksum_address

ERROR_SELECTOR = keccak(text="Error(string)")[:4]
DEFAULT_TIP = 1_000_000_000  # 1 gwei: what eth_maxPriorityFeePerGas suggests here


class RPCError(Exception):
    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


def camel(key):
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


def to_rpc(value, key=None):
    """eth-tester's snake_case ints into JSON-RPC's camelCase hex quantities."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            name = camel(k)
            out["input" if name == "data" and "nonce" in value else name] = to_rpc(v, name)
        return out
    if isinstance(value, (list, tuple)):
        return [to_rpc(v) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return hex(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return value


def quantity(value, name):
    if not isinstance(value, str) or not value.startswith("0x"):
        raise RPCError(-32602, f"invalid params: {name} must be a 0x-prefixed hex quantity")
    return int(value, 16)


def block_id(value):
    if value in (None, "latest", "pending", "safe", "finalized"):
        return "latest"
    if value == "earliest":
        return 0
    return quantity(value, "block")


def revert_error(failure):
    """geth's shape for a revert, with the Error(string) reason decoded."""
    raw = failure.args[0] if failure.args else b""
    if isinstance(raw, str):
        raw = bytes.fromhex(raw[2:]) if raw.startswith("0x") else raw.encode()
    reason = ""
    if raw[:4] == ERROR_SELECTOR:
        try:
            reason = abi_decode(["string"], raw[4:])[0]
        except Exception:  # malformed reason: keep the raw data only
            reason = ""
    elif raw and all(32 <= b < 127 for b in raw):
        # eth-tester sometimes hands over the reason already decoded: re-encode it as a node would.
        reason = raw.decode()
        raw = ERROR_SELECTOR + abi_encode(["string"], [reason])
    message = "execution reverted" + (f": {reason}" if reason else "")
    return RPCError(3, message, "0x" + raw.hex())


class DevChain:
    def __init__(self, chain_id):
        self.backend = PyEVMBackend()
        self.backend.chain.chain_id = chain_id  # quirk 1: fixed at construction otherwise
        self.chain_id = chain_id
        self.tester = EthereumTester(self.backend)
        self.lock = threading.Lock()  # py-evm is not thread-safe
        self.funded = self.tester.get_accounts()[0]
        self.queued = {}  # sender -> {nonce: raw}: held until the nonces before them are used

    def accounts(self):
        # eth-tester's dev keys (0x…01 to 0x…0a): public test keys, never for a real network.
        return [{"address": to_checksum_address(a), "privateKey": str(k)}
                for a, k in zip(self.tester.get_accounts(), self.backend.account_keys)]

    # --- methods -------------------------------------------------------------------------------

    def eth_chainId(self):
        return hex(self.chain_id)

    def net_version(self):
        return str(self.chain_id)

    def eth_blockNumber(self):
        return hex(self.tester.get_block_by_number("latest")["number"])

    def eth_getBlockByNumber(self, number, full=False):
        try:
            block = self.tester.get_block_by_number("pending" if number == "pending" else block_id(number), full)
        except BlockNotFound:
            return None
        return to_rpc(block)

    def eth_getBalance(self, address, block="latest"):
        return hex(self.tester.get_balance(address, block_id(block)))

    def eth_getTransactionCount(self, address, block="latest"):
        return hex(self.tester.get_nonce(address, "pending" if block == "pending" else block_id(block)))

    def eth_gasPrice(self):
        return hex(self.tester.get_block_by_number("pending")["base_fee_per_gas"] + DEFAULT_TIP)

    def eth_maxPriorityFeePerGas(self):
        return hex(DEFAULT_TIP)

    def eth_feeHistory(self, count, newest, percentiles=None):
        # quirk 3: eth-tester's get_fee_history is a stub.
        count = quantity(count, "blockCount") if isinstance(count, str) else int(count)
        latest = self.tester.get_block_by_number("latest")["number"]
        newest_number = latest if newest in ("latest", "pending", "safe", "finalized") else block_id(newest)
        count = max(1, min(count, 1024, newest_number + 1))
        oldest = newest_number - count + 1
        base_fees, ratios, rewards = [], [], []
        for number in range(oldest, newest_number + 1):
            block = self.tester.get_block_by_number(number, True)
            base_fee = block["base_fee_per_gas"]
            base_fees.append(hex(base_fee))
            ratios.append(block["gas_used"] / block["gas_limit"] if block["gas_limit"] else 0.0)
            if percentiles is not None:
                rewards.append([hex(r) for r in self._rewards(block, base_fee, percentiles)])
        base_fees.append(hex(self._next_base_fee(self.tester.get_block_by_number(newest_number))))
        result = {"oldestBlock": hex(oldest), "baseFeePerGas": base_fees, "gasUsedRatio": ratios}
        if percentiles is not None:
            result["reward"] = rewards
        return result

    def _rewards(self, block, base_fee, percentiles):
        tips = []
        for tx in block["transactions"]:
            receipt = self.tester.get_transaction_receipt(tx["hash"])
            if "max_fee_per_gas" in tx:
                tip = min(tx["max_priority_fee_per_gas"], tx["max_fee_per_gas"] - base_fee)
            else:
                tip = tx["gas_price"] - base_fee
            tips.append((tip, receipt["gas_used"]))
        if not tips:
            return [0 for _ in percentiles]
        tips.sort()
        total = sum(gas for _, gas in tips)
        out = []
        for p in percentiles:
            threshold, cumulative = total * p / 100, 0
            for tip, gas in tips:
                cumulative += gas
                if cumulative >= threshold:
                    out.append(tip)
                    break
            else:
                out.append(tips[-1][0])
        return out

    @staticmethod
    def _next_base_fee(block):
        # EIP-1559: the base fee moves by at most 1/8 towards the gas target (half the limit).
        base, used, target = block["base_fee_per_gas"], block["gas_used"], block["gas_limit"] // 2
        if used == target:
            return base
        if used > target:
            return base + max(base * (used - target) // target // 8, 1)
        return base - base * (target - used) // target // 8

    def _call_params(self, call):
        tx = {}
        for key, name in (("from", "from"), ("to", "to"), ("gas", "gas"), ("value", "value")):
            if call.get(key) is not None:
                tx[name] = int(call[key], 16) if key in ("gas", "value") else call[key]
        data = call.get("input", call.get("data"))
        if data:
            tx["data"] = data
        tx.setdefault("from", self.funded)  # quirk 4: a funded sender
        return tx

    def eth_call(self, call, block="latest"):
        try:
            return to_rpc(self.tester.call(self._call_params(call), block_id(block)))
        except TransactionFailed as failure:
            raise revert_error(failure)

    def eth_estimateGas(self, call, block="latest"):
        # eth-tester's estimate_gas fails with a TypeError on a revert instead of reporting it,
        # so run the call first: a revert surfaces with its reason, as geth reports it.
        self.eth_call(call, block)
        try:
            return hex(self.tester.estimate_gas(self._call_params(call), block_id(block)))
        except TransactionFailed as failure:
            raise revert_error(failure)

    def eth_sendRawTransaction(self, raw):
        payload = bytes.fromhex(raw[2:])
        chain_id = self._chain_id_of(payload)
        if chain_id != self.chain_id:  # quirk 2: py-evm does not check
            raise RPCError(-32000, f"invalid chain id for signer: have {chain_id}, want {self.chain_id}")
        sender, nonce = self._sender_and_nonce(raw, payload)
        if nonce > self.tester.get_nonce(sender, "pending"):
            # quirk 5: eth-tester refuses a nonce gap; a node holds the transaction until it closes.
            self.queued.setdefault(sender, {})[nonce] = raw
            return "0x" + keccak(payload).hex()
        try:
            result = to_rpc(self.tester.send_raw_transaction(raw))
        except TransactionFailed as failure:
            raise revert_error(failure)
        except ValidationError as error:
            raise RPCError(-32000, str(error))
        self._send_queued(sender)
        return result

    def _sender_and_nonce(self, raw, payload):
        try:
            sender = to_checksum_address(Account.recover_transaction(raw))
            fields = rlp.decode(payload[1:]) if payload[0] in (1, 2, 3) else rlp.decode(payload)
            nonce = int.from_bytes(fields[1] if payload[0] in (1, 2, 3) else fields[0], "big")
        except Exception:
            raise RPCError(-32602, "invalid params: not a signed transaction")
        return sender, nonce

    def _send_queued(self, sender):
        held = self.queued.get(sender, {})
        while held:
            nonce = self.tester.get_nonce(sender, "pending")
            for stale in [n for n in held if n < nonce]:
                del held[stale]  # its nonce was used by another transaction: it can never be mined
            raw = held.pop(nonce, None)
            if raw is None:
                break
            try:
                self.tester.send_raw_transaction(raw)
            except (TransactionFailed, ValidationError):
                pass  # as a node drops an invalid transaction from its pool

    def _queued_transaction(self, tx_hash):
        for sender, held in self.queued.items():
            for nonce, raw in held.items():
                if "0x" + keccak(bytes.fromhex(raw[2:])).hex() == tx_hash.lower():
                    return {"hash": tx_hash.lower(), "from": sender, "nonce": hex(nonce), "blockNumber": None}
        return None

    @staticmethod
    def _chain_id_of(payload):
        try:
            if payload and payload[0] in (1, 2, 3):  # typed transactions carry the chain id first
                return int.from_bytes(rlp.decode(payload[1:])[0], "big")
            v = int.from_bytes(rlp.decode(payload)[6], "big")  # legacy: EIP-155 folds it into v
        except Exception:
            raise RPCError(-32602, "invalid params: not an RLP-encoded transaction")
        if v in (27, 28):
            raise RPCError(-32000, "only replay-protected (EIP-155) transactions allowed over RPC")
        return (v - 35) // 2

    def eth_getTransactionReceipt(self, tx_hash):
        try:
            receipt = self.tester.get_transaction_receipt(tx_hash)
        except TransactionNotFound:
            return None
        if receipt.get("block_number") is None:
            return None  # pending: no receipt yet
        result = to_rpc(receipt)
        result["transactionHash"] = tx_hash.lower()
        return result

    def eth_getTransactionByHash(self, tx_hash):
        try:
            return to_rpc(self.tester.get_transaction_by_hash(tx_hash))
        except TransactionNotFound:
            return self._queued_transaction(tx_hash)

    def eth_getLogs(self, flt):
        from_block = block_id(flt.get("fromBlock"))
        to_block = block_id(flt.get("toBlock"))
        if to_block == "latest":
            to_block = self.tester.get_block_by_number("latest")["number"]
        if from_block == "latest":
            from_block = to_block
        topics = flt.get("topics") or None
        return to_rpc(list(self.tester.get_logs(from_block=from_block, to_block=to_block,
                                                address=flt.get("address"), topics=topics)))

    def evm_mine(self, blocks="0x1"):
        self.tester.mine_blocks(quantity(blocks, "blocks") if isinstance(blocks, str) else int(blocks))
        return self.eth_blockNumber()

    def evm_setAutomine(self, enabled):
        (self.tester.enable_auto_mine_transactions if enabled else self.tester.disable_auto_mine_transactions)()
        return True

    def dispatch(self, request):
        if not isinstance(request, dict) or request.get("jsonrpc") != "2.0" or "method" not in request:
            return {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "invalid request"}}
        ident = request.get("id")
        method = getattr(self, request["method"], None) if not request["method"].startswith("_") else None
        if method is None or request["method"] in ("dispatch", "accounts"):
            return {"jsonrpc": "2.0", "id": ident, "error": {"code": -32601, "message": f"the method {request['method']} does not exist"}}
        try:
            with self.lock:
                result = method(*request.get("params", []))
            return {"jsonrpc": "2.0", "id": ident, "result": result}
        except RPCError as error:
            body = {"code": error.code, "message": error.message}
            if error.data is not None:
                body["data"] = error.data
            return {"jsonrpc": "2.0", "id": ident, "error": body}
        except TypeError as error:
            return {"jsonrpc": "2.0", "id": ident, "error": {"code": -32602, "message": f"invalid params: {error}"}}
        except Exception as error:  # a bug or an unmapped eth-tester error: still JSON-RPC
            return {"jsonrpc": "2.0", "id": ident, "error": {"code": -32000, "message": f"{type(error).__name__}: {error}"}}


def deploy_sandbox(chain, decimals=18, allowlisted=(1, 2), funded=1, amount=1_000_000):
    """Deploys DepositToken.vy as dev account 0's first transaction, allowlists `allowlisted`
    (indexes into the dev accounts) and mints `amount` whole tokens to `funded`."""
    import pathlib
    import subprocess
    from eth_abi import encode
    here = pathlib.Path(__file__).resolve().parent
    vyper = pathlib.Path(sys.executable).with_name("vyper")
    bytecode = subprocess.check_output([str(vyper), "-f", "bytecode", str(here / "DepositToken.vy")], text=True).strip()
    tester = chain.tester
    accounts = tester.get_accounts()
    owner = accounts[0]
    tx = tester.send_transaction({"from": owner, "data": bytecode + encode(["uint8"], [decimals]).hex(), "gas": 2_000_000})
    token = tester.get_transaction_receipt(tx)["contract_address"]

    def call(signature, types, values):
        data = "0x" + keccak(text=signature)[:4].hex() + encode(types, values).hex()
        receipt = tester.get_transaction_receipt(tester.send_transaction({"from": owner, "to": token, "data": data, "gas": 200_000}))
        if receipt["status"] != 1:
            raise SystemExit(f"sandbox set-up failed at {signature}")

    for index in allowlisted:
        call("setAllowlisted(address,bool)", ["address", "bool"], [accounts[index], True])
    call("mint(address,uint256)", ["address", "uint256"], [accounts[funded], amount * 10**decimals])
    return to_checksum_address(token)


def make_handler(chain):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            try:
                request = json.loads(self.rfile.read(length))
            except ValueError:
                response = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error"}}
            else:
                if isinstance(request, list):
                    response = [chain.dispatch(r) for r in request] if request else \
                        {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "empty batch"}}
                else:
                    response = chain.dispatch(request)
            body = json.dumps(response).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass  # quiet: tests read stdout for the ready line

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8545)
    parser.add_argument("--chain-id", type=int, default=31337)
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="stop when the process that started this one ends (tests)")
    parser.add_argument("--sandbox", action="store_true", help="deploy and fund the sandbox deposit token")
    parser.add_argument("--sandbox-cnh", action="store_true", help="deploy and fund the 6-decimal sandbox CNH token")
    parser.add_argument("--block-time", type=float, default=0, help="mine an empty block every this many seconds")
    args = parser.parse_args()

    chain = DevChain(args.chain_id)
    sandbox_token = None
    if args.sandbox:
        sandbox_token = deploy_sandbox(chain)
    elif args.sandbox_cnh:
        sandbox_token = deploy_sandbox(chain, decimals=6, allowlisted=(3, 4, 5), funded=3, amount=10_000_000)
    if args.block_time > 0:
        def produce():
            import time
            while True:
                time.sleep(args.block_time)
                with chain.lock:
                    chain.tester.mine_blocks(1)

        threading.Thread(target=produce, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(chain))
    if args.exit_with_parent:
        parent = os.getppid()

        def watch():
            import time
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)

        threading.Thread(target=watch, daemon=True).start()
    ready = {"url": f"http://127.0.0.1:{server.server_address[1]}", "chainId": args.chain_id,
             "accounts": chain.accounts()}
    if sandbox_token:
        ready["sandboxToken"] = sandbox_token
    print(json.dumps(ready), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
