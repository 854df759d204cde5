// The client's address for the sign-in slow-down and the audit log: the socket's peer, or behind TRUSTED_PROXIES the
// rightmost X-Forwarded-For hop that is not one of them.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1; IPv6 is lower-cased. */
export function normalizeAddress(address: string): string {
	const trimmed = address.trim().replace(/^\[(.*)\]$/, '$1');
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
	if (mapped?.[1]) return mapped[1];
	return trimmed.toLowerCase();
}

/** `10.0.0.0/8` or `192.0.2.7` (IPv4 or IPv6), or null when it is neither. */
export function parseProxyEntry(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
	const [rawAddress = '', rawPrefix, ...rest] = entry.trim().split('/');
	if (rest.length > 0) return null;
	const address = normalizeAddress(rawAddress);
	const version = isIP(address);
	if (version === 0) return null;
	const max = version === 4 ? 32 : 128;
	const prefix = rawPrefix === undefined ? max : /^\d{1,3}$/.test(rawPrefix) ? Number(rawPrefix) : NaN;
	if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
	return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export type ClientAddress = (req: IncomingMessage) => string;

/**
 * Without trusted proxies X-Forwarded-For is ignored: anyone can write it, and believing it would give a guesser a fresh
 * address per request. With them, a request whose peer is trusted is read from the right: each trusted hop appended the
 * address it received from, so the first untrusted one is the client; hops further left were written by the client.
 */
export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddress {
	const trusted = new BlockList();
	for (const entry of trustedProxies) {
		const parsed = parseProxyEntry(entry);
		if (!parsed) throw new Error(`not an IP address or CIDR range: ${entry}`);
		trusted.addSubnet(parsed.address, parsed.prefix, parsed.family);
	}
	const isTrusted = (address: string): boolean => {
		const version = isIP(address);
		return version !== 0 && trusted.check(address, version === 4 ? 'ipv4' : 'ipv6');
	};
	return (req) => {
		const peer = normalizeAddress(req.socket.remoteAddress ?? 'unknown');
		if (trustedProxies.length === 0 || !isTrusted(peer)) return peer;
		const header = req.headers['x-forwarded-for'];
		const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
			.split(',')
			.map((hop) => hop.trim())
			.filter((hop) => hop.length > 0);
		let client = peer;
		for (let i = hops.length - 1; i >= 0; i--) {
			const hop = normalizeAddress(hops[i] ?? '');
			// A hop that is not an address was not written by a proxy we trust: stop at the last one we could read.
			if (isIP(hop) === 0) break;
			client = hop;
			if (!isTrusted(hop)) break;
		}
		return client;
	};
}
