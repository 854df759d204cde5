// What the relay benchmark and its server child process agree on: the seeded accounts and the IPC messages (parsed with zod).
import { z } from 'zod';

export const BENCH_PASSWORD = 'bench-password-1234';
export const WRITERS_TENANT = 'bench-writers';
export const WRITERS_EMAIL = 'writer@bench.example';
/** Customers in the writers' tenant; the writers rename them. */
export const WRITERS_CUSTOMERS = 40;

export const catchUpTenant = (kind: 'raw' | 'compacted', copy: number): string => `catchup-${kind}-${copy}`;
export const catchUpEmail = (kind: 'raw' | 'compacted', copy: number): string =>
	`catchup-${kind}-${copy}@bench.example`;

/** The load run's tenant: customers `load-cust-<i>` (one document each) and users `load-<i>@bench.example` (admins). */
export const LOAD_TENANT = 'bench-load';
export const loadEmail = (user: number): string => `load-${user}@bench.example`;
export const loadCustomerId = (customer: number): string => `load-cust-${customer}`;

export const childConfigSchema = z.object({
	store: z.enum(['sqlite', 'memory']),
	dataDir: z.string().min(1),
	/** Seed documents of `updates` stored updates, `copies` uncompacted and `copies` compacted (SQLite only). */
	catchUp: z.object({ updates: z.number().int().positive(), copies: z.number().int().positive() }).nullable(),
	/** Seed the load tenant with `customers` customers and `users` admins (the relay's per-user socket cap is S42's). */
	load: z
		.object({ customers: z.number().int().positive().max(1000), users: z.number().int().positive().max(100) })
		.nullable()
});
export type ChildConfig = z.infer<typeof childConfigSchema>;
export const CHILD_CONFIG_ENV = 'BENCH_RELAY_CONFIG';

export const childMessageSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('ready'), url: z.url() }),
	z.object({
		type: z.literal('memory'),
		rss: z.number(),
		heapUsed: z.number(),
		heapTotal: z.number(),
		external: z.number(),
		arrayBuffers: z.number()
	}),
	z.object({ type: z.literal('failed'), message: z.string() })
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;

export const parentMessageSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('memory') }),
	z.object({ type: z.literal('stop') })
]);
export type ParentMessage = z.infer<typeof parentMessageSchema>;

/** Signs a bench user in; answers the session cookie. */
export async function benchSignIn(url: string, email: string): Promise<string> {
	const response = await fetch(`${url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password: BENCH_PASSWORD })
	});
	const cookie = response.headers.get('set-cookie')?.split(';')[0];
	if (response.status !== 204 || cookie === undefined)
		throw new Error(`relay bench: sign-in answered ${response.status}`);
	return cookie;
}
