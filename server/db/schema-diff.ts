// Asks Prisma's schema engine (wasm) for the SQL that takes a database migrated with our
// migrations to schema.prisma. Used by the migration-writing script and the drift test.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as engineRuntime from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { applyMigrations, readMigrations, MIGRATIONS_DIR } from './migrate';
import { createPglite } from './pglite';

let loaded = false;
/** The package's entry imports the .wasm as an ES module, which Node 20 cannot; instantiate it by hand. */
function loadSchemaEngine(): typeof engineRuntime.SchemaEngine {
  if (!loaded) {
    const bgPath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = path.join(path.dirname(bgPath), 'schema_engine_bg.wasm');
    const module = new WebAssembly.Module(readFileSync(wasmPath));
    const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': engineRuntime as unknown as WebAssembly.ModuleImports });
    engineRuntime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    loaded = true;
  }
  return engineRuntime.SchemaEngine;
}

export const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../prisma/schema.prisma');

/** SQL from (all migrations applied to an empty database) to schema.prisma; '' when they agree. */
export async function diffMigrationsToSchema(migrationsDir = MIGRATIONS_DIR, schemaPath = SCHEMA_PATH): Promise<string> {
  const pglite = await createPglite();
  try {
    await applyMigrations(
      {
        query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
        exec: async (script: string) => {
          await pglite.exec(script);
        },
      },
      readMigrations(migrationsDir),
    );
    const content = readFileSync(schemaPath, 'utf8');
    const engine = await loadSchemaEngine().new(
      { datamodels: [[schemaPath, content]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pglite)),
    );
    try {
      const files = [{ path: schemaPath, content }];
      const result = await engine.diff({
        from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaPath) },
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      });
      const sql = (result.stdout ?? '').trim();
      // The engine says so in a comment when there is nothing to do.
      return sql === '' || /^-- This is an empty migration\.?$/.test(sql) ? '' : `${sql}\n`;
    } finally {
      engine.free();
    }
  } finally {
    await pglite.close();
  }
}
