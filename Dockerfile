# Pantau server image: build with the dev tools, run with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY server ./server
COPY scripts ./scripts
COPY bench ./bench
COPY test/helpers ./test/helpers
COPY playground ./playground
COPY dashboard ./dashboard
RUN npm run build:server && npm run build:playground && npm run build:dashboard

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# Inside a container 127.0.0.1 is unreachable from outside: listen on every interface even with
# PANTAU_DEMO=true (which otherwise defaults to 127.0.0.1); publishing the port decides who reaches it.
ENV HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/playground/dist ./playground/dist
COPY --from=build /app/dashboard/dist ./dashboard/dist
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:4000/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/server/main.js"]
