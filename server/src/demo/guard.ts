// S55: a normal start that finds the demo account (a known email, once a published password) in its data directory.
import type { AccountStore } from '../store/types';
import { DEMO_EMAIL } from './seed';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
	return LOOPBACK_HOSTS.has(host.toLowerCase().replace(/^\[(.*)\]$/, '$1'));
}

export const REMOVE_DEMO_HINT = `npm run cli -- user delete ${DEMO_EMAIL}`;

export class DemoAccountError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DemoAccountError';
	}
}

/**
 * The warning to print when the demo account is in the store (null when it is not). Beyond loopback the start is refused
 * (DemoAccountError): the demo owner would be an owner anyone on the network could try, with a password that was
 * printed on a console or, before S54, published. The demo itself (`--demo`) is not checked: it is its purpose.
 */
export async function checkDemoAccount(
	store: Pick<AccountStore, 'getUserByEmail'>,
	options: { host: string; dataDir: string }
): Promise<string | null> {
	if (!(await store.getUserByEmail(DEMO_EMAIL))) return null;
	if (!isLoopbackHost(options.host))
		throw new DemoAccountError(
			`the demo account ${DEMO_EMAIL} is in ${options.dataDir}; refusing to listen on ${options.host} until it is removed: ` +
				`run \`DATA_DIR=${options.dataDir} ${REMOVE_DEMO_HINT}\` (or set HOST=127.0.0.1 to use it on this machine only)`
		);
	return `warning: the demo account ${DEMO_EMAIL} is in ${options.dataDir}; this server listens on loopback only until it is removed (DATA_DIR=${options.dataDir} ${REMOVE_DEMO_HINT})`;
}
