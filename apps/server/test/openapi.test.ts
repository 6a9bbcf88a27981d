/**
 * GET /openapi.json (issue 13): the document is valid OpenAPI 3.1 by a real validator, lists the
 * public reads and no signed-in procedure, and the real server answers the documented URL shape
 * with bodies that match the documented schemas — results and typed errors alike.
 */
import { createClient } from "@deltacrown/client";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices } from "@deltacrown/test-harness";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

type Schema = Record<string, unknown>;
interface Operation {
  parameters: { name: string; content: { "application/json": { schema: Schema } } }[];
  responses: { "200": { content: { "application/json": { schema: Schema } } } };
}
interface Document {
  openapi: string;
  paths: Record<string, { get: Operation }>;
  components: { schemas: { Error: Schema } };
}

describe("/openapi.json", () => {
  const services = useTestServices();
  let platform: Awaited<ReturnType<typeof startTestPlatform>>;
  let doc: Document;
  // Strict: a keyword the 2020-12 dialect does not know fails the compile instead of being ignored.
  const ajv = new Ajv2020({ strict: true, allErrors: true });

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    platform = await startTestPlatform(services);
    const res = await fetch(`${platform.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    doc = (await res.json()) as Document;
  });
  afterAll(() => platform?.close());

  /** A documented GET, in the documented wire format, its body checked against the documented schema. */
  async function call(path: string, input?: unknown) {
    const op = doc.paths[`/trpc/${path}`]?.get;
    if (!op) throw new Error(`${path} is not documented`);
    const parameter = op.parameters.find((p) => p.name === "input");
    // An input exactly when the procedure documents one, and one its schema accepts.
    expect(parameter !== undefined, `${path} input parameter`).toBe(input !== undefined);
    if (parameter)
      expect(ajv.validate(parameter.content["application/json"].schema, input), JSON.stringify(ajv.errors)).toBe(true);
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const res = await fetch(`${platform.url}/trpc/${path}${query}`);
    const body = await res.json();
    const schema = res.ok ? op.responses["200"].content["application/json"].schema : doc.components.schemas.Error;
    expect(ajv.validate(schema, body), `${path} ${res.status}: ${JSON.stringify(ajv.errors)}`).toBe(true);
    return { status: res.status, body: body as { result?: { data: unknown }; error?: { data: Schema } } };
  }

  it("is a valid OpenAPI 3.1 document of the public reads only", async () => {
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
    // The validator does reject: the same document with a malformed parameter fails.
    const broken = structuredClone(doc) as unknown as Record<string, Record<string, { get: { parameters: unknown } }>>;
    broken.paths!["/trpc/teams.bySlug"]!.get.parameters = [{ name: "input" }];
    expect((await new Validator().validate(broken)).valid).toBe(false);

    const paths = Object.keys(doc.paths);
    for (const read of ["teams.bySlug", "teams.search", "games.list", "tournaments.list", "certificates.verify"])
      expect(paths).toContain(`/trpc/${read}`);
    // Signed-in reads and every mutation stay out.
    for (const hidden of ["identity.me", "teams.mine", "notifications.list", "teams.create", "identity.signIn"])
      expect(paths).not.toContain(`/trpc/${hidden}`);
    // Every schema compiles under JSON Schema 2020-12 (strict).
    for (const [path, item] of Object.entries(doc.paths)) {
      const op = item.get;
      expect(() => ajv.compile(op.responses["200"].content["application/json"].schema), path).not.toThrow();
      for (const p of op.parameters)
        expect(() => ajv.compile(p.content["application/json"].schema), path).not.toThrow();
    }
  });

  it("documents what the real server answers", async () => {
    const captain = createClient({ url: platform.url });
    const { token } = await captain.identity.signUp.mutate({
      username: "atlas",
      email: "atlas@dc.gg",
      password: "long-enough-pw",
    });
    await createClient({ url: platform.url, token }).teams.create.mutate({
      name: "Atlas Five",
      tag: "ATLS",
      gameSlug: "valorant",
    });

    const games = await call("games.list");
    expect(games.status).toBe(200);
    expect((games.body.result!.data as unknown[]).length).toBe(demoGames.length);

    const team = await call("teams.bySlug", { slug: "atlas-five" });
    expect(team.status).toBe(200);
    expect(team.body.result!.data).toMatchObject({ slug: "atlas-five", owner: { username: "atlas" } });

    const search = await call("teams.search", { namePrefix: "Atl", limit: 5 });
    expect(search.status).toBe(200);
    expect((search.body.result!.data as { items: { slug: string }[] }).items.map((t) => t.slug)).toEqual([
      "atlas-five",
    ]);

    // The documented error shape: a typed 404 and a 400 with field paths.
    const missing = await call("teams.bySlug", { slug: "nobody-here" });
    expect(missing.status).toBe(404);
    expect(missing.body.error!.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });

    const res = await fetch(`${platform.url}/trpc/teams.search?input=${encodeURIComponent('{"limit":500}')}`);
    const invalid = await res.json();
    expect(res.status).toBe(400);
    expect(ajv.validate(doc.components.schemas.Error, invalid), JSON.stringify(ajv.errors)).toBe(true);
    expect((invalid as { error: { data: { fieldErrors: unknown } } }).error.data.fieldErrors).toHaveProperty("limit");
  });
});
