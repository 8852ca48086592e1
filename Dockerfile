# paperbot: `paperbot serve` (Slack, Teams, health endpoints and the digest scheduler) in a container.
# Build stage compiles the native SQLite binding and TypeScript; the runtime stage carries only production
# dependencies and the compiled output, runs as a non-root user and keeps its state in /data.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY bin ./bin
# npm ci runs the prepare script, which compiles TypeScript into dist/.
RUN npm ci
RUN npm ci --omit=dev --ignore-scripts && npm rebuild better-sqlite3

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PAPERBOT_DATA_DIR=/data \
    PORT=3000
# Heap limits that keep RSS under 200 MB flat out (bench:load; 300-370 MB without them, at the same
# throughput): the live heap peaks near 85 MB with the answer backlog full and 68 MB in a run of 1,000
# digests, but V8 lets garbage grow the heap to 250 MB before collecting. Raise them (NODE_OPTIONS at
# docker run) together with the container's memory limit.
ENV NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8"
WORKDIR /app
# The evidence map's chart (`map <query>`) is drawn by resvg, which needs a font file for its text:
# DejaVu Sans, from Debian's fonts-dejavu-core (src/chart/png.ts loads it by path).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY bin ./bin
COPY data/seed ./data/seed
COPY manifest.yml ./manifest.yml
COPY teams ./teams
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# SIGTERM stops accepting, finishes replies and digest posts in flight and exits 0 within 10 s: give the
# container at least that (docker stop -t 15; Kubernetes' default 30 s grace is plenty).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "require('http').get('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
ENTRYPOINT ["node", "bin/paperbot.js"]
CMD ["serve"]
