// Password hashing with scrypt (node:crypto): a random salt per password, the cost parameters inside the stored string.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
	/** CPU/memory cost, a power of two. */
	readonly N: number;
	readonly r: number;
	readonly p: number;
}

/** OWASP's scrypt baseline (N=2^17, r=8, p=1): about 128 MiB and a few hundred ms per hash on these machines. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
	const options: ScryptOptions = {
		N: params.N,
		r: params.r,
		p: params.p,
		maxmem: 256 * params.N * params.r + 1024 * 1024
	};
	return new Promise((resolve, reject) => {
		scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
			error ? reject(error) : resolve(key)
		);
	});
}

/** `scrypt$N$r$p$<salt base64url>$<key base64url>` */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
	const salt = randomBytes(SALT_LENGTH);
	const key = await derive(password, salt, params);
	return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** True when `password` matches `stored`; false for a wrong password and for a malformed hash (never throws on bad input). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const match = HASH_PATTERN.exec(stored);
	if (!match) return false;
	const [, n, r, p, saltText, keyText] = match as unknown as [string, string, string, string, string, string];
	const params = { N: Number(n), r: Number(r), p: Number(p) };
	// Refuse absurd parameters a tampered row could carry, rather than burn memory on them.
	if (
		params.N < 2 ||
		params.N > 2 ** 20 ||
		(params.N & (params.N - 1)) !== 0 ||
		params.r < 1 ||
		params.r > 32 ||
		params.p < 1 ||
		params.p > 16
	) {
		return false;
	}
	const expected = Buffer.from(keyText, 'base64url');
	if (expected.length !== KEY_LENGTH) return false;
	const actual = await derive(password, Buffer.from(saltText, 'base64url'), params);
	return timingSafeEqual(actual, expected);
}
