/**
 * The prize payout table — the ONE place that decides who gets which share of a tournament's
 * `prize_pool` (coins, paid from the tournament's pool wallet on completion):
 *   1st place 50%, 2nd place 30%, 3rd place 20%; nobody below third is paid.
 * Entries that share a placement (e.g. both losing semi-finalists without a third-place match)
 * split that place's share equally. Shares are rounded down to whole coins; what rounding leaves
 * over stays in the pool. A team entry is paid to the team's owner, a solo entry to the player.
 */
export const PRIZE_SPLITS: readonly number[] = [50, 30, 20];

export interface PlacedRecipient {
  placement: number;
  userId: number;
}

export function prizeAwards(
  prizePool: number,
  placed: readonly PlacedRecipient[],
): { userId: number; placement: number; amount: number }[] {
  const awards: { userId: number; placement: number; amount: number }[] = [];
  PRIZE_SPLITS.forEach((percent, i) => {
    const place = i + 1;
    const tied = placed.filter((p) => p.placement === place);
    if (tied.length === 0) return;
    const each = Math.floor((prizePool * percent) / 100 / tied.length);
    for (const p of tied) if (each > 0) awards.push({ userId: p.userId, placement: place, amount: each });
  });
  return awards;
}
