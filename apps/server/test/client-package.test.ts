/**
 * @deltacrown/client as an outside app gets it: built, packed (`pnpm pack`), installed from the
 * tarball into a fresh project outside the workspace with a strict Vite-style tsconfig and no
 * server package anywhere. That project type-checks a file using inputs, outputs and typed errors
 * (expectTypeOf, and a @ts-expect-error on a wrong input), then runs it against the real server.
 * Prints the tarball and declaration sizes and the consumer's tsc file count and time.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices } from "@deltacrown/test-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";
import { withoutSourceCondition } from "./processes.support.ts";

installOpenHandleCheck();
const run = promisify(execFile);
const repo = fileURLToPath(new URL("../../../", import.meta.url));
const tsc = join(repo, "node_modules/typescript/bin/tsc");
// An outside project knows nothing of the workspace's "source" condition (pnpm passes it to us
// through NODE_OPTIONS): with it, node would resolve the tarball's own sources.
const outside = { ...process.env, NODE_OPTIONS: withoutSourceCondition(process.env.NODE_OPTIONS) };

const consumerSource = `import { createClient, isApiError, type ErrorReason, type RouterInputs, type RouterOutputs } from "@deltacrown/client";
import { expectTypeOf } from "expect-type";

declare const process: { argv: string[] };

const dc = createClient({ url: process.argv[2] ?? "" });

type Team = RouterOutputs["teams"]["bySlug"];
expectTypeOf<RouterInputs["teams"]["bySlug"]>().toEqualTypeOf<{ slug: string }>();
expectTypeOf<Team["memberCount"]>().toEqualTypeOf<number>();
expectTypeOf<Team["tag"]>().toEqualTypeOf<string | null>();

export function neverCalled() {
  // @ts-expect-error a slug is a string
  return dc.teams.bySlug.query({ slug: 42 });
}

const games = await dc.games.list.query();
expectTypeOf(games).toEqualTypeOf<RouterOutputs["games"]["list"]>();

let failure: unknown;
try {
  await dc.teams.bySlug.query({ slug: "no-such-team" });
} catch (e) {
  if (isApiError(e)) {
    expectTypeOf(e.data?.reason).toEqualTypeOf<ErrorReason | null | undefined>();
    expectTypeOf<"INVITE_EXPIRED">().toExtend<ErrorReason>();
    // @ts-expect-error a misspelled reason is not one the server sends
    const misspelled: ErrorReason = "INVITE_EXPRIED";
    void misspelled;
    expectTypeOf(e.data?.fieldErrors).toEqualTypeOf<{ [key: string]: string[] } | null | undefined>();
    expectTypeOf(e.data?.retryAfter).toEqualTypeOf<number | null | undefined>();
    failure = { code: e.data?.code, reason: e.data?.reason, httpStatus: e.data?.httpStatus };
  }
}
console.log(JSON.stringify({ games: games.map((g) => g.slug).slice(0, 2), failure }));
`;

const tsconfig = {
  compilerOptions: {
    target: "ES2022",
    // tRPC 11's own declarations use Disposable (checked with skipLibCheck: false).
    lib: ["ES2023", "DOM", "DOM.Iterable", "ESNext.Disposable"],
    module: "ESNext",
    moduleResolution: "bundler",
    verbatimModuleSyntax: true,
    erasableSyntaxOnly: true,
    isolatedModules: true,
    skipLibCheck: false,
    strict: true,
    noUncheckedIndexedAccess: true,
    types: [],
    outDir: "out",
  },
  include: ["consumer.ts"],
};

describe("the packed client in an outside project", () => {
  const services = useTestServices();
  let platform: Platform;
  let dir: string;

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    platform = await startTestPlatform(services);
    dir = await mkdtemp(join(tmpdir(), "dc-consumer-"));
  });
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("builds, packs, installs from the tarball, type-checks strictly and runs against the server", async () => {
    const built = await run("pnpm", ["--filter", "@deltacrown/client", "build"], { cwd: repo });
    await run("pnpm", ["--filter", "@deltacrown/client", "pack", "--pack-destination", dir], { cwd: repo });
    const tarball = (await readdir(dir)).find((f) => f.endsWith(".tgz"))!;
    const tarballBytes = (await stat(join(dir, tarball))).size;

    const project = join(dir, "app");
    await run("mkdir", ["-p", project]);
    await writeFile(
      join(project, "package.json"),
      JSON.stringify({
        name: "outside-app",
        private: true,
        type: "module",
        dependencies: { "@deltacrown/client": `file:../${tarball}`, "expect-type": "^1.2.0" },
      }),
    );
    await writeFile(join(project, "tsconfig.json"), JSON.stringify(tsconfig));
    await writeFile(join(project, "consumer.ts"), consumerSource);
    // Outside the workspace; from pnpm's store (the same versions the workspace uses).
    await run("pnpm", ["install", "--prefer-offline", "--ignore-workspace", "--config.engine-strict=false"], {
      cwd: project,
      env: outside,
    });
    const { readdir: list } = await import("node:fs/promises");
    expect(await list(join(project, "node_modules/@deltacrown"))).toEqual(["client"]);
    expect(await list(join(project, "node_modules"))).not.toContain("kysely");

    const started = performance.now();
    const check = await run("node", [tsc, "-p", ".", "--extendedDiagnostics"], { cwd: project, env: outside }).catch(
      (e: { stdout: string }) => {
        throw new Error(`consumer type-check failed:\n${e.stdout}`);
      },
    );
    const checkMs = performance.now() - started;
    const files = Number(/^Files:\s+(\d+)/m.exec(check.stdout)?.[1]);
    // No server package's or server dependency's types were loaded.
    const listed = await run("node", [tsc, "-p", ".", "--listFilesOnly"], { cwd: project, env: outside });
    expect(listed.stdout).not.toMatch(/kysely|ioredis|graphile|\/pg\/|@deltacrown\/(api|domain|db)/);

    const ran = await run("node", [join(project, "out/consumer.js"), platform.url], { cwd: project, env: outside });
    expect(JSON.parse(ran.stdout)).toEqual({
      games: expect.any(Array) as unknown,
      failure: { code: "NOT_FOUND", reason: "NOT_FOUND", httpStatus: 404 },
    });

    // Declarations: index.d.ts plus the router chunk it shares with react-query.d.ts.
    const distDir = join(repo, "packages/client/dist");
    let dts = 0;
    for (const f of await readdir(distDir)) if (f.endsWith(".d.ts")) dts += (await stat(join(distDir, f))).size;
    process.stdout.write(
      `client package: tarball ${(tarballBytes / 1024).toFixed(1)} kB, declarations ${(dts / 1024).toFixed(1)} kB; ` +
        `consumer tsc: ${files} files, ${Math.round(checkMs)} ms (with emit)\n${built.stdout}`,
    );
    expect(files).toBeLessThan(150);
  }, 240_000);
});
