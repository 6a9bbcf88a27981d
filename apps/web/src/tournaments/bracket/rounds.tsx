import { cardWidth } from "./elimination.tsx";
import { MatchCard } from "./match-card.tsx";
import { StandingsTable } from "./standings-table.tsx";
import type { Match, Standing } from "./use-bracket.ts";

const byRound = (matches: Match[]) => {
  const rounds = new Map<number, Match[]>();
  for (const m of [...matches].sort((a, b) => a.round - b.round || a.position - b.position)) {
    rounds.set(m.round, [...(rounds.get(m.round) ?? []), m]);
  }
  return [...rounds.entries()];
};

/** Rounds side by side, each a column of its pairings with their scores. */
function Rounds({ matches, mine, label }: { matches: Match[]; mine: ReadonlySet<number>; label: string }) {
  const w = cardWidth(Math.max(1, ...matches.map((m) => m.bestOf)));
  return (
    <div className="rounds">
      {byRound(matches).map(([round, ms]) => (
        <div key={round} className="round-column" style={{ width: w }}>
          <h3>
            {label} {round}
          </h3>
          {ms.map((m) => (
            <MatchCard key={m.id} match={m} mine={mine} style={{ position: "relative", width: w }} />
          ))}
        </div>
      ))}
    </div>
  );
}

/**
 * Round robin: each group's table (the API's standings, split by the group each entrant plays in,
 * order kept) and its rounds of matches.
 */
export function RoundRobin({
  matches,
  standings,
  mine,
}: {
  matches: Match[];
  standings: Standing[];
  mine: ReadonlySet<number>;
}) {
  const groupOf = new Map<number, number>();
  for (const m of matches) {
    for (const side of [m.sideA, m.sideB]) if (side) groupOf.set(side.registrationId, m.groupNo ?? 1);
  }
  const groups = [...new Set(matches.map((m) => m.groupNo ?? 1))].sort((a, b) => a - b);
  return (
    <>
      {groups.map((g) => (
        <section key={g} className="group" aria-label={`Group ${g}`} data-group={g}>
          <h2>Group {g}</h2>
          <StandingsTable
            caption={`Group ${g} table`}
            rows={standings.filter((s) => (groupOf.get(s.registrationId) ?? 1) === g)}
            mine={mine}
            buchholz={false}
          />
          <Rounds matches={matches.filter((m) => (m.groupNo ?? 1) === g)} mine={mine} label="Round" />
        </section>
      ))}
    </>
  );
}

/** Swiss: the standings with Buchholz, then every round's pairings and scores. */
export function Swiss({
  matches,
  standings,
  mine,
}: {
  matches: Match[];
  standings: Standing[];
  mine: ReadonlySet<number>;
}) {
  return (
    <>
      <section className="group" aria-label="Standings">
        <h2>Standings</h2>
        <StandingsTable caption="Swiss standings" rows={standings} mine={mine} buchholz />
      </section>
      <section className="group" aria-label="Rounds">
        <h2>Rounds</h2>
        <Rounds matches={matches} mine={mine} label="Round" />
      </section>
    </>
  );
}
