import type { RouterOutputs } from "@deltacrown/client";
import { useState } from "react";
import { Empty, ErrorState, Loading } from "../../components/status.tsx";
import { DoubleElimination, SingleElimination } from "./elimination.tsx";
import { RoundRobin, Swiss } from "./rounds.tsx";
import { useBracket, useMyEntries } from "./use-bracket.ts";
import "./bracket.css";

type Format = RouterOutputs["tournaments"]["bySlug"]["format"];

const ZOOM_MIN = 30;
const ZOOM_MAX = 150;

/**
 * A tournament's bracket, drawn from the API's matches in HTML/CSS (SVG connector lines), live:
 * every open bracket reads the matches again when the tournament's channel reports a change.
 * Embeddable: the tournament page passes the tournament it already read (`tournaments.bySlug`).
 */
export function TournamentBracket({ tournament }: { tournament: { slug: string; format: Format } }) {
  const { slug, format } = tournament;
  const tabular = format === "round_robin" || format === "swiss";
  const { matches, standings } = useBracket(slug, tabular);
  const mine = useMyEntries(slug);
  const [zoom, setZoom] = useState(100);

  if (matches.isPending || (tabular && standings.isPending)) return <Loading what="bracket" />;
  if (matches.isError) return <ErrorState error={matches.error} retry={matches.refetch} />;
  if (standings.isError) return <ErrorState error={standings.error} retry={standings.refetch} />;
  if (matches.data.length === 0) return <Empty>The bracket is drawn when the tournament starts.</Empty>;
  const data = matches.data;
  const rows = standings.data ?? [];

  return (
    <div className="bracket" data-testid="bracket" data-format={format}>
      <div className="bracket-tools">
        <label>
          Zoom
          <input
            type="range"
            min={ZOOM_MIN}
            max={ZOOM_MAX}
            step={10}
            value={zoom}
            onChange={(e) => setZoom(Number(e.target.value))}
          />
          <output>{zoom}%</output>
        </label>
        <button type="button" onClick={() => setZoom(100)} disabled={zoom === 100}>
          Reset zoom
        </button>
        {mine.size > 0 && <span className="legend-me">Your matches are outlined</span>}
      </div>
      {/* Focusable so the wide bracket scrolls from the keyboard too. */}
      <div className="bracket-scroll" tabIndex={0} role="region" aria-label="Bracket, scrollable">
        <div className="bracket-canvas" style={{ zoom: zoom / 100 }}>
          {format === "single_elimination" && <SingleElimination matches={data} mine={mine} />}
          {format === "double_elimination" && <DoubleElimination matches={data} mine={mine} />}
          {format === "round_robin" && <RoundRobin matches={data} standings={rows} mine={mine} />}
          {format === "swiss" && <Swiss matches={data} standings={rows} mine={mine} />}
        </div>
      </div>
    </div>
  );
}
