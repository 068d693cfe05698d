// Child process for the crash test: opens the embedded database, commits a row, says so, then hangs until killed.
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';

const email = process.argv[2] as string;
const db = await openDatabase(loadConfig({ DATA_DIR: process.env.DATA_DIR }));
await db.prisma.user.create({ data: { email, name: 'crash test', role: 'RATER' } });
console.log('committed');
setInterval(() => {}, 1000);
