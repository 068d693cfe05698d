// The visibility rule of imports: rows of an import that is not PUBLISHED (still staging, failed, being
// cleaned up) are invisible. Every statement that reads Prompt, Response or Comparison applies it.

const ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * SQL condition: the row aliased `alias` (a Prompt, Response or Comparison, which all carry "importId")
 * belongs to a published import: `WHERE c."campaignId" = $1 AND ${publishedImport('c')}`. Postgres plans
 * it as a semi-join.
 */
export function publishedImport(alias: string): string {
  if (!ALIAS.test(alias)) throw new Error(`publishedImport: "${alias}" is not a plain SQL alias`);
  return `EXISTS (SELECT 1 FROM "Import" pi WHERE pi."id" = "${alias}"."importId" AND pi."status" = 'PUBLISHED')`;
}
