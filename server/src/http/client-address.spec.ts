// The client's address behind proxies (S52): which X-Forwarded-For hop is believed, for IPv4, IPv6 and mapped peers.
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { clientAddressResolver } from './client-address';

const request = (peer: string, forwarded?: string | string[]): IncomingMessage =>
	({
		socket: { remoteAddress: peer },
		headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }
	}) as unknown as IncomingMessage;

describe('client address', () => {
	it('S52: without trusted proxies the peer is the client, whatever X-Forwarded-For says', () => {
		const resolve = clientAddressResolver([]);
		expect(resolve(request('::ffff:192.0.2.1', '203.0.113.9'))).toBe('192.0.2.1');
		expect(resolve(request('2001:DB8::1'))).toBe('2001:db8::1');
	});

	it('S52: from a trusted peer the rightmost untrusted hop is the client', () => {
		const resolve = clientAddressResolver(['10.0.0.0/8', 'fd00::/8']);
		expect(resolve(request('10.0.0.2', '198.51.100.1, 203.0.113.9'))).toBe('203.0.113.9');
		expect(resolve(request('10.0.0.2', '203.0.113.9, 10.1.1.1'))).toBe('203.0.113.9');
		expect(resolve(request('fd00::2', ['198.51.100.1', '2001:db8::7']))).toBe('2001:db8::7');
		// Every hop trusted: the leftmost is as far as we can see.
		expect(resolve(request('10.0.0.2', '10.9.9.9, 10.1.1.1'))).toBe('10.9.9.9');
		// No header, or garbage where a proxy would have written an address: the nearest hop we can read.
		expect(resolve(request('10.0.0.2'))).toBe('10.0.0.2');
		expect(resolve(request('10.0.0.2', '203.0.113.9, not-an-ip'))).toBe('10.0.0.2');
		// An untrusted peer's header is not read at all.
		expect(resolve(request('192.0.2.1', '203.0.113.9'))).toBe('192.0.2.1');
	});
});
