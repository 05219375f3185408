// Debian's libsecp256k1 (libsecp256k1-dev): ECDSA with public-key recovery, as Ethereum signs.
#include <secp256k1.h>
#include <secp256k1_recovery.h>
