#!/usr/bin/env bash
# Installs SimPy into benches/simpy/.venv (a virtual environment of this
# folder, ignored by git). Not run by the tests.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python3 -m venv "$here/.venv"
"$here/.venv/bin/pip" install --quiet "simpy==4.1.1"
"$here/.venv/bin/python" -c "import simpy; print('simpy', simpy.__version__)"
