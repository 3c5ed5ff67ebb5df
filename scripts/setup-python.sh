#!/usr/bin/env bash
# Creates .venv-torch/ with the PyTorch that the exported scripts (engine/export) are tested
# against. Idempotent: does nothing when the venv is there and imports torch at that version.
# PyPI's Linux wheel of torch brings its CUDA libraries (several GB): the CPU-only builds are not
# on PyPI, and the wheel without them (pip --no-deps) does not import.
set -euo pipefail
cd "$(dirname "$0")/.."
TORCH_VERSION=2.15.0
VENV=.venv-torch
check() {
  "$VENV/bin/python" - "$TORCH_VERSION" <<'PY' 2>/dev/null
import sys, warnings
warnings.filterwarnings("ignore")
import torch
assert torch.__version__.split("+")[0] == sys.argv[1], torch.__version__
assert float(torch.ones(2) @ torch.ones(2)) == 2.0
PY
}
if [ -x "$VENV/bin/python" ] && check; then
  echo "setup-python: $VENV has torch $TORCH_VERSION"
  exit 0
fi
start=$(date +%s)
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "torch==$TORCH_VERSION"
check || { echo "setup-python: torch $TORCH_VERSION does not import from $VENV" >&2; exit 1; }
echo "setup-python: installed torch $TORCH_VERSION into $VENV in $(( $(date +%s) - start )) s"
