export * from "./shared/errors.ts";
export * from "./shared/deps.ts";
export * as textPolicy from "./shared/text-policy.ts";
export { watchRedisErrors, type RedisErrorReport } from "./shared/redis-errors.ts";
export { audit } from "./shared/audit.ts";
export { withTransaction, isRetryable, type AfterCommit, type TransactionOptions } from "./shared/transaction.ts";
export {
  Cache,
  INVALIDATION_CHANNEL,
  viewsKey,
  type CacheEvents,
  type CacheOptions,
  type InvalidateOptions,
} from "./cache/cache.ts";
export { cacheFamilies, cacheKey, HOT_CACHE_FAMILIES, type CacheFamily } from "./cache/families.ts";
export { enqueue, type EnqueueOptions } from "./jobs/enqueue.ts";
export { jobPayloads, type JobName, type JobPayload, type ParsedJobPayload } from "./jobs/payloads.ts";
export { auditWritePayload, type AuditWritePayload } from "./jobs/audit.jobs.ts";
export { notificationsDeliverPayload } from "./jobs/notification.jobs.ts";
export { invitesExpirePayload } from "./jobs/invite.jobs.ts";
export { retentionIdempotencyKeysPayload, retentionSessionsPayload } from "./jobs/retention.jobs.ts";
export { notify, type NotificationInput } from "./notifications/notify.ts";
export * as notifications from "./notifications/notifications.service.ts";
export type { NotificationDto, NotificationPage } from "./notifications/notifications.service.ts";
export { renderNotificationEmail, type NotificationEmail } from "./notifications/email.ts";
export { hashPassword, verifyPassword } from "./identity/password.ts";
export { isDjangoPbkdf2 } from "./identity/django-password.ts";
export { purgeExpiredSessions, resolveSession } from "./identity/sessions.ts";
export * as identity from "./identity/identity.service.ts";
export type { PublicUser, AuthResult } from "./identity/identity.service.ts";
export * as games from "./games/games.service.ts";
export type { GameDto } from "./games/games.service.ts";
export { demoGames } from "./games/demo-games.ts";
export * as teams from "./teams/teams.service.ts";
export * as invites from "./teams/invites.service.ts";
export * as roster from "./teams/roster.service.ts";
export { teamViewer, type TeamViewerDto } from "./teams/viewer.service.ts";
export * as orgs from "./orgs/orgs.service.ts";
export * as orgDashboard from "./orgs/dashboard.service.ts";
export type * from "./orgs/orgs.dto.ts";
export { ORG_PERMISSIONS, ORG_ROLE_RANK, canOnOrg, canGrantOrgRole, type OrgAction } from "./orgs/permissions.ts";
export * from "./teams/teams.dto.ts";
export { TEAM_PERMISSIONS, ROLE_RANK, canOnTeam, canGrantRole, type TeamAction } from "./teams/permissions.ts";
export { seedDemo, DEMO_PASSWORD } from "./seed/demo.ts";
export * as rankings from "./rankings/index.ts";
export { recordMatchResult, type MatchResultInput } from "./rankings/awards.ts";
export type * from "./rankings/leaderboard.dto.ts";
export * from "./jobs/rankings.jobs.ts";
export * from "./economy/index.ts";
export * as tournaments from "./tournaments/index.ts";
export type * from "./tournaments/tournaments.dto.ts";
export * from "./live/index.ts";
export * from "./webhooks/index.ts";
export { webhooksDeliverPayload } from "./jobs/webhooks.jobs.ts";
export * as social from "./social/index.ts";
export type * from "./social/social.dto.ts";
export * from "./jobs/social.jobs.ts";
export * as uploads from "./uploads/index.ts";
export type { UploadDto, ImageDto, ImageRef, ObjectStorage, StorageConfig, StoredObject } from "./uploads/index.ts";
export { createStorage } from "./uploads/create-storage.ts";
