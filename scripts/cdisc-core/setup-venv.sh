#!/usr/bin/env bash
# Create .venv-core/: a Python 3.12 virtual environment holding cdisc-rules-engine (CDISC CORE).
#
# cdisc-rules-engine 0.17.1 requires Python >=3.12,<3.13 (its pyproject.toml), so it cannot
# live in the application's Python 3.11 venv. The rule data are not in the wheel; they are
# read from shared/cdisc-core/*.json by scripts/cdisc-core/run_core.py (research/standards.md §3).
#
# Usage: scripts/cdisc-core/setup-venv.sh [VENV_DIR]   (default: .venv-core)
# Idempotent: does nothing when the venv already imports the engine.
set -euo pipefail

VENV="${1:-.venv-core}"
VERSION="${CDISC_RULES_ENGINE_VERSION:-0.17.1}"

find_python312() {
  for candidate in "${PYTHON312:-}" python3.12 "$HOME/.pyenv/versions/3.12.1/bin/python3.12" \
                   /usr/local/bin/python3.12 /usr/bin/python3.12; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for v in $(pyenv versions --bare 2>/dev/null | grep '^3\.12' || true); do
      echo "$(pyenv root)/versions/$v/bin/python3.12"; return 0
    done
  fi
  return 1
}

if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import cdisc_rules_engine' 2>/dev/null; then
  echo "$VENV: cdisc-rules-engine already installed"
  exit 0
fi

PY=$(find_python312) || { echo "error: Python 3.12 not found (set PYTHON312=/path/to/python3.12)" >&2; exit 1; }
echo "using $PY"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "cdisc-rules-engine==$VERSION" "pyreadstat>=1.2"
"$VENV/bin/python" -c 'import cdisc_rules_engine, pyreadstat; print("cdisc-rules-engine ready")'
