#!/usr/bin/env python3
"""Write Tests/RailKitTests/Fixtures/keccak-vectors.json: Keccak-256 digests from eth_utils
(eth-hash, as eth-account uses)
and SHA3-256 digests from hashlib, for deterministic pseudo-random inputs of lengths that cross
the 136-byte rate boundary. The Swift tests compare against these (an independent implementation)."""
import hashlib
import json
import pathlib
import random

from eth_utils import keccak

rng = random.Random(20261121)
lengths = list(range(0, 20)) + [31, 32, 33, 64, 100, 134, 135, 136, 137, 200, 271, 272, 273, 500, 1000]
vectors = []
for n in lengths:
    data = bytes(rng.getrandbits(8) for _ in range(n))
    vectors.append({"input": data.hex(), "keccak256": keccak(data).hex(), "sha3_256": hashlib.sha3_256(data).hexdigest()})
out = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "RailKitTests" / "Fixtures" / "keccak-vectors.json"
out.write_text(json.dumps({"generator": "scripts/keccak_vectors.py (eth_utils keccak, hashlib sha3_256)", "vectors": vectors}, indent=1) + "\n")
print(f"wrote {len(vectors)} vectors to {out}")
