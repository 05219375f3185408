#!/usr/bin/env bash
# The second command: set up (system packages and the Python cross-check tools) and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --python

# Holiday calendars in Config/ must agree with the PyPI `holidays` package.
.venv/bin/python scripts/calendars.py check

swift test

# The rail scaffold's output builds and passes its own test (a package of its own: built after the suites, not beside them).
./scripts/check-scaffold.sh
