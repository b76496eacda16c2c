#!/usr/bin/env bash
# Exercism's test-runner interface: bin/run.sh SLUG INPUT_DIR OUTPUT_DIR writes OUTPUT_DIR/results.json.
# The runner image installs the pack (pip install -e .) and calls this once per solution.
set -euo pipefail
if [ "$#" -ne 3 ]; then
  echo "usage: bin/run.sh SLUG INPUT_DIR OUTPUT_DIR" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
exec "${PYTHON:-python3}" "$root/grader.py" exercism "$1" "$2" "$3"
