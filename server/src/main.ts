// Entry of `npm run serve` / `npm start`: config, data-dir lock, SQLite store, optional demo seed, then listen until a signal.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from './app';
import { systemClock } from './clock';
import { ConfigError, loadConfig } from './config';
import { checkDemoAccount, DemoAccountError } from './demo/guard';
import { DEMO_EMAIL, seedDemo } from './demo/seed';
import { createLogger } from './log';
import { acquireLock, DB_FILE, LockHeldError } from './pid-lock';
import { openSqliteStore } from './store/sqlite';

async function main(): Promise<void> {
	const config = loadConfig(process.env, process.argv.slice(2), process.cwd());
	const log = createLogger(config.logLevel);
	// Owner-only: the database holds password hashes and every tenant's documents.
	mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
	const release = acquireLock(config.dataDir);
	process.once('exit', release);

	const store = openSqliteStore(join(config.dataDir, DB_FILE));
	// S54: the demo's password is random and printed once, when it is seeded; only its hash is kept.
	let demoSignIn: string | null = null;
	if (config.demo) {
		const password = await seedDemo(store, systemClock.now());
		log.info({ seeded: password !== null }, password ? 'demo tenant seeded' : 'demo tenant already present');
		demoSignIn = password
			? `Demo sign-in: ${DEMO_EMAIL} / ${password}`
			: `Demo sign-in: ${DEMO_EMAIL} (the password was printed when the demo was seeded; for a new one, stop the server, delete ${config.dataDir} and start the demo again)`;
	} else {
		// S55: throws beyond loopback.
		const warning = await checkDemoAccount(store, config);
		if (warning) process.stderr.write(`${warning}\n`);
	}
	const server = createServer({ store, clock: systemClock, log, config });
	const { url } = await server.listen();
	process.stdout.write(`MSP portal listening on ${url}\n`);
	const setupUrl = await server.auth.setupUrl(config.publicUrl ?? url);
	if (setupUrl) process.stdout.write(`Setup link (one-time): ${setupUrl}\n`);
	if (demoSignIn) process.stdout.write(`${demoSignIn}\n`);
	if (!config.publicUrl)
		process.stdout.write(
			`Answers to localhost and this machine's IP addresses; for a host name (portal.office.lan) set PUBLIC_URL or ALLOWED_ORIGINS\n`
		);
	log.info({ port: new URL(url).port, dataDir: config.dataDir }, 'server started');

	let stopping = false;
	const stop = (signal: NodeJS.Signals): void => {
		if (stopping) return;
		stopping = true;
		log.info({ signal }, 'stopping');
		void (async () => {
			try {
				await server.close();
				await store.close();
			} catch (error) {
				log.error({ err: { type: error instanceof Error ? error.name : typeof error } }, 'error while stopping');
				process.exitCode = 1;
			} finally {
				release();
				process.exit();
			}
		})();
	};
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
	if (error instanceof ConfigError) process.stderr.write(`configuration error: ${error.message}\n`);
	else if (error instanceof DemoAccountError) process.stderr.write(`${error.message}\n`);
	else if (error instanceof LockHeldError)
		process.stderr.write(`${error.message} (another server uses this DATA_DIR)\n`);
	else if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE')
		process.stderr.write(`the port is in use: ${error.message}\n`);
	else process.stderr.write(`the server could not start: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
