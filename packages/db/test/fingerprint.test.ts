import { describe, expect, it } from "vitest";
import { fingerprint, isTransactionControl } from "../src/fingerprint.ts";
import { QueryLedger } from "../src/ledger.ts";

describe("fingerprint", () => {
  it("treats parameters and literals as placeholders", () => {
    expect(fingerprint(`select * from teams where id = $1 and name = 'x''y' and n > 10`)).toBe(
      "select * from teams where id = ? and name = ? and n > ?",
    );
  });

  it("folds IN lists of any length into one shape", () => {
    const three = fingerprint(`select * from t where id in ($1, $2, $3)`);
    const thirty = fingerprint(
      `select * from t where id in (${Array.from({ length: 30 }, (_, i) => `$${i + 1}`).join(", ")})`,
    );
    expect(three).toBe(thirty);
    expect(three).toBe("select * from t where id in (?+)");
  });

  it("folds multi-row VALUES into one shape", () => {
    expect(fingerprint(`insert into t (a, b) values ($1, $2), ($3, $4), ($5, $6)`)).toBe(
      fingerprint(`insert into t (a, b) values ($1, $2)`),
    );
    expect(fingerprint(`insert into t (a, b) values ($1, $2), ($3, $4)`)).toBe(
      fingerprint(`insert into t (a, b) values ($1, $2), ($3, $4), ($5, $6), ($7, $8)`),
    );
  });

  it("keeps digits inside identifiers and normalizes whitespace and case", () => {
    expect(fingerprint(`SELECT  t2.col1\n FROM   teams2 t2`)).toBe("select t2.col1 from teams2 t2");
  });

  it("recognizes transaction control", () => {
    for (const s of [
      "begin",
      "COMMIT",
      "rollback",
      "savepoint sp1",
      "release savepoint sp1",
      "rollback to savepoint sp1",
    ])
      expect(isTransactionControl(s), s).toBe(true);
    expect(isTransactionControl("select 1")).toBe(false);
    expect(isTransactionControl("update begins set x = 1")).toBe(false);
  });
});

describe("QueryLedger", () => {
  it("counts statements, excludes control, and reports shapes repeated 3+ times", () => {
    const ledger = new QueryLedger("t");
    ledger.record("begin", 0.1);
    for (const id of [1, 2, 3]) ledger.record(`select * from users where id = ${id}`, 0.2);
    ledger.record("select * from teams", 0.3);
    ledger.record("commit", 0.1);
    expect(ledger.count).toBe(4);
    expect(ledger.repeats()).toEqual([{ fingerprint: "select * from users where id = ?", times: 3 }]);
    expect(ledger.totalMs).toBeCloseTo(0.9);
  });
});
