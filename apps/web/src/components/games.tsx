import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../lib/trpc.ts";

/** The games to choose from (cached a long time: the list changes rarely). */
export function useGames() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.games.list.queryOptions(), staleTime: 10 * 60_000 });
}

export const TIERS = ["crown", "diamond", "platinum", "gold", "silver", "bronze", "unranked"] as const;
export type Tier = (typeof TIERS)[number];
