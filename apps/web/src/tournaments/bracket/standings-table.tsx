import type { Standing } from "./use-bracket.ts";

/** The API's standings as they come (its order and tiebreakers), the viewer's rows marked. */
export function StandingsTable({
  caption,
  rows,
  mine,
  buchholz,
}: {
  caption: string;
  rows: Standing[];
  mine: ReadonlySet<number>;
  buchholz: boolean;
}) {
  return (
    <table className="standings" data-testid="standings">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Entrant</th>
          <th scope="col">
            <abbr title="Wins">W</abbr>
          </th>
          <th scope="col">
            <abbr title="Losses">L</abbr>
          </th>
          <th scope="col">
            <abbr title="Game difference (games won minus games lost), the first tiebreaker">GD</abbr>
          </th>
          {buchholz && (
            <th scope="col">
              <abbr title="Buchholz: the sum of the opponents' wins, the second tiebreaker">Buchholz</abbr>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => (
          <tr
            key={s.registrationId}
            data-registration-id={s.registrationId}
            className={mine.has(s.registrationId) ? "me" : undefined}
          >
            <td>{s.placement}</td>
            <th scope="row">{s.name}</th>
            <td data-col="wins">{s.wins}</td>
            <td data-col="losses">{s.losses}</td>
            <td data-col="gd">{s.gameDifference > 0 ? `+${s.gameDifference}` : s.gameDifference}</td>
            {buchholz && <td data-col="buchholz">{s.buchholz}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
