import { defineConfig } from "tsup";

// ESM for browsers (index) and Node (node: adds ws/eventsource where Node lacks them); one bundled
// declaration file per entry (react-query: the TanStack Query helpers), the router's shape inlined (src/router-shape.generated.ts), @trpc/* external.
export default defineConfig({
  entry: { index: "src/index.ts", node: "src/node.ts", "react-query": "src/react-query.ts" },
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: { entry: { index: "src/index.ts", "react-query": "src/react-query.ts" } },
  clean: true,
  sourcemap: false,
  external: [
    "@trpc/client",
    "@trpc/server",
    "@trpc/tanstack-react-query",
    "@tanstack/react-query",
    "react",
    "ws",
    "eventsource",
  ],
});
