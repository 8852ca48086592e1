#!/usr/bin/env bash
# Performs the Dockerfile's stages without a Docker engine: the build stage in one clean temporary directory,
# the runtime stage in another (only what the Dockerfile copies), then starts `paperbot serve` from the runtime
# copy, checks /healthz, /readyz and /metrics, and stops it with SIGTERM, which must exit 0 within 10 s.
# Exits non-zero on any failure. Usage: scripts/image-check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() {
  echo "image check failed: $*" >&2
  exit 1
}

echo "== build stage in $work/build"
mkdir -p "$work/build"
cd "$root"
# The Dockerfile's build-stage COPY lines, in the same order.
cp -r package.json package-lock.json tsconfig.json tsconfig.build.json src adapters bin "$work/build/"
cd "$work/build"
npm ci --no-audit --no-fund # its prepare script compiles TypeScript into dist/
[ -f dist/adapters/cli/main.js ] || fail "npm ci did not build dist/"
npm ci --omit=dev --ignore-scripts --no-audit --no-fund
npm rebuild better-sqlite3

echo "== runtime stage in $work/runtime"
mkdir -p "$work/runtime/data" "$work/data"
cp -r node_modules dist package.json "$work/runtime/"
cd "$root"
cp -r bin manifest.yml teams "$work/runtime/"
cp -r data/seed "$work/runtime/data/seed"
for dev in typescript jest @swc/core @swc-node/register eslint prettier autocannon; do
  [ ! -e "$work/runtime/node_modules/$dev" ] || fail "the runtime stage carries the dev dependency $dev"
done

echo "== packages loaded on demand resolve in the runtime stage"
cd "$work/runtime"
# serve loads each chat SDK, the Redis client and citation-js only when needed: a missing one would show up
# in production at the first Teams message, REDIS_URL or citation, so each is required here.
node -e "for (const m of ['@slack/bolt', '@microsoft/agents-hosting', '@microsoft/agents-hosting-extensions-teams', 'redis', '@citation-js/core', '@citation-js/plugin-csl', 'cli-progress']) require(m)" ||
  fail "a package loaded on demand is missing from the runtime stage"
# `map` draws its chart with resvg's native binary (a registry package per platform) and a font file the
# runtime stage installs (fonts-dejavu-core): both must be there, and a chart must come out as a PNG.
grep -q 'fonts-dejavu-core' "$root/Dockerfile" || fail "the Dockerfile's runtime stage installs no font for the chart"
chart="$(node -e "
const { chartPng } = require('./dist/src/chart/png');
const item = (label, value) => ({ label, value, valueText: String(value) });
chartPng({ title: 'image check', footer: 'x', bars: { heading: 'levels', items: [item('RCT', 3)] },
  columns: { heading: 'years', items: [item('2025', 1), item('2026', 2)] } })
  .then((i) => console.log(i.png.subarray(1, 4).toString(), i.width, i.height))
  .catch((e) => { console.error(e); process.exit(1); });
")" || fail "the chart could not be drawn"
[ "$chart" = "PNG 960 640" ] || fail "the chart came out as: $chart"
echo "chart: $chart"
cite="$(PAPERBOT_DATA_DIR="$work/data" node bin/paperbot.js --offline 'cite 23657305 vancouver')" || fail "cite"
grep -q 'Arq Gastroenterol. 2013;50(1):35' <<<"$cite" || fail "cite printed: $cite"
echo "cite: ok"

port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
echo "== paperbot serve on port $port"
cd "$work/runtime"
# The runtime stage's own Node options (its heap limit), as the image sets them.
node_options="$(sed -n 's/^ENV NODE_OPTIONS="\([^"]*\)"$/\1/p' "$root/Dockerfile")"
[ -n "$node_options" ] || fail "the Dockerfile sets no NODE_OPTIONS"
# Slack in token mode and Teams with an app id, so that both adapters load from this install. Neither is
# reached at start-up (Slack's token check fails fast and is only logged; Teams validates tokens per request).
NODE_ENV=production NODE_OPTIONS="$node_options" PAPERBOT_DATA_DIR="$work/data" PORT="$port" \
  SLACK_BOT_TOKEN=xoxb-0000000000-0000000000-imagecheckimagecheck0000 \
  SLACK_SIGNING_SECRET=0123456789abcdef0123456789abcdef SLACK_API_URL=http://127.0.0.1:9/api \
  TEAMS_APP_ID=00000000-0000-4000-8000-000000000000 TEAMS_APP_PASSWORD=image-check-secret \
  node bin/paperbot.js serve 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || fail "paperbot serve exited during start-up: $(cat "$work/serve.log")"
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/healthz" || fail "/healthz"
echo
grep -q '"mounts":\["slack","teams"\]' "$work/serve.log" || fail "serve did not mount Slack and Teams: $(cat "$work/serve.log")"
echo "mounts: slack, teams"
curl -fsS "http://127.0.0.1:$port/readyz" || fail "/readyz"
echo
metrics="$(curl -fsS "http://127.0.0.1:$port/metrics")" || fail "/metrics"
grep -q '^process_resident_memory_bytes ' <<<"$metrics" || fail "/metrics has no process metrics"
grep -q '^# TYPE paperbot_commands_total counter' <<<"$metrics" || fail "/metrics has no paperbot metrics"
echo "/metrics: $(grep -c '^[a-z]' <<<"$metrics") samples"

started=$(date +%s%N)
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=""
ms=$((($(date +%s%N) - started) / 1000000))
[ "$code" -eq 0 ] || fail "serve exited $code after SIGTERM"
[ "$ms" -lt 10000 ] || fail "serve took ${ms} ms to stop"
echo "== image steps OK (SIGTERM: exit 0 after ${ms} ms)"
