# Sourced by the other scripts: make sure the locked environment exists and is current.
# Needs only python3.11 on PATH; installs uv (pinned) into .tools/ and the project into .venv/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV_VERSION="0.13.8"
if [ ! -x .tools/bin/uv ] || [ "$(.tools/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  echo "setting up uv $UV_VERSION in .tools/ ..." >&2
  python3.11 -m venv .tools
  .tools/bin/pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
export UV_PYTHON_DOWNLOADS=never
export UV_PYTHON=python3.11
.tools/bin/uv sync --locked --quiet
export PATH="$ROOT/.venv/bin:$PATH"
