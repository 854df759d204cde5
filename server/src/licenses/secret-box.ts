// Vendor API tokens at rest: AES-256-GCM under a key kept beside the database in DATA_DIR/secret.key (owner-only), so a
// copy of portal.db (a backup sent somewhere) holds no usable token. Each token is bound to its tenant and account.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_KEY_FILE = 'secret.key';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

export class SecretError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SecretError';
	}
}

export interface SecretBox {
	/** Encrypts `plain`; `context` (tenant and account) must be the same to open it again. */
	seal(plain: string, context: string): string;
	/** Throws SecretError when the text was not sealed with this key and context (another key file, a moved row). */
	open(sealed: string, context: string): string;
}

export function createSecretBox(key: Uint8Array): SecretBox {
	if (key.length !== KEY_BYTES) throw new SecretError(`the secret key must be ${KEY_BYTES} bytes`);
	return {
		seal(plain, context) {
			const iv = randomBytes(IV_BYTES);
			const cipher = createCipheriv('aes-256-gcm', key, iv);
			cipher.setAAD(Buffer.from(context, 'utf8'));
			const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
			return [VERSION, iv, cipher.getAuthTag(), data]
				.map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
				.join('.');
		},
		open(sealed, context) {
			const [version, iv, tag, data, ...rest] = sealed.split('.');
			if (version !== VERSION || iv === undefined || tag === undefined || data === undefined || rest.length > 0)
				throw new SecretError('the stored token is not in a known form');
			try {
				const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
				decipher.setAAD(Buffer.from(context, 'utf8'));
				const authTag = Buffer.from(tag, 'base64url');
				if (authTag.length !== TAG_BYTES) throw new SecretError('bad tag');
				decipher.setAuthTag(authTag);
				return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
			} catch {
				throw new SecretError('the stored token cannot be decrypted with this server secret key (DATA_DIR/secret.key)');
			}
		}
	};
}

/**
 * The key in `dataDir/secret.key`, created (32 random bytes, mode 0600, never overwritten) when missing. Read when the first
 * token is sealed or opened, not at start: a portal without HTTP accounts never writes it.
 */
export function loadOrCreateSecretKey(dataDir: string): Buffer {
	const file = join(dataDir, SECRET_KEY_FILE);
	try {
		return checked(readFileSync(file), file);
	} catch (error) {
		if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
	}
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const key = randomBytes(KEY_BYTES);
	let fd: number;
	try {
		fd = openSync(file, 'wx', 0o600);
	} catch (error) {
		// Another process (the CLI) created it meanwhile: use theirs.
		if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return checked(readFileSync(file), file);
		throw error;
	}
	try {
		writeSync(fd, key);
	} finally {
		closeSync(fd);
	}
	return key;
}

function checked(key: Buffer, file: string): Buffer {
	if (key.length !== KEY_BYTES) throw new SecretError(`${file} must hold exactly ${KEY_BYTES} bytes`);
	return key;
}
