import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecretBox, loadOrCreateSecretKey, SECRET_KEY_FILE, SecretError } from './secret-box';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('secret box', () => {
	it('seals a token so that only the same key and context open it', () => {
		const box = createSecretBox(Buffer.alloc(32, 7));
		const sealed = box.seal('vendor-token-123', 'tenant-a/acc-1');
		expect(sealed).not.toContain('vendor-token-123');
		expect(box.seal('vendor-token-123', 'tenant-a/acc-1')).not.toBe(sealed);
		expect(box.open(sealed, 'tenant-a/acc-1')).toBe('vendor-token-123');
		expect(() => box.open(sealed, 'tenant-b/acc-1')).toThrow(SecretError);
		expect(() => createSecretBox(Buffer.alloc(32, 8)).open(sealed, 'tenant-a/acc-1')).toThrow(SecretError);
		// One bit of the ciphertext flipped (through the bytes: a base64 character may hold unused bits).
		const [version, iv, tag, data] = sealed.split('.') as [string, string, string, string];
		const flipped = Buffer.from(data, 'base64url');
		flipped[0]! ^= 1;
		const tampered = [version, iv, tag, flipped.toString('base64url')].join('.');
		expect(() => box.open(tampered, 'tenant-a/acc-1')).toThrow(SecretError);
		expect(() => box.open('plain text', 'tenant-a/acc-1')).toThrow(SecretError);
	});

	it('creates the key file once, owner-only, and reads the same key afterwards', () => {
		const dir = mkdtempSync(join(tmpdir(), 'msp-secret-'));
		dirs.push(dir);
		const key = loadOrCreateSecretKey(join(dir, 'data'));
		expect(key).toHaveLength(32);
		expect(statSync(join(dir, 'data', SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
		expect(loadOrCreateSecretKey(join(dir, 'data')).equals(key)).toBe(true);
	});
});
