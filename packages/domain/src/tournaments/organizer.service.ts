import { sql } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { forbidden, notFound } from "../shared/errors.ts";
import { canManageTournament, ORG_TOURNAMENT_ADMINS } from "./access.ts";

export interface OrganizerDashboardDto {
  tournamentsByStatus: Record<string, number>;
  registrationsPending: number;
  paymentsToVerify: number;
  disputesOpen: number;
  upcoming: { slug: string; name: string; status: string; startsAt: string; entriesCount: number; capacity: number }[];
}

/**
 * The organizer's overview in one statement over the tournaments they run (created, or of an
 * organization they own or administer), read live: it was cached 5 min with no writer invalidating
 * it, so a confirmation or a check-in stayed invisible that long on an organizer's screen.
 */
export async function organizerDashboard(deps: DomainDeps, actor: Actor): Promise<OrganizerDashboardDto> {
  const { rows } = await sql<OrganizerDashboardDto>`
      with mine as (
        select t.id, t.slug, t.name, t.status, t.starts_at, t.entries_count, t.capacity from tournaments t
        where not t.is_deleted and (t.organizer_id = ${actor.userId} or t.organization_id in (
          select o.id from organizations o where o.owner_id = ${actor.userId}
          union
          select om.organization_id from organization_memberships om
          where om.user_id = ${actor.userId} and om.role in (${sql.join(ORG_TOURNAMENT_ADMINS.map((r) => sql`${r}`))})))
      )
      select
        coalesce((select json_object_agg(status, n) from (select status, count(*)::int as n from mine group by status) s), '{}') as "tournamentsByStatus",
        (select count(*)::int from registrations r where r.tournament_id in (select id from mine) and r.status = 'pending') as "registrationsPending",
        (select count(*)::int from payments p join registrations r on r.id = p.registration_id
          where r.tournament_id in (select id from mine) and p.status = 'submitted') as "paymentsToVerify",
        (select count(*)::int from matches m where m.tournament_id in (select id from mine) and m.state = 'disputed') as "disputesOpen",
        coalesce((select json_agg(json_build_object('slug', slug, 'name', name, 'status', status,
            'startsAt', to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'entriesCount', entries_count, 'capacity', capacity) order by starts_at, id)
          from (select * from mine where status not in ('completed', 'cancelled') order by starts_at, id limit 10) u), '[]') as "upcoming"`.execute(
    deps.db,
  );
  return rows[0]!;
}

export interface TournamentHealthDto {
  confirmed: number;
  checkedIn: number;
  checkInRate: number | null;
  matchesReady: number;
  matchesLate: number;
  disputesOpen: number;
  completedMatches: number;
  totalMatches: number;
}

/**
 * One tournament's health for its organizer: the right, then the figures, both read live (two
 * statements; cached, they went 3 min without a writer invalidating them).
 */
export async function tournamentHealth(deps: DomainDeps, actor: Actor, slug: string): Promise<TournamentHealthDto> {
  const t = await deps.db
    .selectFrom("tournaments as t")
    .select((eb) => ["t.id", "t.status", canManageTournament(eb, actor).as("can_manage")])
    .where("t.slug", "=", slug)
    .where("t.is_deleted", "=", false)
    .executeTakeFirst();
  if (!t || (t.status === "draft" && t.can_manage !== true)) throw notFound("Tournament", "slug");
  if (t.can_manage !== true) throw forbidden("Only the tournament's organizer may see its health");
  // "Late": ready for over an hour without a result.
  const { rows } = await sql<Omit<TournamentHealthDto, "checkInRate">>`
      select
        (select count(*)::int from registrations where tournament_id = ${t.id} and status = 'confirmed') as "confirmed",
        (select count(*)::int from registrations where tournament_id = ${t.id} and status = 'confirmed' and checked_in_at is not null) as "checkedIn",
        count(*) filter (where m.state = 'ready')::int as "matchesReady",
        count(*) filter (where m.state = 'ready' and coalesce(m.scheduled_at, m.created_at) < now() - interval '1 hour')::int as "matchesLate",
        count(*) filter (where m.state = 'disputed')::int as "disputesOpen",
        count(*) filter (where m.state = 'completed')::int as "completedMatches",
        count(*) filter (where m.state <> 'void')::int as "totalMatches"
      from matches m where m.tournament_id = ${t.id}`.execute(deps.db);
  const r = rows[0]!;
  return { ...r, checkInRate: r.confirmed > 0 ? r.checkedIn / r.confirmed : null };
}
