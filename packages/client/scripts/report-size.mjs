/* After the build: the sizes a consumer pays for (printed by `pnpm --filter @deltacrown/client build`). */
import { readdirSync, statSync } from "node:fs";

const dist = new URL("../dist/", import.meta.url);
for (const file of readdirSync(dist).sort())
  console.log(`dist/${file.padEnd(22)} ${(statSync(new URL(file, dist)).size / 1024).toFixed(1)} kB`);
