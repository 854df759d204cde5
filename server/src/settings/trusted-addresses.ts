// P12: is a client's address among a tenant's trusted addresses and CIDR ranges (IPv4 and IPv6)? Node's BlockList decides.
import { BlockList, isIP } from 'node:net';
import { normalizeAddress, parseProxyEntry } from '../http/client-address';

/** One matcher per list the settings cache holds, so that an API call does not build it again. */
const matchers = new WeakMap<readonly string[], BlockList>();

function matcherOf(ranges: readonly string[]): BlockList {
	let list = matchers.get(ranges);
	if (list) return list;
	list = new BlockList();
	for (const range of ranges) {
		const parsed = parseProxyEntry(range);
		// The settings schema admits only addresses and ranges; anything else matches nothing rather than everything.
		if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.family);
	}
	matchers.set(ranges, list);
	return list;
}

/**
 * Does `address` (as client-address.ts reports it) fall in one of `ranges`? An IPv4 client on a dual-stack socket
 * (`::ffff:192.0.2.1`) matches IPv4 ranges; an address that is not one (`unknown`) matches nothing.
 */
export function isAddressTrusted(address: string, ranges: readonly string[]): boolean {
	const normalized = normalizeAddress(address);
	const version = isIP(normalized);
	if (version === 0) return false;
	return matcherOf(ranges).check(normalized, version === 4 ? 'ipv4' : 'ipv6');
}
