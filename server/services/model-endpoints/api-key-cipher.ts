// Model endpoints' API keys at rest: AES-256-GCM under JUXTA_SECRET_KEY ('v1:' + base64 of iv | tag | ciphertext).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../errors';

const VERSION = 'v1:';

export function encryptApiKey(key: Buffer | null, apiKey: string): string {
  if (!key) {
    throw new AppError(
      'SECRET_KEY_MISSING',
      'Storing an API key needs JUXTA_SECRET_KEY (32 random bytes in base64, e.g. `openssl rand -base64 32`) in the server\'s environment: set it and restart, or register the endpoint without a key.',
    );
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(apiKey, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** Thrown when a stored key cannot be opened with the configured JUXTA_SECRET_KEY (another key, or damaged). */
export class ApiKeyDecryptError extends Error {
  override name = 'ApiKeyDecryptError';
}

export function decryptApiKey(key: Buffer | null, stored: string): string {
  if (!key) throw new ApiKeyDecryptError('an endpoint has an API key but JUXTA_SECRET_KEY is not set');
  if (!stored.startsWith(VERSION)) throw new ApiKeyDecryptError('a stored API key has an unknown format');
  const raw = Buffer.from(stored.slice(VERSION.length), 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new ApiKeyDecryptError('a stored API key does not open with JUXTA_SECRET_KEY (was the key changed without `npm run secrets:rotate`?)');
  }
}
