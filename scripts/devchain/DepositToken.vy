# pragma version 0.4.3
# @title Sandbox bank deposit token
# @notice A permissioned ERC-20 in the shape of a bank deposit token (JPMD-style): the owner (the
#         bank) mints and burns, and only allowlisted accounts may hold, send or receive it.
#         Switchyard's dev chain deploys it for tests and the sandbox; it is not audited.

from ethereum.ercs import IERC20

implements: IERC20

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

event AllowlistChanged:
    account: indexed(address)
    allowed: bool

name: public(constant(String[32])) = "Sandbox Deposit Token"
symbol: public(constant(String[8])) = "SDT"
decimals: public(immutable(uint8))
owner: public(address)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
isAllowlisted: public(HashMap[address, bool])


@deploy
def __init__(token_decimals: uint8):
    decimals = token_decimals
    self.owner = msg.sender


@external
def setAllowlisted(account: address, allowed: bool):
    assert msg.sender == self.owner, "only the issuer manages the allowlist"
    self.isAllowlisted[account] = allowed
    log AllowlistChanged(account=account, allowed=allowed)


@external
def mint(receiver: address, amount: uint256):
    assert msg.sender == self.owner, "only the issuer mints"
    assert self.isAllowlisted[receiver], "receiver not allowlisted"
    self.totalSupply += amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=empty(address), receiver=receiver, value=amount)


@external
def burn(holder: address, amount: uint256):
    assert msg.sender == self.owner, "only the issuer burns"
    assert self.balanceOf[holder] >= amount, "burn exceeds balance"
    self.balanceOf[holder] -= amount
    self.totalSupply -= amount
    log Transfer(sender=holder, receiver=empty(address), value=amount)


@internal
def _transfer(sender: address, receiver: address, amount: uint256):
    assert self.isAllowlisted[sender], "sender not allowlisted"
    assert self.isAllowlisted[receiver], "receiver not allowlisted"
    assert self.balanceOf[sender] >= amount, "transfer amount exceeds balance"
    self.balanceOf[sender] -= amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=sender, receiver=receiver, value=amount)


@external
def transfer(receiver: address, amount: uint256) -> bool:
    self._transfer(msg.sender, receiver, amount)
    return True


@external
def transferFrom(sender: address, receiver: address, amount: uint256) -> bool:
    assert self.allowance[sender][msg.sender] >= amount, "transfer amount exceeds allowance"
    self.allowance[sender][msg.sender] -= amount
    self._transfer(sender, receiver, amount)
    return True


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True
