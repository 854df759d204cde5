// P18: what lets the lock screen check a password offline: a PBKDF2-SHA256 hash (WebCrypto) with a random salt, never the password.
import { z } from 'zod';

const STORAGE_KEY = 'msp-portal.unlock-verifier';
/**
 * OWASP's figure for PBKDF2-SHA256 (2023). Measured in headless chromium on this project's 2-core machines under load
 * (2026-12): 95 ms per derivation (190 ms the first); a tablet 5-10 times slower stays under 1 s (docs/architecture.md).
 */
export const UNLOCK_ITERATIONS = 600_000;

const base64Schema = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/);
const verifierSchema = z.object({
	version: z.literal(1),
	userId: z.string().min(1).max(64),
	salt: base64Schema,
	iterations: z.number().int().min(100_000).max(10_000_000),
	hash: base64Schema
});
type Verifier = z.infer<typeof verifierSchema>;

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** WebCrypto exists only in secure contexts (https, localhost): elsewhere the lock opens online only. */
const hasWebCrypto = (): boolean => typeof crypto !== 'undefined' && crypto.subtle !== undefined;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
	const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
	const bits = await crypto.subtle.deriveBits(
		{ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
		key,
		256
	);
	return new Uint8Array(bits);
}

function read(): Verifier | null {
	try {
		const raw = localStorage.getItem(STORAGE_KEY);
		if (raw === null) return null;
		const parsed = verifierSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}

/** Made after each sign-in and online unlock, with a fresh salt, from the password the server just accepted. */
export async function saveUnlockVerifier(userId: string, password: string, iterations = UNLOCK_ITERATIONS): Promise<void> {
	if (!hasWebCrypto()) return;
	const salt = crypto.getRandomValues(new Uint8Array(16));
	const hash = await derive(password, salt, iterations);
	const verifier: Verifier = { version: 1, userId, salt: toBase64(salt), iterations, hash: toBase64(hash) };
	try {
		localStorage.setItem(STORAGE_KEY, JSON.stringify(verifier));
	} catch {
		// Blocked storage: the lock screen then needs the network to unlock.
	}
}

/** Is there a verifier for this person on this device? Without one the lock opens only online. */
export function hasUnlockVerifier(userId: string): boolean {
	return read()?.userId === userId;
}

/** Checks a password against the stored verifier: null when this device holds none for this person. */
export async function checkUnlockVerifier(userId: string, password: string): Promise<boolean | null> {
	const verifier = read();
	if (verifier === null || verifier.userId !== userId || !hasWebCrypto()) return null;
	const hash = await derive(password, fromBase64(verifier.salt), verifier.iterations);
	const expected = fromBase64(verifier.hash);
	let difference = hash.length ^ expected.length;
	for (let i = 0; i < hash.length; i++) difference |= hash[i]! ^ (expected[i] ?? 0);
	return difference === 0;
}

/** Signing out: the next person on a shared tablet cannot try passwords against it. */
export function clearUnlockVerifier(): void {
	try {
		localStorage.removeItem(STORAGE_KEY);
	} catch {
		// Nothing stored.
	}
}
