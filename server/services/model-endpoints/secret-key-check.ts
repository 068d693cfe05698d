// JUXTA_SECRET_KEY at start-up (required once an endpoint has a key, and it must open them) and its rotation.
import { ConfigError } from '../../config';
import { findEncryptedKeys, saveEncryptedKey } from '../../db/repositories/model-endpoints';
import type { ServiceContext } from '../context';
import { ApiKeyDecryptError, decryptApiKey, encryptApiKey } from './api-key-cipher';

/** Refuses to start when stored keys cannot be opened: jobs would fail one by one otherwise. */
export async function checkSecretKey(ctx: Pick<ServiceContext, 'db' | 'config'>): Promise<void> {
  const stored = await findEncryptedKeys(ctx.db);
  if (stored.length === 0) return;
  if (!ctx.config.secrets.key) {
    throw new ConfigError(
      `${stored.length} model endpoint(s) have an API key, so JUXTA_SECRET_KEY must be set to the key they were stored with (see .env.example)`,
    );
  }
  try {
    decryptApiKey(ctx.config.secrets.key, stored[0]!.apiKeyCipher!);
  } catch (err) {
    if (err instanceof ApiKeyDecryptError) throw new ConfigError(`JUXTA_SECRET_KEY: ${err.message}`);
    throw err;
  }
}

/**
 * Re-encrypts every stored key from JUXTA_SECRET_KEY to JUXTA_NEW_SECRET_KEY in one transaction (all or
 * none); returns how many. Afterwards the new key goes into JUXTA_SECRET_KEY.
 */
export async function rotateSecretKey(ctx: Pick<ServiceContext, 'db' | 'config'>): Promise<number> {
  const { key, newKey } = ctx.config.secrets;
  if (!key || !newKey) throw new ConfigError('set JUXTA_SECRET_KEY (the current key) and JUXTA_NEW_SECRET_KEY (the new one) to rotate');
  return ctx.db.transaction(async (tx) => {
    const stored = await findEncryptedKeys(tx);
    for (const row of stored) await saveEncryptedKey(tx, row.id, encryptApiKey(newKey, decryptApiKey(key, row.apiKeyCipher!)));
    return stored.length;
  });
}
