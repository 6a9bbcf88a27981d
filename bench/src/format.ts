import { format, resolveConfig } from "prettier";

/** Written files go through the repo's prettier config, so `pnpm lint` (prettier --check) stays green. */
export async function prettify(text: string, filePath: string): Promise<string> {
  const config = (await resolveConfig(filePath)) ?? {};
  return format(text, { ...config, filepath: filePath });
}
