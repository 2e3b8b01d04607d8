#!/usr/bin/env bash
# mypy over gkdesk/ (settings in pyproject.toml). The error count may only go down: it fails
# when the count rises above .ci/mypy-baseline, and says so when the baseline can be lowered.
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=$(tr -dc '0-9' < .ci/mypy-baseline)
out=$(.venv/bin/python -m mypy 2>&1 || true)
count=$(printf '%s\n' "$out" | grep -c ": error:" || true)
echo "mypy: ${count} errors (baseline ${baseline})"
if [ "$count" -gt "$baseline" ]; then
  printf '%s\n' "$out" | grep ": error:" >&2
  echo "mypy 错误数从 ${baseline} 增加到 ${count} / mypy errors rose above the baseline" >&2
  exit 1
fi
if [ "$count" -lt "$baseline" ]; then
  echo "mypy: fewer errors than the baseline — lower .ci/mypy-baseline to ${count}"
fi
