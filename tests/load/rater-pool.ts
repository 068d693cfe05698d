// Raters with live sessions and campaign membership, made in bulk for load tests and benchmarks.
import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../server/db/database';
import { hashSecret } from '../../server/services/auth/secrets';

export async function createRaters(prisma: PrismaClient, campaignId: string, n: number): Promise<{ id: string; session: string }[]> {
  const raters = Array.from({ length: n }, () => ({ id: randomUUID(), session: `jxs_${randomBytes(32).toString('base64url')}` }));
  await prisma.user.createMany({ data: raters.map((r) => ({ id: r.id, email: `load-${r.id}@juxta.test`, name: 'Load rater', role: 'RATER' as const })) });
  await prisma.session.createMany({
    data: raters.map((r) => ({ userId: r.id, tokenHash: hashSecret(r.session), expiresAt: new Date(Date.now() + 86_400_000) })),
  });
  await prisma.campaignMember.createMany({ data: raters.map((r) => ({ campaignId, userId: r.id })) });
  return raters;
}
