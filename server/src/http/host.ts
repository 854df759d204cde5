// S56: which Host names the server answers to. A DNS-rebinding page reaches us under the attacker's name and would pass
// an Origin check built on Host; requests for any name we do not know get 421 before anything else runs.
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { normalizeAddress } from './client-address';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export interface HostPolicyOptions {
	/** PUBLIC_URL's origin, or null. */
	readonly publicUrl: string | null;
	/** ALLOWED_ORIGINS (PUBLIC_URL among them). */
	readonly allowedOrigins: readonly string[];
	/** The machine's own addresses; read at each check, as DHCP may change them (tests pass a list). */
	readonly ownAddresses?: () => readonly string[];
}

function interfaceAddresses(): string[] {
	return Object.values(networkInterfaces())
		.flat()
		.flatMap((info) => (info ? [normalizeAddress(info.address)] : []));
}

/** The host name of a Host header (`Name:3000`, `[::1]:3000`), lower-cased and without port or brackets; null if unreadable. */
export function hostName(header: string): string | null {
	try {
		const url = new URL(`http://${header}`);
		if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null;
		return normalizeAddress(url.hostname);
	} catch {
		return null;
	}
}

/**
 * The names accepted, any port (the port does not matter to a rebinding attack; the name does):
 * - `localhost`, `127.0.0.1`, `[::1]`;
 * - the host names of PUBLIC_URL and ALLOWED_ORIGINS;
 * - without PUBLIC_URL, also this machine's own interface addresses, so that tablets on the LAN reach it by its IP
 *   (an address in Host cannot be a rebinding: the attacker's page is on the attacker's name). A LAN name such as
 *   portal.office.lan must be given in PUBLIC_URL or ALLOWED_ORIGINS.
 */
export function createHostPolicy(options: HostPolicyOptions): (header: string | undefined) => boolean {
	const names = new Set(LOOPBACK_NAMES);
	for (const origin of [...(options.publicUrl ? [options.publicUrl] : []), ...options.allowedOrigins]) {
		const name = hostName(new URL(origin).host);
		if (name) names.add(name);
	}
	const ownAddresses = options.publicUrl === null ? (options.ownAddresses ?? interfaceAddresses) : () => [];
	return (header) => {
		if (header === undefined) return false;
		const name = hostName(header);
		if (name === null) return false;
		if (names.has(name)) return true;
		return isIP(name) !== 0 && ownAddresses().includes(name);
	};
}
