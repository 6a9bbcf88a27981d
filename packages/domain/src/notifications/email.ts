/** The e-mail form of an in-app notification: plain text, rendered from its kind and payload. */
export interface NotificationEmail {
  subject: string;
  text: string;
}

type Payload = Record<string, unknown>;

const str = (value: unknown, fallback: string) => (typeof value === "string" && value !== "" ? value : fallback);

/** One line per kind; an unknown kind still reads sensibly (old jobs, new kinds). */
const TEMPLATES: Record<string, (p: Payload) => NotificationEmail> = {
  "team.invite": (p) => ({
    subject: `${str(p.from, "Someone")} invited you to join ${str(p.teamName, "a team")}`,
    text: `${str(p.from, "Someone")} invited you to join ${str(p.teamName, "a team")} as ${str(p.role, "a member")}.\nOpen DeltaCrown to accept or decline the invite (it expires in 7 days).`,
  }),
  "team.invite_accepted": (p) => ({
    subject: `${str(p.username ?? p.by, "Your invitee")} joined ${str(p.teamName ?? p.teamSlug, "your team")}`,
    text: `${str(p.username ?? p.by, "Your invitee")} accepted your invite and joined ${str(p.teamName ?? p.teamSlug, "your team")}.`,
  }),
  "team.member_removed": (p) => ({
    subject: `You were removed from ${str(p.teamName ?? p.teamSlug, "a team")}`,
    text: `You are no longer a member of ${str(p.teamName ?? p.teamSlug, "a team")}.`,
  }),
  "team.role_changed": (p) => ({
    subject: `Your role in ${str(p.teamName ?? p.teamSlug, "your team")} changed`,
    text: `Your role in ${str(p.teamName ?? p.teamSlug, "your team")} is now ${str(p.role, "different")}.`,
  }),
  "team.disbanded": (p) => ({
    subject: `${str(p.teamName ?? p.teamSlug, "Your team")} was disbanded`,
    text: `${str(p.teamName ?? p.teamSlug, "Your team")} was disbanded; its roster and pending invites are closed.`,
  }),
};

export function renderNotificationEmail(
  kind: string,
  payload: Payload,
  recipient: { displayName: string },
): NotificationEmail {
  const body = TEMPLATES[kind]?.(payload) ?? {
    subject: `New notification: ${kind}`,
    text: `You have a new notification (${kind}) on DeltaCrown.`,
  };
  return {
    subject: `DeltaCrown: ${body.subject}`,
    text: `Hi ${recipient.displayName},\n\n${body.text}\n\n— DeltaCrown\n`,
  };
}
