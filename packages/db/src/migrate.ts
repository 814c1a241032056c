import type { Kysely } from "kysely";
import { type Migration, Migrator } from "kysely/migration";

/**
 * Applies the service's migrations, kept in code so a compiled binary needs no migration folder.
 * Kysely's PostgreSQL adapter takes an advisory lock, so replicas starting together are safe.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(
      `migration ${failed?.migrationName ?? ""} failed: ${(error as Error | undefined)?.message ?? "unknown"}`,
    );
  }
}
