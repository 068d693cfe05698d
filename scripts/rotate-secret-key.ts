// `npm run secrets:rotate`: re-encrypts model endpoints' API keys from JUXTA_SECRET_KEY to JUXTA_NEW_SECRET_KEY.
// Stop the app instances first (an embedded database has one owner), then move the new key into JUXTA_SECRET_KEY.
import { ConfigError, loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { rotateSecretKey } from '../server/services/model-endpoints/secret-key-check';

const config = loadConfig();
const db = await openDatabase(config);
try {
  const count = await rotateSecretKey({ db, config });
  console.log(`Re-encrypted ${count} API key(s). Now set JUXTA_SECRET_KEY to the new key, unset JUXTA_NEW_SECRET_KEY, and start the app.`);
} catch (err) {
  console.error(`juxta: ${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
