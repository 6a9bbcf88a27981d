import { z } from "zod";

export const game = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string(),
  shortName: z.string(),
  genre: z.string(),
  teamSize: z.number(),
  platforms: z.array(z.string()),
});
