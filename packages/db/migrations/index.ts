import type { Migration } from "kysely";
import * as identityGamesOrgsTeams from "./20261124T0001_identity_games_orgs_teams.ts";
import * as workerHeartbeat from "./20261124T0200_worker_heartbeat.ts";
import * as tournaments from "./20261124T0300_tournaments.ts";
import * as rankings from "./20261124T0400_rankings.ts";
import * as walletsLive from "./20261124T0500_wallets_live.ts";
import * as legacyImport from "./20261201T0100_legacy_import.ts";
import * as faults from "./20261201T0300_faults.ts";
import * as social from "./20261202T0100_social.ts";
import * as uploads from "./20261202T0200_uploads.ts";
import * as sponsorLogoUploads from "./20261202T0300_sponsor_logo_uploads.ts";
import * as cpLedgerActorPartial from "./20261203T0500_cp_ledger_actor_partial.ts";
import * as walletTransferFunction from "./20261204T0100_wallet_transfer_function.ts";

/**
 * Every migration, by its timestamped name. Listed explicitly (not read from the folder) so
 * they load the same under tsx, vitest and any bundler; a new file must be added here.
 */
export const migrations: Record<string, Migration> = {
  "20261124T0001_identity_games_orgs_teams": identityGamesOrgsTeams,
  "20261124T0200_worker_heartbeat": workerHeartbeat,
  "20261124T0300_tournaments": tournaments,
  "20261124T0400_rankings": rankings,
  "20261124T0500_wallets_live": walletsLive,
  "20261201T0100_legacy_import": legacyImport,
  "20261201T0300_faults": faults,
  "20261202T0100_social": social,
  "20261202T0200_uploads": uploads,
  "20261202T0300_sponsor_logo_uploads": sponsorLogoUploads,
  "20261203T0500_cp_ledger_actor_partial": cpLedgerActorPartial,
  "20261204T0100_wallet_transfer_function": walletTransferFunction,
};
