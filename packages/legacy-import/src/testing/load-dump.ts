import { readFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/**
 * Loads a plain-format pg_dump (optionally gzipped) the way `psql -f` would, without psql: each
 * statement in turn, `COPY … FROM stdin` blocks streamed through the COPY protocol, psql's
 * meta-commands (`\restrict`) skipped. Enough for the old site's dump, which has no function bodies.
 */
export async function loadDump(url: string, file: string): Promise<void> {
  const raw = await readFile(file);
  const text = (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  const client = new pg.Client({ connectionString: url, application_name: "deltacrown-load-dump" });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const lines = text.split("\n");
    let statement: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (statement.length === 0 && (line.startsWith("--") || line.startsWith("\\") || line.trim() === "")) continue;
      statement.push(line);
      if (!line.trimEnd().endsWith(";")) continue;
      const sqlText = statement.join("\n");
      statement = [];
      if (/^COPY .* FROM stdin;$/s.test(sqlText)) {
        const data: string[] = [];
        while (lines[++i] !== "\\.") data.push(`${lines[i]!}\n`);
        await pipeline(Readable.from(data), client.query(copyFrom(sqlText.replace(/;$/, ""))));
      } else {
        await client.query(sqlText);
      }
    }
  } finally {
    await client.end();
  }
}
