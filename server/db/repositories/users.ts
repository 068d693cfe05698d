// Users, their failed-login throttle and their campaign memberships.
import { Prisma, type PrismaClient } from '../database';

/** The client or an open transaction: repositories work with either. */
export type Db = PrismaClient | Prisma.TransactionClient;

const listFields = { id: true, email: true, name: true, role: true, active: true, createdAt: true } as const;

export function findUserForLogin(db: Db, email: string) {
  return db.user.findUnique({
    where: { email },
    select: { ...listFields, passwordHash: true, failedLoginCount: true, failedLoginWindowStart: true },
  });
}
export type LoginUser = NonNullable<Awaited<ReturnType<typeof findUserForLogin>>>;

export function findUserById(db: Db, id: string) {
  return db.user.findUnique({ where: { id }, select: listFields });
}
export type UserRow = NonNullable<Awaited<ReturnType<typeof findUserById>>>;

export function listUsers(db: Db) {
  return db.user.findMany({ select: listFields, orderBy: [{ createdAt: 'asc' }, { email: 'asc' }] });
}

export function createUser(db: Db, data: { email: string; name: string; role: 'ADMIN' | 'RATER'; passwordHash: string }) {
  return db.user.create({ data, select: listFields });
}

export function updateUser(db: Db, id: string, data: { role?: 'ADMIN' | 'RATER'; passwordHash?: string }) {
  return db.user.update({ where: { id }, data, select: listFields });
}

export async function adminExists(db: Db): Promise<boolean> {
  return (await db.user.count({ where: { role: 'ADMIN', active: true } })) > 0;
}

/**
 * Locks the active admins' rows (inside a transaction) and returns their ids, so two admins deactivating
 * each other at the same moment cannot both pass the "not the last admin" check.
 */
export async function lockActiveAdmins(tx: Prisma.TransactionClient): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM "User" WHERE role = 'ADMIN' AND active ORDER BY id FOR UPDATE`;
  return rows.map((r) => r.id);
}

export function setUserActive(db: Db, id: string, active: boolean, at: Date) {
  return db.user.update({ where: { id }, data: { active, deactivatedAt: active ? null : at }, select: listFields });
}

/**
 * Counts one failed login for `email` in one statement, so instances sharing the database count together:
 * a window older than `windowStartAfter` starts over at `now`. For an unknown email it matches no row but
 * costs the same round trip, so the reply's timing does not tell which emails have accounts.
 */
export async function recordFailedLogin(db: Db, email: string, now: Date, windowStartAfter: Date): Promise<void> {
  await db.$executeRaw`
    UPDATE "User" SET
      "failedLoginCount" = CASE WHEN "failedLoginWindowStart" IS NULL OR "failedLoginWindowStart" <= ${windowStartAfter}::timestamptz
        THEN 1 ELSE "failedLoginCount" + 1 END,
      "failedLoginWindowStart" = CASE WHEN "failedLoginWindowStart" IS NULL OR "failedLoginWindowStart" <= ${windowStartAfter}::timestamptz
        THEN ${now}::timestamptz ELSE "failedLoginWindowStart" END
    WHERE email = ${email}`;
}

export async function clearFailedLogins(db: Db, userId: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { failedLoginCount: 0, failedLoginWindowStart: null } });
}

/** Campaigns the user may rate now: a member, not excluded, campaign active. */
export function listRatableCampaigns(db: Db, userId: string) {
  return db.campaign.findMany({
    where: { status: 'ACTIVE', members: { some: { userId, excluded: false } } },
    select: { id: true, name: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

export function campaignExists(db: Db, id: string) {
  return db.campaign.findUnique({ where: { id }, select: { id: true, name: true } });
}

/** Adds the membership, leaving an existing one (and its exclusion state) as it is. */
export function addCampaignMember(db: Db, campaignId: string, userId: string) {
  return db.campaignMember.upsert({
    where: { campaignId_userId: { campaignId, userId } },
    create: { campaignId, userId },
    update: {},
  });
}

/** A campaign's raters with their accounts, in the order they joined. */
export function listCampaignMembers(db: Db, campaignId: string) {
  return db.campaignMember.findMany({
    where: { campaignId },
    select: { joinedAt: true, excluded: true, user: { select: { id: true, email: true, name: true, role: true, active: true } } },
    orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }],
  });
}

/** Makes the user a rater of every campaign there is (the first admin, so the demo can be rated at once). */
export async function joinAllCampaigns(db: Db, userId: string): Promise<void> {
  const campaigns = await db.campaign.findMany({ select: { id: true } });
  await db.campaignMember.createMany({ data: campaigns.map((c) => ({ campaignId: c.id, userId })), skipDuplicates: true });
}

/** True for a unique-constraint violation (e.g. two requests creating the same email at once). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
