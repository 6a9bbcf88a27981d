/**
 * A pub/sub channel's name for the Redis database a client uses. Channels belong to the whole Redis
 * server, not to a database as keys do: the database number in the name keeps deployments (and test
 * files) that share a server apart, as their keys are. Without it one deployment's cache
 * invalidations emptied another's memory tier, and CI saw another database's team event reach a
 * live listener whose team had the same id.
 */
export const databaseChannel = (base: string, client: { options: { db?: number | undefined } } | undefined): string =>
  `${base}:db${client?.options.db ?? 0}`;
