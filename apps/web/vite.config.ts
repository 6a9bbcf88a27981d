import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

// `pnpm dev`: Vite with hot reload; API calls go through its proxy to a running `pnpm start`
// (DC_API_URL, default http://127.0.0.1:3000), so the browser sees one origin as in production.
const api = process.env.DC_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  // Our packages export TypeScript sources under "source" (dist/ by default): in the workspace the
  // web app builds from the client's sources, so `pnpm start` on a fresh clone needs no build first.
  resolve: { conditions: ["source", ...defaultClientConditions] },
  server: {
    proxy: {
      "/trpc-ws": { target: api.replace(/^http/, "ws"), ws: true },
      "/trpc": { target: api, changeOrigin: false },
    },
  },
  build: {
    // Hashed file names under /assets/: the server sends them with a one-year immutable cache.
    assetsDir: "assets",
    target: "es2022",
    sourcemap: false,
  },
});
