// The Postgres database a benchmark runs on: BENCH_DATABASE_URL or the benchmark's default, dropped and
// created afresh (only a juxta_bench_* name, so a mistyped URL cannot wipe real data).
import pg from 'pg';

export async function freshBenchDatabase(defaultName: string): Promise<string> {
  const url = process.env.BENCH_DATABASE_URL ?? `postgresql://postgres@127.0.0.1:5432/${defaultName}`;
  const name = new URL(url).pathname.slice(1);
  if (!/^juxta_bench_\w+$/.test(name)) throw new Error('BENCH_DATABASE_URL must name a juxta_bench_* database: this benchmark recreates it');
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return url;
}
