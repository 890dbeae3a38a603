# jsondock: a one-file esbuild bundle on a slim Node.js image.
# The base image is an argument so that CI, which can reach no registry, can
# pass a locally built stand-in (see .ci/stand-in-base.sh). Nothing below may
# rely on what only real Alpine or only that stand-in has: no apk, no bash,
# no curl, no glibc — just sh, node and the `node` user (uid 1000).
ARG NODE_IMAGE=node:26-alpine

# ---- build stage: dependencies and the bundle; none of it reaches the final image ----
# It runs on the build machine's own platform ($BUILDPLATFORM) whatever the target: the bundle is
# the same JavaScript for every platform, and the lock addon's prebuilds for both Linux
# architectures ship beside it. Only the final stage is per-platform (for an arm64 image on an
# amd64 machine, its one RUN goes through qemu).
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The npm cache lives in a BuildKit cache mount: fast rebuilds, nothing left in a layer.
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json ./
COPY schemas ./schemas
COPY plugins ./plugins
COPY app ./app
RUN npm run build

# ---- final stage: the bundle, Swagger UI's static files, and nothing else ----
FROM ${NODE_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="jsondock" \
      org.opencontainers.image.description="JSON documents as plain files, behind a typed REST API with OpenAPI and Swagger UI" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/jsondock/jsondock"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /src/dist/ ./
# /data is where the host folder is mounted; owned by `node` so that a named
# volume (which copies this ownership) is writable too.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Node itself makes the request: no curl or wget needed, on any base.
HEALTHCHECK --interval=10s --timeout=10s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, then drains and exits 0.
# Arguments go to server.js: none serves the API; `import <file>` runs an import.
ENTRYPOINT ["node", "server.js"]
CMD []
