# syntax=docker/dockerfile:1
# One image for the subgraphs and the gateway; the command picks the role (docker-compose.yml):
#   node --import tsx scripts/start-subgraphs.ts     the four subgraphs (ports 4001-4004)
#   node --import tsx gateway/src/main.ts            one gateway (port 4000)
# Sources run through tsx (a production dependency), so the image holds the repository's
# TypeScript as it is in git: what the tests ran is what runs here.

ARG NODE_IMAGE=node:20.20-bookworm-slim

# Stage 1: pnpm and the production dependencies only. The install layer depends on the
# manifests and the lockfile alone, so a source change does not reinstall.
FROM ${NODE_IMAGE} AS build
ENV CI=true
RUN npm i -g pnpm@12.4.2 && npm cache clean --force
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY gateway/package.json gateway/
COPY packages/cache/package.json packages/cache/
COPY packages/database/package.json packages/database/
COPY packages/runtime/package.json packages/runtime/
COPY packages/subgraph-host/package.json packages/subgraph-host/
COPY subgraphs/catalog/package.json subgraphs/catalog/
COPY subgraphs/customers/package.json subgraphs/customers/
COPY subgraphs/sales/package.json subgraphs/sales/
COPY subgraphs/playlists/package.json subgraphs/playlists/
# --prod leaves out devDependencies (vitest, typescript, codegen, benchmark peers): 138 MB of
# node_modules instead of 375 MB (docs/deployment.md). `pnpm deploy` does not fit: it copies
# workspace packages into node_modules/.pnpm, where the paths they resolve from the repository
# root (schema files, the Chinook script) no longer hold.
RUN pnpm install --frozen-lockfile --prod
COPY . .

# Stage 2: the runtime, without pnpm or npm's cache; files owned by root, process not root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 4000 4001 4002 4003 4004
# Gateway by default: /readyz (a supergraph and every subgraph answering). The subgraphs'
# service sets HEALTHCHECK_URLS to their four /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "gateway/src/main.ts"]
