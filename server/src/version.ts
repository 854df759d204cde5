// The product version, read from package.json when asked (never at import time).
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export function readVersion(): string {
	const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
	return z.object({ version: z.string().min(1) }).parse(JSON.parse(text)).version;
}
