#!/usr/bin/env bash
# Performs the Dockerfile's stages without a Docker engine: the build stage in one clean temporary
# directory, the runtime stage in another, then starts `paperbot serve` from the runtime copy and checks
# /healthz and /readyz. Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
port="${PORT:-39$((RANDOM % 90 + 10))}"
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== build stage in $work/build"
mkdir -p "$work/build"
cd "$root"
cp -r package.json package-lock.json tsconfig.json tsconfig.build.json src adapters bin "$work/build/"
cd "$work/build"
npm ci --no-audit --no-fund
npm ci --omit=dev --ignore-scripts --no-audit --no-fund
npm rebuild better-sqlite3

echo "== runtime stage in $work/runtime"
mkdir -p "$work/runtime" "$work/data"
cp -r node_modules dist package.json "$work/runtime/"
cd "$root"
cp -r bin manifest.yml teams "$work/runtime/"
mkdir -p "$work/runtime/data" && cp -r data/seed "$work/runtime/data/seed"
if [ -d "$work/runtime/node_modules/typescript" ] || [ -d "$work/runtime/node_modules/jest" ]; then
  echo "runtime stage carries dev dependencies" >&2
  exit 1
fi

echo "== paperbot serve on port $port"
cd "$work/runtime"
NODE_ENV=production PAPERBOT_DATA_DIR="$work/data" PORT="$port" node bin/paperbot.js serve &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/healthz"; echo
curl -fsS "http://127.0.0.1:$port/readyz"; echo
kill -TERM "$pid"
wait "$pid"
echo "== image steps OK (serve exited $?)"
