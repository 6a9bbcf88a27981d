import type { Database } from "@deltacrown/db";
import type { Kysely } from "kysely";
import type { Cache } from "../cache/cache.ts";
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
  db: Kysely<Database>;
  cache: Cache;
  config: DomainConfig;
}

/** The signed-in user as the request sees it; loaded live from the database on every call. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  isStaff: boolean;
  createdAt: string;
  sessionId: number;
}
