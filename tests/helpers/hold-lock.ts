// A process that takes DATA_DIR's lock (argv[2]) the way the server does, says "locked" and waits to be killed.
import { acquireLock } from '../../server/src/pid-lock';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: node --import tsx tests/helpers/hold-lock.ts <dataDir>');
acquireLock(dataDir);
process.stdout.write('locked\n');
setInterval(() => undefined, 60_000);
