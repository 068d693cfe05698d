// The first admin: made from JUXTA_ADMIN_EMAIL/JUXTA_ADMIN_PASSWORD, or else reached through a one-time
// setup link. Returns the line start-up prints on how to log in.
import { isUniqueViolation } from '../../db/errors';
import { adminExists, createUser, findUserForLogin, updateUser } from '../../db/repositories/users';
import type { ServiceContext } from '../context';
import { issueInvite } from './create-invite';
import { hashPassword } from './password';

const SETUP_LINK_HOURS = 24;

export async function bootstrapAdmin(ctx: ServiceContext): Promise<string> {
  const { db } = ctx;
  const { publicUrl, bootstrapAdmin: configured } = ctx.config;
  if (await adminExists(db)) return `Log in at ${publicUrl}/login`;
  if (!configured) {
    const { token } = await issueInvite(ctx, 'system', { role: 'ADMIN', email: null, campaignId: null, expiresInHours: SETUP_LINK_HOURS });
    return `Open ${publicUrl}/setup/${token} to create the first admin account (one-time link, valid ${SETUP_LINK_HOURS} h)`;
  }
  const passwordHash = await hashPassword(configured.password);
  const existing = await findUserForLogin(db, configured.email);
  try {
    // An existing account with that email (say, a rater) becomes the admin, with the configured password.
    if (existing) await updateUser(db, existing.id, { role: 'ADMIN', passwordHash });
    else await createUser(db, { email: configured.email, name: 'Admin', role: 'ADMIN', passwordHash });
  } catch (err) {
    // Another instance starting at the same moment created it first.
    if (!isUniqueViolation(err)) throw err;
  }
  return `Log in as ${configured.email} with JUXTA_ADMIN_PASSWORD at ${publicUrl}/login`;
}
