// Password hashing: salted, parameters in the string, wrong passwords and damaged hashes refused.
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword, type ScryptParams } from './passwords';

// Cheap parameters keep the suite fast; the format and the checks are the same as with the defaults.
const FAST: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

describe('passwords', () => {
	it('a hash verifies its own password and no other', async () => {
		const hash = await hashPassword('correct horse battery', FAST);
		expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
		expect(hash).not.toContain('correct horse');
		expect(await verifyPassword('correct horse battery', hash)).toBe(true);
		expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
	});

	it('each hash has its own salt', async () => {
		const [a, b] = await Promise.all([hashPassword('same password', FAST), hashPassword('same password', FAST)]);
		expect(a).not.toBe(b);
		expect(await verifyPassword('same password', a)).toBe(true);
		expect(await verifyPassword('same password', b)).toBe(true);
	});

	it('the parameters travel with the hash', async () => {
		const hash = await hashPassword('another password', { N: 2 ** 11, r: 4, p: 2 });
		expect(hash.split('$').slice(1, 4)).toEqual(['2048', '4', '2']);
		expect(await verifyPassword('another password', hash)).toBe(true);
	});

	it('the default parameters work', async () => {
		const hash = await hashPassword('a default password');
		expect(hash.startsWith('scrypt$131072$8$1$')).toBe(true);
		expect(await verifyPassword('a default password', hash)).toBe(true);
	});

	it('damaged or foreign hashes never verify', async () => {
		const hash = await hashPassword('some password', FAST);
		for (const bad of [
			'',
			'plain',
			hash.replace('scrypt', 'bcrypt'),
			hash.slice(0, -4),
			'scrypt$3$8$1$abc$def',
			'scrypt$1073741824$8$1$abc$def'
		]) {
			expect(await verifyPassword('some password', bad)).toBe(false);
		}
	});
});
