import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import { canViewTournament } from "./access.ts";
import { computeStandings, type StandingMatch, type StandingRow } from "./standings.ts";
import type { CursorPage } from "./tournaments.dto.ts";

/** A page after the item at (placement, id): the keyset of every list ordered by placement. */
export interface PlacementPageInput {
  cursor?: { placement: number; id: number } | undefined;
  limit: number;
}

/** `<placement>.<id>` of a page's last item; the API decodes it back (placementCursor). */
const placementCursor = (placement: number, id: number) => `${placement}.${id}`;

export interface StandingDto extends StandingRow {
  name: string;
  final: boolean;
}

/**
 * Standings in one statement: stored placements once the tournament is completed (never
 * recomputed), otherwise live from the matches with the format's tiebreakers; a page of them by
 * (placement, registration id). The table is computed whole (at most 1,024 entries, and the
 * matches of groups capped in size) and answered a page at a time.
 */
export async function standings(
  deps: Pick<DomainDeps, "db">,
  viewer: Actor | undefined,
  input: { slug: string } & PlacementPageInput,
): Promise<CursorPage<StandingDto>> {
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
    .where("t.slug", "=", input.slug)
    .where("t.is_deleted", "=", false)
    .where((eb) => canViewTournament(eb, viewer))
    .executeTakeFirst();
  if (!t) throw notFound("Tournament", "slug");
  const names = new Map(t.entries.map((e) => [e.id, e]));
  const rows = computeStandings(
    t.format,
    t.entries.map((e) => e.id),
    t.matches,
  );
  const final = t.status === "completed";
  const all = rows
    .map((r) => ({
      ...r,
      placement: final ? (names.get(r.registrationId)?.placement ?? r.placement) : r.placement,
      name: names.get(r.registrationId)?.name ?? "?",
      final,
    }))
    .sort((x, y) => x.placement - y.placement || x.registrationId - y.registrationId);
  const after = input.cursor;
  const rest = after
    ? all.filter(
        (r) => r.placement > after.placement || (r.placement === after.placement && r.registrationId > after.id),
      )
    : all;
  const items = rest.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rest.length > input.limit && last ? placementCursor(last.placement, last.registrationId) : null,
  };
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
      "c.id",
      "c.code",
      "c.placement",
      "c.issued_at",
      "t.slug",
      "t.name",
      "t.tier",
      sql<string>`coalesce(tm.name, u.username::text)`.as("recipient"),
    ]);

/** A certificate row, from a query (issued_at a Date) or json-aggregated (a string). */
type CertificateRow = Omit<Awaited<ReturnType<ReturnType<typeof certificateQuery>["execute"]>>[number], "issued_at"> & {
  issued_at: Date | string;
};

const toCertificate = (r: CertificateRow): CertificateDto => ({
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

/**
 * A tournament's certificates by placement, a page at a time (keyset on placement and id). A
 * tournament the viewer may not see is NOT_FOUND; one without certificates an empty page.
 */
export async function certificatesOf(
  deps: Pick<DomainDeps, "db">,
  viewer: Actor | undefined,
  input: { slug: string } & PlacementPageInput,
): Promise<CursorPage<CertificateDto>> {
  const after = input.cursor;
  const row = await deps.db
    .selectFrom("tournaments as t")
    .select([
      "t.id",
      jsonArrayFrom(
        certificateQuery(deps.db)
          // The subquery's own join names the certificate's tournament "t" too: match it by slug.
          .where("t.slug", "=", input.slug)
          .$if(after !== undefined, (q) =>
            q.where((e) =>
              e.or([
                e("c.placement", ">", after!.placement),
                e.and([e("c.placement", "=", after!.placement), e("c.id", ">", after!.id)]),
              ]),
            ),
          )
          .orderBy("c.placement")
          .orderBy("c.id")
          .limit(input.limit + 1),
      ).as("certificates"),
    ])
    .where("t.slug", "=", input.slug)
    .where("t.is_deleted", "=", false)
    .where((eb) => canViewTournament(eb, viewer))
    .executeTakeFirst();
  if (!row) throw notFound("Tournament", "slug");
  const items = row.certificates.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items: items.map(toCertificate),
    nextCursor: row.certificates.length > input.limit && last ? placementCursor(last.placement, last.id) : null,
  };
}
