// The P12 matcher: single addresses and CIDR ranges, IPv4 and IPv6, and what is not an address.
import { describe, expect, it } from 'vitest';
import { isAddressTrusted } from './trusted-addresses';

describe('trusted addresses', () => {
	const ranges = ['192.0.2.0/24', '203.0.113.9', '2001:db8::/32', '::1'];

	it('P12: an address matches a listed address or a range it falls in, IPv4 and IPv6 alike', () => {
		expect(isAddressTrusted('192.0.2.200', ranges)).toBe(true);
		expect(isAddressTrusted('203.0.113.9', ranges)).toBe(true);
		expect(isAddressTrusted('2001:DB8:0:1::7', ranges)).toBe(true);
		expect(isAddressTrusted('::1', ranges)).toBe(true);
		// An IPv4 client on a dual-stack socket is the IPv4 address.
		expect(isAddressTrusted('::ffff:192.0.2.1', ranges)).toBe(true);
	});

	it('P12: anything outside the list, or not an address, matches nothing', () => {
		expect(isAddressTrusted('192.0.3.1', ranges)).toBe(false);
		expect(isAddressTrusted('203.0.113.10', ranges)).toBe(false);
		expect(isAddressTrusted('2001:db9::1', ranges)).toBe(false);
		expect(isAddressTrusted('unknown', ranges)).toBe(false);
		expect(isAddressTrusted('192.0.2.1', [])).toBe(false);
	});
});
