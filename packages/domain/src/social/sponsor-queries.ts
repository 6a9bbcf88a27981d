import type { SponsorStatus } from "@deltacrown/db";
import { iso, type TeamSponsorDto } from "./social.dto.ts";

export const SPONSOR_COLUMNS = [
  "s.id",
  "s.name",
  "s.link_url",
  "s.logo_upload_id",
  "s.status",
  "s.starts_at",
  "s.ends_at",
] as const;

export function toSponsor(row: {
  id: number;
  name: string;
  link_url: string;
  logo_upload_id: string | null;
  status: SponsorStatus;
  starts_at: Date;
  ends_at: Date;
}): TeamSponsorDto {
  return {
    id: row.id,
    name: row.name,
    linkUrl: row.link_url,
    logoUploadId: row.logo_upload_id,
    status: row.status,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
  };
}
