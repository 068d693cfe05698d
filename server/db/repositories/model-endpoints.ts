// Model endpoints: rows, the encrypted key column, and soft deletion (jobs and responses keep referring to them).
import type { Prisma } from '../database';
import type { Db } from '../handle';


const endpointFields = {
  id: true,
  name: true,
  baseUrl: true,
  model: true,
  params: true,
  maxConcurrency: true,
  requestsPerMinute: true,
  stream: true,
  timeoutSeconds: true,
  apiKeyCipher: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type ModelEndpointRow = NonNullable<Awaited<ReturnType<typeof findModelEndpoint>>>;

export interface ModelEndpointData {
  name: string;
  baseUrl: string;
  model: string;
  params: object;
  maxConcurrency: number;
  requestsPerMinute: number | null;
  stream: boolean;
  timeoutSeconds: number;
  apiKeyCipher: string | null;
}

export function findModelEndpoint(db: Db, id: string) {
  return db.prisma.modelEndpoint.findFirst({ where: { id, deletedAt: null }, select: endpointFields });
}

export function findModelEndpoints(db: Db, ids?: string[]) {
  return db.prisma.modelEndpoint.findMany({ where: { deletedAt: null, ...(ids ? { id: { in: ids } } : {}) }, select: endpointFields, orderBy: { name: 'asc' } });
}

export function findEndpointByName(db: Db, name: string) {
  return db.prisma.modelEndpoint.findUnique({ where: { name }, select: { id: true, deletedAt: true } });
}

export function insertModelEndpoint(db: Db, data: ModelEndpointData) {
  return db.prisma.modelEndpoint.create({ data: { ...data, params: data.params as Prisma.InputJsonValue }, select: endpointFields });
}

export function updateModelEndpoint(db: Db, id: string, data: Partial<ModelEndpointData>) {
  const { params, ...rest } = data;
  return db.prisma.modelEndpoint.update({
    where: { id },
    data: { ...rest, ...(params === undefined ? {} : { params: params as Prisma.InputJsonValue }) },
    select: endpointFields,
  });
}

/** Keeps the row for history, drops the key; the name is freed for a new endpoint. */
export async function softDeleteModelEndpoint(db: Db, id: string, at: Date): Promise<void> {
  await db.prisma.modelEndpoint.update({ where: { id }, data: { deletedAt: at, apiKeyCipher: null, name: `${id} (deleted)` } });
}

/** Every stored key, for the start-up check and the rotation command. */
export function findEncryptedKeys(db: Db) {
  return db.prisma.modelEndpoint.findMany({ where: { apiKeyCipher: { not: null } }, select: { id: true, apiKeyCipher: true } });
}

export async function saveEncryptedKey(db: Db, id: string, apiKeyCipher: string): Promise<void> {
  await db.prisma.modelEndpoint.update({ where: { id }, data: { apiKeyCipher } });
}
