import type { Match } from "./use-bracket.ts";

type Side = "a" | "b";

const STATE_LABEL: Record<Match["state"], string> = {
  pending: "waiting",
  ready: "to play",
  completed: "final",
  disputed: "disputed",
  void: "void",
};

function SideRow({ match, side, mine }: { match: Match; side: Side; mine: ReadonlySet<number> }) {
  const entrant = side === "a" ? match.sideA : match.sideB;
  const score = side === "a" ? match.scoreA : match.scoreB;
  const won = entrant !== null && match.winnerId === entrant.registrationId;
  const lost = match.winnerId !== null && entrant !== null && !won;
  const classes = ["side", won && "won", lost && "lost", entrant && mine.has(entrant.registrationId) && "me"];
  return (
    <div className={classes.filter(Boolean).join(" ")} data-side={side}>
      <span className="name" title={entrant?.name}>
        {entrant?.name ?? <span className="tbd">TBD</span>}
      </span>
      {match.bestOf > 1 &&
        match.games.map((g, i) => {
          const mineWon = side === "a" ? g.a > g.b : g.b > g.a;
          return (
            <span key={i} className={mineWon ? "game won" : "game"} aria-label={`game ${i + 1}`}>
              {side === "a" ? g.a : g.b}
            </span>
          );
        })}
      <span className="score" data-testid={`score-${side}`}>
        {match.isForfeit && won ? "W" : match.isForfeit && lost ? "FF" : (score ?? "–")}
      </span>
    </div>
  );
}

/**
 * One match: both entrants, their score (and each game's for a best-of-N), the winner marked and
 * the viewer's own match highlighted. `data-match-id` is the stable hook tests and pages use.
 */
export function MatchCard({
  match,
  mine,
  style,
}: {
  match: Match;
  mine: ReadonlySet<number>;
  style?: React.CSSProperties;
}) {
  const isMine =
    (match.sideA !== null && mine.has(match.sideA.registrationId)) ||
    (match.sideB !== null && mine.has(match.sideB.registrationId));
  const label = `${match.sideA?.name ?? "TBD"} versus ${match.sideB?.name ?? "TBD"}, best of ${match.bestOf}, ${STATE_LABEL[match.state]}${isMine ? ", your match" : ""}`;
  return (
    <div
      className={`match state-${match.state}${isMine ? " mine" : ""}`}
      data-match-id={match.id}
      data-state={match.state}
      role="group"
      aria-label={label}
      style={style}
    >
      <SideRow match={match} side="a" mine={mine} />
      <SideRow match={match} side="b" mine={mine} />
      {(match.state === "disputed" || match.bestOf > 1) && (
        <span className="match-meta">
          Bo{match.bestOf}
          {match.state === "disputed" && <span className="flag"> · disputed</span>}
        </span>
      )}
    </div>
  );
}
