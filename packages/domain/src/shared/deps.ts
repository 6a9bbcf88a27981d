import type { Database } from "@deltacrown/db";
import type { Kysely } from "kysely";
import type { Cache } from "../cache/cache.ts";
import type { ObjectStorage } from "../uploads/storage.ts";
import { defaultOutboundPolicy, type OutboundPolicy } from "../webhooks/outbound.ts";

export interface DomainConfig {
  /** scrypt cost N (a power of two). Production default 2^15 (32 MiB per hash); tests use a cheap one. */
  scryptCost: number;
  sessionTtlDays: number;
  inviteTtlDays: number;
  /** Where webhooks may go (registration refuses plainly private or non-https URLs with it). */
  webhooks: OutboundPolicy;
}

export const defaultDomainConfig: DomainConfig = {
  scryptCost: 2 ** 15,
  sessionTtlDays: 30,
  inviteTtlDays: 7,
  webhooks: defaultOutboundPolicy,
};

/** What every domain service needs; passed in, never imported as a singleton. */
export interface DomainDeps {
  /** Where the call reads: the primary, or a read replica for a replica-declared read. */
  db: Kysely<Database>;
  /** The primary, when `db` is a replica. */
  primary?: Kysely<Database> | undefined;
  cache: Cache;
  config: DomainConfig;
  /** Where uploaded images are stored; absent: uploads are refused (processes that take none). */
  storage?: ObjectStorage | undefined;
}

/**
 * Where a cache fill reads: always the primary. A fill serves every reader for the entry's TTL,
 * and a lagging replica may still show the row as it was before a write whose invalidation has
 * already run: stored, that old value would outlive the write by the whole TTL.
 */
export const fillDb = (deps: DomainDeps): Kysely<Database> => deps.primary ?? deps.db;

/** The signed-in user as the request sees it; loaded live from the database on every call. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  isStaff: boolean;
  createdAt: string;
  sessionId: number;
}
