import { describe, expect, it } from "vitest";
import { defaultLimits } from "@deltacrown/api";
import { limitsOf, parseEnv } from "../src/env.ts";

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

  it("reads the abuse limits, the trusted proxies and the request caps", () => {
    const env = parseEnv({
      RATE_LIMIT_SIGNUP: "3/60",
      RATE_LIMIT_SIGNIN_ACCOUNT: "20/300/30",
      TRUST_PROXY: "10.0.0.0/8, 127.0.0.1, loopback",
      BATCH_MAX_CALLS: "5",
    });
    expect(limitsOf(env)).toEqual({
      ...defaultLimits,
      signUp: { points: 3, durationSeconds: 60, blockSeconds: 0 },
      signInAccount: { points: 20, durationSeconds: 300, blockSeconds: 30 },
    });
    expect(env.TRUST_PROXY).toEqual(["10.0.0.0/8", "127.0.0.1", "loopback"]);
    expect(env.BATCH_MAX_CALLS).toBe(5);
    expect(env.BODY_LIMIT_BYTES).toBe(1024 * 1024);
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(limitsOf(parseEnv({ RATE_LIMITS: "off" }))).toBe(false);
    expect(() => parseEnv({ RATE_LIMIT_GENERAL: "fast" })).toThrow(/RATE_LIMIT_GENERAL: must be points\/seconds/);
    expect(() => parseEnv({ TRUST_PROXY: "10.0.0.0/99" })).toThrow(/TRUST_PROXY/);
    expect(() => parseEnv({ TRUST_PROXY: "proxy.example.com" })).toThrow(/TRUST_PROXY/);
  });
});
