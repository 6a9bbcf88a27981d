import type { RouterOutputs } from "@deltacrown/client";
import { Link } from "@tanstack/react-router";

/** A search item (discovery marks promoted teams) or any other team list's item. */
type TeamSummary = Omit<RouterOutputs["teams"]["search"]["items"][number], "promoted"> & { promoted?: boolean };

export function TeamList({ teams, extra }: { teams: TeamSummary[]; extra?: (t: TeamSummary) => React.ReactNode }) {
  return (
    <ul className="cards">
      {teams.map((t) => (
        <li key={t.id} className="card">
          <Link to="/teams/$slug" params={{ slug: t.slug }} className="card-title">
            {t.name}
            {t.tag && <span className="tag">[{t.tag}]</span>}
          </Link>
          {t.promoted && <span className="tag promoted">Promoted</span>}
          <span className="muted">
            {t.game.name} · {t.memberCount} {t.memberCount === 1 ? "member" : "members"}
            {t.organization && <> · {t.organization.name}</>}
            {t.tier && (
              <>
                {" "}
                · <span className={`tier tier-${t.tier}`}>{t.tier}</span> {t.currentCp} CP
              </>
            )}
          </span>
          {extra?.(t)}
        </li>
      ))}
    </ul>
  );
}
