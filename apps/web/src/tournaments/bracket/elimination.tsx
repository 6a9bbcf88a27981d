import { MatchCard } from "./match-card.tsx";
import type { Match } from "./use-bracket.ts";

/** Layout units (CSS pixels before zoom): a round-1 slot's height, a column's width and gap. */
const SLOT = 76;
const GAP = 44;
const CARD_H = 54;
const BASE_W = 200;
const GAME_W = 24;

export const cardWidth = (bestOf: number) => BASE_W + (bestOf > 1 ? bestOf * GAME_W : 0);

/** How many match slots a round of the section has (matches removed for byes leave their slot empty). */
type SlotCount = (round: number) => number;

function roundName(section: "winners" | "losers" | "single", round: number, rounds: number): string {
  if (section === "losers") return round === rounds ? "Losers final" : `Losers round ${round}`;
  const base = ["Final", "Semifinals", "Quarterfinals"][rounds - round] ?? `Round ${round}`;
  return section === "winners" ? `Winners ${base.toLowerCase()}` : base;
}

/**
 * One tree (a winners or losers bracket) in columns: each match centred on its slot, slots halving
 * when the round halves, with connector lines from a match to the one its winner goes to.
 */
function Tree({
  title,
  section,
  matches,
  slots,
  mine,
  extra,
}: {
  title: string;
  section: "winners" | "losers" | "single";
  matches: Match[];
  slots: SlotCount;
  mine: ReadonlySet<number>;
  extra?: { label: string; match: Match } | undefined;
}) {
  const rounds = Math.max(1, ...matches.map((m) => m.round));
  const bestOf = Math.max(1, ...matches.map((m) => m.bestOf));
  const w = cardWidth(bestOf);
  const count = (r: number) => Math.max(slots(r), ...matches.filter((m) => m.round === r).map((m) => m.position), 1);
  const height = Math.max(count(1), 1) * SLOT + (extra ? SLOT * 1.5 : 0);
  const treeHeight = Math.max(count(1), 1) * SLOT;
  const x = (r: number) => (r - 1) * (w + GAP);
  const cy = (r: number, p: number) => (p - 0.5) * (treeHeight / count(r));
  const at = new Map(matches.map((m) => [`${m.round}:${m.position}`, m]));
  const lines: string[] = [];
  for (const m of matches) {
    if (m.round >= rounds) continue;
    const next = count(m.round + 1) === count(m.round) ? m.position : Math.ceil(m.position / 2);
    if (!at.has(`${m.round + 1}:${next}`)) continue;
    const x1 = x(m.round) + w;
    const y1 = cy(m.round, m.position);
    const x2 = x(m.round + 1);
    const y2 = cy(m.round + 1, next);
    const mid = x1 + GAP / 2;
    lines.push(`M${x1},${y1}H${mid}V${y2}H${x2}`);
  }
  const width = rounds * (w + GAP) - GAP;
  return (
    <section className="tree" aria-label={title}>
      <h2>{title}</h2>
      <div className="round-heads" style={{ width }}>
        {Array.from({ length: rounds }, (_, i) => (
          <h3 key={i} style={{ left: x(i + 1), width: w }}>
            {roundName(section, i + 1, rounds)}
          </h3>
        ))}
      </div>
      <div className="tree-body" style={{ width, height }}>
        <svg className="connectors" width={width} height={treeHeight} aria-hidden="true">
          <path d={lines.join("")} />
        </svg>
        {matches.map((m) => (
          <MatchCard
            key={m.id}
            match={m}
            mine={mine}
            style={{ left: x(m.round), top: cy(m.round, m.position) - CARD_H / 2, width: w }}
          />
        ))}
        {extra && (
          <>
            <span className="extra-label" style={{ left: x(rounds), top: treeHeight + SLOT * 0.05 }}>
              {extra.label}
            </span>
            <MatchCard
              match={extra.match}
              mine={mine}
              style={{ left: x(rounds), top: treeHeight + SLOT * 0.5, width: w }}
            />
          </>
        )}
      </div>
    </section>
  );
}

/** Single elimination: the tree, byes as empty slots, the third-place match under the final. */
export function SingleElimination({ matches, mine }: { matches: Match[]; mine: ReadonlySet<number> }) {
  const tree = matches.filter((m) => m.bracket === "winners");
  const third = matches.find((m) => m.bracket === "third_place");
  const k = Math.max(1, ...tree.map((m) => m.round));
  return (
    <Tree
      title="Bracket"
      section="single"
      matches={tree}
      slots={(r) => 2 ** (k - r)}
      mine={mine}
      extra={third ? { label: "Third place", match: third } : undefined}
    />
  );
}

/**
 * Double elimination: the winners bracket, the losers bracket (two rounds for each winners round
 * after the first: survivors meet the drop-ins, then pair up), and the grand final with its reset
 * (played only when the losers' finalist wins the first).
 */
export function DoubleElimination({ matches, mine }: { matches: Match[]; mine: ReadonlySet<number> }) {
  const winners = matches.filter((m) => m.bracket === "winners");
  const losers = matches.filter((m) => m.bracket === "losers");
  const finals = matches.filter((m) => m.bracket === "grand_final").sort((a, b) => a.round - b.round);
  const k = Math.max(1, ...winners.map((m) => m.round));
  const w = cardWidth(Math.max(1, ...finals.map((m) => m.bestOf)));
  return (
    <>
      <Tree title="Winners bracket" section="winners" matches={winners} slots={(r) => 2 ** (k - r)} mine={mine} />
      {losers.length > 0 && (
        <Tree
          title="Losers bracket"
          section="losers"
          matches={losers}
          slots={(r) => Math.max(1, 2 ** (k - 1 - Math.ceil(r / 2)))}
          mine={mine}
        />
      )}
      <section className="tree finals" aria-label="Grand final">
        <h2>Grand final</h2>
        <div className="finals-row">
          {finals.map((m) => (
            <div key={m.id} className="final-slot" style={{ width: w }}>
              <h3>{m.round === 1 ? "Grand final" : "Reset (if needed)"}</h3>
              <MatchCard match={m} mine={mine} style={{ position: "relative", width: w }} />
            </div>
          ))}
        </div>
      </section>
    </>
  );
}
