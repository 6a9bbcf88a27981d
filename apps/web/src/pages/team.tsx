import type { RouterOutputs } from "@deltacrown/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { Field, SelectField } from "../components/field.tsx";
import { ErrorState, FormError, Loading } from "../components/status.tsx";
import { codeOf, formMessage, messageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useMe } from "../lib/use-me.ts";
import { Composer, TeamFeed, type PostViewer } from "../teams/posts.tsx";
import { Achievements, FollowButton, Followers, PinnedPost, Sponsors } from "../teams/social.tsx";

type Team = RouterOutputs["teams"]["bySlug"];
type Viewer = RouterOutputs["teams"]["viewer"];
type Member = Team["roster"][number];

/** After any change to the team: its page and the viewer's permissions are read again. */
function useRefreshTeam(slug: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.teams.bySlug.queryKey({ slug }) }),
      queryClient.invalidateQueries({ queryKey: trpc.teams.viewer.queryKey({ slug }) }),
      queryClient.invalidateQueries({ queryKey: trpc.teams.mine.pathKey() }),
    ]);
}

export function TeamPage() {
  const { slug } = useParams({ from: "/teams/$slug" });
  const trpc = useTRPC();
  const { user } = useMe();
  const team = useQuery(trpc.teams.bySlug.queryOptions({ slug }));
  const viewer = useQuery({ ...trpc.teams.viewer.queryOptions({ slug }), enabled: user !== null });
  const refresh = useRefreshTeam(slug);
  // Members follow the roster live: another member's join, leave or role change shows up here.
  useSubscription(
    trpc.live.team.subscriptionOptions(
      { teamSlug: slug },
      { enabled: viewer.data?.role != null, onData: () => void refresh() },
    ),
  );

  if (team.isPending) return <Loading what="team" />;
  if (team.isError)
    return (
      <section className="page">
        <h1>{codeOf(team.error) === "NOT_FOUND" ? "Team not found" : "Team"}</h1>
        <ErrorState error={team.error} retry={codeOf(team.error) === "NOT_FOUND" ? undefined : team.refetch} />
      </section>
    );
  const t = team.data;
  const v = viewer.data;
  const postViewer: PostViewer = {
    userId: user?.id ?? null,
    canPin: v?.can.pin ?? false,
    canDeleteOthers: v?.can.deleteOthersPosts ?? false,
  };
  return (
    <section className="page">
      {t.bannerUrl && <img className="team-banner" src={t.bannerUrl} alt="" data-testid="team-banner" />}
      <div className="team-head">
        {t.logoUrl && <img className="team-logo" src={t.logoUrl} alt={`${t.name} logo`} data-testid="team-logo" />}
        <h1>
          {t.name} {t.tag && <span className="tag">[{t.tag}]</span>}
        </h1>
      </div>
      <div className="row follow">
        <span data-testid="follower-count">
          {t.followerCount} {t.followerCount === 1 ? "follower" : "followers"}
        </span>
        {user && <FollowButton key={t.slug} team={t} following={v?.following} />}
      </div>
      {v && <TeamManageLinks slug={t.slug} can={v.can} />}
      <dl className="facts">
        <dt>Game</dt>
        <dd>
          <Link to="/leaderboards/$game" params={{ game: t.game.slug }}>
            {t.game.name}
          </Link>
        </dd>
        <dt>Organization</dt>
        <dd>
          {t.organization ? (
            <Link to="/orgs/$slug" params={{ slug: t.organization.slug }}>
              {t.organization.name}
            </Link>
          ) : (
            "Independent"
          )}
        </dd>
        <dt>Tier</dt>
        <dd>{t.ranking ? <span className={`tier tier-${t.ranking.tier}`}>{t.ranking.tier}</span> : "Unranked"}</dd>
        <dt>CP</dt>
        <dd>{t.ranking?.currentCp ?? 0}</dd>
        <dt>Rank</dt>
        <dd>{t.ranking?.rank != null ? `#${t.ranking.rank}` : "Not ranked yet"}</dd>
        <dt>Hot streak</dt>
        <dd>{t.ranking?.hotStreak ? `${t.ranking.hotStreak} wins` : "None"}</dd>
      </dl>
      {t.description && <p className="description">{t.description}</p>}
      <Sponsors team={t} />
      <PinnedPost team={t} />
      <Roster team={t} viewer={v} me={user?.id ?? null} />
      <Achievements team={t} />
      <section aria-labelledby="posts-heading">
        <h2 id="posts-heading">Posts</h2>
        {v?.can.post && <Composer key={t.slug} teamSlug={t.slug} />}
        <TeamFeed teamSlug={t.slug} viewer={postViewer} />
      </section>
      <Followers team={t} />
      {v && <Actions team={t} viewer={v} />}
    </section>
  );
}

/** The team's own pages, each linked only for a viewer `teams.viewer` says may use it. */
function TeamManageLinks({ slug, can }: { slug: string; can: Viewer["can"] }) {
  const settings = can.changeSettings || can.edit;
  const sponsors = can.manageSponsors || can.approveSponsors;
  if (!settings && !sponsors && !can.viewAnalytics) return null;
  return (
    <nav aria-label="Team management" className="row">
      {settings && (
        <Link to="/teams/$slug/settings" params={{ slug }}>
          Settings and images
        </Link>
      )}
      {sponsors && (
        <Link to="/teams/$slug/sponsors" params={{ slug }}>
          Sponsors
        </Link>
      )}
      {can.viewAnalytics && (
        <Link to="/teams/$slug/analytics" params={{ slug }}>
          Analytics
        </Link>
      )}
    </nav>
  );
}

function Roster({ team, viewer, me }: { team: Team; viewer: Viewer | undefined; me: number | null }) {
  const manages = viewer && (viewer.can.changeRoles || viewer.can.removeMembers || viewer.can.transferOwnership);
  const hidden = team.settings.rosterVisibility === "members" && team.roster.length === 0;
  return (
    <section aria-labelledby="roster-heading">
      <h2 id="roster-heading">
        Roster <span className="muted">({team.memberCount})</span>
      </h2>
      {hidden ? (
        <p className="status empty" data-testid="roster-hidden">
          The roster is shown to the team&apos;s members only.
        </p>
      ) : (
        <table className="roster" data-testid="roster">
          <thead>
            <tr>
              <th scope="col">Player</th>
              <th scope="col">Role</th>
              {manages && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {team.roster.map((m) => (
              <tr key={m.userId}>
                <td>
                  {m.displayName} <span className="muted">@{m.username}</span>
                </td>
                <td>{m.role}</td>
                {manages && <td>{m.userId !== me && <MemberActions slug={team.slug} member={m} viewer={viewer} />}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Change role, remove, hand over ownership: shown only where the server said the viewer may. */
function MemberActions({ slug, member, viewer }: { slug: string; member: Member; viewer: Viewer }) {
  const trpc = useTRPC();
  const refresh = useRefreshTeam(slug);
  const onSuccess = () => void refresh();
  const changeRole = useMutation(trpc.teams.changeRole.mutationOptions({ onSuccess }));
  const remove = useMutation(trpc.teams.removeMember.mutationOptions({ onSuccess }));
  const transfer = useMutation(trpc.teams.transferOwnership.mutationOptions({ onSuccess }));
  const [role, setRole] = useState(member.role);
  const manageable = viewer.grantableRoles.includes(member.role);
  const roles = viewer.grantableRoles.filter((r) => r !== "owner");
  const error = changeRole.error ?? remove.error ?? transfer.error;
  const who = member.username;
  return (
    <div className="member-actions">
      {viewer.can.changeRoles && manageable && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (role !== "owner") changeRole.mutate({ slug, username: who, role });
          }}
        >
          <SelectField
            label={`Role for ${who}`}
            field="role"
            error={changeRole.error}
            value={role}
            onChange={(e) => setRole(e.target.value as Member["role"])}
            options={roles.map((r) => ({ value: r, label: r }))}
          />
          <button type="submit" disabled={changeRole.isPending || role === member.role}>
            Change role
          </button>
        </form>
      )}
      {viewer.can.removeMembers && manageable && (
        <button type="button" onClick={() => remove.mutate({ slug, username: who })} disabled={remove.isPending}>
          Remove {who}
        </button>
      )}
      {viewer.can.transferOwnership && (
        <button type="button" onClick={() => transfer.mutate({ slug, username: who })} disabled={transfer.isPending}>
          Make {who} owner
        </button>
      )}
      <FormError message={error ? formMessage(error, ["role"]) : null} />
    </div>
  );
}

function Actions({ team, viewer }: { team: Team; viewer: Viewer }) {
  const { can } = viewer;
  if (!can.edit && !can.invite && !can.leave && !can.disband) return null;
  return (
    <section aria-labelledby="actions-heading" className="actions">
      <h2 id="actions-heading">Manage</h2>
      {can.invite && <InviteForm slug={team.slug} roles={viewer.grantableRoles} />}
      {can.edit && <EditForm team={team} />}
      {can.leave && <LeaveTeam slug={team.slug} />}
      {can.disband && <Disband slug={team.slug} />}
    </section>
  );
}

function InviteForm({ slug, roles }: { slug: string; roles: Viewer["grantableRoles"] }) {
  const trpc = useTRPC();
  const invite = useMutation(trpc.invites.send.mutationOptions());
  const offered = roles.filter((r) => r !== "owner");
  return (
    <form
      className="card"
      aria-label="Invite a player"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const v = Object.fromEntries(new FormData(form)) as Record<string, string>;
        invite.mutate(
          { teamSlug: slug, username: v.username ?? "", role: (v.role ?? "player") as (typeof offered)[number] },
          { onSuccess: () => form.reset() },
        );
      }}
    >
      <h3>Invite a player</h3>
      <Field label="Username to invite" field="username" error={invite.error} required />
      <SelectField
        label="Invite as"
        field="role"
        error={invite.error}
        defaultValue={offered.includes("player") ? "player" : offered[0]}
        options={offered.map((r) => ({ value: r, label: r }))}
      />
      <FormError message={formMessage(invite.error, ["username", "role"])} />
      {invite.isSuccess && (
        <p role="status" className="ok">
          Invited {invite.data.invitee.username}.
        </p>
      )}
      <button type="submit" disabled={invite.isPending}>
        Send invite
      </button>
    </form>
  );
}

function EditForm({ team }: { team: Team }) {
  const trpc = useTRPC();
  const refresh = useRefreshTeam(team.slug);
  const update = useMutation(trpc.teams.update.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <details className="card">
      <summary>Edit team</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const v = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
          update.mutate({ slug: team.slug, name: v.name, tag: v.tag ? v.tag : null, description: v.description ?? "" });
        }}
      >
        <Field label="Name" field="name" error={update.error} defaultValue={team.name} required />
        <Field label="Tag" field="tag" error={update.error} defaultValue={team.tag ?? ""} maxLength={8} />
        <Field label="Description" field="description" error={update.error} defaultValue={team.description} />
        <FormError message={formMessage(update.error, ["name", "tag", "description"])} />
        {update.isSuccess && (
          <p role="status" className="ok">
            Saved.
          </p>
        )}
        <button type="submit" disabled={update.isPending}>
          Save
        </button>
      </form>
    </details>
  );
}

/** Irreversible actions ask once more in the page (no browser dialog). */
function Confirmed({
  label,
  confirm,
  run,
  pending,
  error,
}: {
  label: string;
  confirm: string;
  run: () => void;
  pending: boolean;
  error: unknown;
}) {
  const [asking, setAsking] = useState(false);
  return (
    <div className="danger">
      {asking ? (
        <>
          <button type="button" className="danger-button" onClick={run} disabled={pending}>
            {confirm}
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setAsking(true)}>
          {label}
        </button>
      )}
      <FormError message={error != null ? messageOf(error) : null} />
    </div>
  );
}

function LeaveTeam({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const refresh = useRefreshTeam(slug);
  const leave = useMutation(trpc.teams.leave.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <Confirmed
      label="Leave team"
      confirm="Yes, leave"
      run={() => leave.mutate({ slug })}
      pending={leave.isPending}
      error={leave.error}
    />
  );
}

function Disband({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const disband = useMutation(
    trpc.teams.disband.mutationOptions({
      onSuccess: () => {
        queryClient.removeQueries({ queryKey: trpc.teams.bySlug.queryKey({ slug }) });
        void queryClient.invalidateQueries({ queryKey: trpc.teams.pathKey() });
        void navigate({ to: "/me/teams" });
      },
    }),
  );
  return (
    <Confirmed
      label="Disband team"
      confirm="Yes, disband for good"
      run={() => disband.mutate({ slug })}
      pending={disband.isPending}
      error={disband.error}
    />
  );
}
