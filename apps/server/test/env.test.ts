import { describe, expect, it } from "vitest";
import { parseEnv } from "../src/env.ts";

describe("server environment", () => {
  it("applies defaults for an empty environment", () => {
    expect(parseEnv({})).toMatchObject({
      HOST: "127.0.0.1",
      PORT: 3000,
      CONTRACT_MODE: "warn",
      SCRYPT_COST: 32768,
      RUN_WORKER: false,
    });
  });

  it("names every bad variable", () => {
    expect(() => parseEnv({ PORT: "http", DATABASE_URL: "mysql://x", SCRYPT_COST: "1000" })).toThrow(
      /PORT[\s\S]*DATABASE_URL: must be a postgres:\/\/ URL|DATABASE_URL[\s\S]*PORT/,
    );
    expect(() => parseEnv({ SCRYPT_COST: "1000" })).toThrow(/SCRYPT_COST: must be a power of two/);
  });
});
