// Users and the login back-off counters.
import type { Db } from '../handle';
import { ACCOUNT_SQL } from '../sql/accounts';

const listFields = { id: true, email: true, name: true, role: true, active: true, createdAt: true } as const;

export function findUserForLogin(db: Db, email: string) {
  return db.prisma.user.findUnique({
    where: { email },
    select: { ...listFields, passwordHash: true },
  });
}
export type LoginUser = NonNullable<Awaited<ReturnType<typeof findUserForLogin>>>;

export function findUserById(db: Db, id: string) {
  return db.prisma.user.findUnique({ where: { id }, select: listFields });
}
export type UserRow = NonNullable<Awaited<ReturnType<typeof findUserById>>>;

export function listUsers(db: Db) {
  return db.prisma.user.findMany({ select: listFields, orderBy: [{ createdAt: 'asc' }, { email: 'asc' }] });
}

export function createUser(db: Db, data: { email: string; name: string; role: 'ADMIN' | 'RATER'; passwordHash: string | null }) {
  return db.prisma.user.create({ data, select: listFields });
}

export function updateUser(db: Db, id: string, data: { role?: 'ADMIN' | 'RATER'; passwordHash?: string }) {
  return db.prisma.user.update({ where: { id }, data, select: listFields });
}

export async function adminExists(db: Db): Promise<boolean> {
  return (await db.prisma.user.count({ where: { role: 'ADMIN', active: true } })) > 0;
}

/** Locks the active admins' rows (inside a transaction) and returns their ids (ACCOUNT_SQL.lockActiveAdmins). */
export async function lockActiveAdmins(tx: Db): Promise<string[]> {
  const rows = await tx.sql.query<{ id: string }>(ACCOUNT_SQL.lockActiveAdmins, []);
  return rows.map((r) => r.id);
}

export function setUserActive(db: Db, id: string, active: boolean, at: Date) {
  return db.prisma.user.update({ where: { id }, data: { active, deactivatedAt: active ? null : at }, select: listFields });
}

export interface LoginFailureState {
  /** Failures of this email from this address in the current window. */
  mine: number;
  lastAt: Date | null;
  mineWindowStart: Date | null;
  /** Failures of this email from every address in the window. */
  total: number;
}

/** The back-off state of `email` from `ip`, counting windows that started after `windowStartAfter`. */
export async function findLoginFailureState(db: Db, email: string, ip: string, windowStartAfter: Date): Promise<LoginFailureState> {
  const [row] = await db.sql.query<LoginFailureState>(ACCOUNT_SQL.loginFailureState, [email, ip, windowStartAfter]);
  return row!;
}

/** Counts one failed login (ACCOUNT_SQL.recordLoginFailure): a window older than `windowStartAfter` starts over at `now`. */
export async function recordLoginFailure(db: Db, email: string, ip: string, now: Date, windowStartAfter: Date): Promise<void> {
  await db.sql.execute(ACCOUNT_SQL.recordLoginFailure, [email, ip, windowStartAfter, now]);
}

/** After the right password: this address starts with a clean slate for this email (other addresses keep theirs). */
export async function clearLoginFailures(db: Db, email: string, ip: string): Promise<void> {
  await db.prisma.loginFailure.deleteMany({ where: { email, ip } });
}

/** Rows whose last failure is older than the window count for nothing: deleted with the dead sessions. */
export async function deleteStaleLoginFailures(db: Db, lastBefore: Date): Promise<number> {
  const { count } = await db.prisma.loginFailure.deleteMany({ where: { lastAt: { lte: lastBefore } } });
  return count;
}

/** Campaigns the user may rate now: a member, not excluded, campaign active. */
export function listRatableCampaigns(db: Db, userId: string) {
  return db.prisma.campaign.findMany({
    where: { status: 'ACTIVE', members: { some: { userId, excluded: false } } },
    select: { id: true, name: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}
