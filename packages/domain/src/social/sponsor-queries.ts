import type { SponsorStatus } from "@deltacrown/db";
import { sql } from "kysely";
import { storedImageJson, toImage, type StoredImage } from "../uploads/image.dto.ts";
import { iso, type TeamSponsorDto } from "./social.dto.ts";

/**
 * A sponsor's logo (of `team_sponsors as s`) as a stored row or null: a correlated subquery by the
 * uploads primary key, in the statement that reads the sponsor.
 */
export const sponsorLogo = sql<StoredImage | null>`(select ${storedImageJson("up")} from uploads up where up.id = s.logo_upload_id)`;

export const SPONSOR_COLUMNS = [
  "s.id",
  "s.name",
  "s.link_url",
  "s.logo_upload_id",
  "s.status",
  "s.starts_at",
  "s.ends_at",
  sponsorLogo.as("logo"),
] as const;

export function toSponsor(row: {
  id: number;
  name: string;
  link_url: string;
  logo_upload_id: string | null;
  logo: StoredImage | null;
  status: SponsorStatus;
  starts_at: Date;
  ends_at: Date;
}): TeamSponsorDto {
  return {
    id: row.id,
    name: row.name,
    linkUrl: row.link_url,
    logoUploadId: row.logo_upload_id,
    logo: row.logo != null ? toImage(row.logo) : null,
    status: row.status,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
  };
}
