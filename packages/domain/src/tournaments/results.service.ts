import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import type { DomainDeps } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import { computeStandings, type StandingMatch, type StandingRow } from "./standings.ts";

export interface StandingDto extends StandingRow {
  name: string;
  final: boolean;
}

/**
 * Standings in one statement: stored placements once the tournament is completed (never
 * recomputed), otherwise live from the matches with the format's tiebreakers.
 */
export async function standings(deps: Pick<DomainDeps, "db">, slug: string): Promise<StandingDto[]> {
  const t = await deps.db
    .selectFrom("tournaments as t")
    .select([
      "t.id",
      "t.format",
      "t.status",
      sql<{ id: number; name: string; placement: number | null }[]>`coalesce((
        select json_agg(json_build_object('id', r.id, 'name', coalesce(tm.name, u.username::text), 'placement', r.placement) order by r.id)
        from registrations r join users u on u.id = r.user_id left join teams tm on tm.id = r.team_id
        where r.tournament_id = t.id and r.status = 'confirmed'), '[]')`.as("entries"),
      sql<StandingMatch[]>`coalesce((
        select json_agg(json_build_object('bracket', m.bracket, 'round', m.round, 'state', m.state,
          'side_a_id', m.side_a_id, 'side_b_id', m.side_b_id, 'score_a', m.score_a, 'score_b', m.score_b,
          'winner_id', m.winner_id))
        from matches m where m.tournament_id = t.id), '[]')`.as("matches"),
    ])
    .where("t.slug", "=", slug)
    .where("t.is_deleted", "=", false)
    .executeTakeFirst();
  if (!t) throw notFound("Tournament", "slug");
  const names = new Map(t.entries.map((e) => [e.id, e]));
  const rows = computeStandings(
    t.format,
    t.entries.map((e) => e.id),
    t.matches,
  );
  const final = t.status === "completed";
  return rows
    .map((r) => ({
      ...r,
      placement: final ? (names.get(r.registrationId)?.placement ?? r.placement) : r.placement,
      name: names.get(r.registrationId)?.name ?? "?",
      final,
    }))
    .sort((x, y) => x.placement - y.placement);
}

export interface CertificateDto {
  code: string;
  placement: number;
  issuedAt: string;
  tournament: { slug: string; name: string; tier: string };
  recipient: string;
}

const certificateQuery = (db: Kysely<Database>) =>
  db
    .selectFrom("certificates as c")
    .innerJoin("tournaments as t", "t.id", "c.tournament_id")
    .innerJoin("registrations as r", "r.id", "c.registration_id")
    .innerJoin("users as u", "u.id", "r.user_id")
    .leftJoin("teams as tm", "tm.id", "r.team_id")
    .select([
      "c.code",
      "c.placement",
      "c.issued_at",
      "t.slug",
      "t.name",
      "t.tier",
      sql<string>`coalesce(tm.name, u.username::text)`.as("recipient"),
    ]);

const toCertificate = (
  r: Awaited<ReturnType<ReturnType<typeof certificateQuery>["execute"]>>[number],
): CertificateDto => ({
  code: r.code,
  placement: r.placement,
  issuedAt: new Date(r.issued_at).toISOString(),
  tournament: { slug: r.slug, name: r.name, tier: r.tier },
  recipient: r.recipient,
});

/** Public check of a certificate's code: who placed where, in which tournament. */
export async function verifyCertificate(deps: Pick<DomainDeps, "db">, code: string): Promise<CertificateDto> {
  const row = await certificateQuery(deps.db).where("c.code", "=", code.toUpperCase()).executeTakeFirst();
  if (!row) throw notFound("Certificate", "code");
  return toCertificate(row);
}

/** Every certificate of a tournament, by placement. */
export async function certificatesOf(deps: Pick<DomainDeps, "db">, slug: string): Promise<CertificateDto[]> {
  const rows = await certificateQuery(deps.db)
    .where("t.slug", "=", slug)
    .orderBy("c.placement")
    .orderBy("c.id")
    .execute();
  return rows.map(toCertificate);
}
