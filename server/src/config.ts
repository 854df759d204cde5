// The server's settings from the environment and the command line, parsed with zod (read when called, never at import).
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseProxyEntry } from './http/client-address';

export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_DEMO_DATA_DIR = './data-demo';
export const DEFAULT_MAIL_FROM = 'MSP Portal <portal@localhost>';
/** P15: the scheduler looks for billing reports due this often unless BILLING_CHECK_SECONDS says otherwise. */
export const DEFAULT_BILLING_CHECK_MS = 60_000;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const originSchema = z
	.string()
	.trim()
	.transform((value, ctx) => {
		try {
			const url = new URL(value);
			if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/+$/, ''))
				return url.origin;
		} catch {
			// reported below
		}
		ctx.addIssue({ code: 'custom', message: `"${value}" is not an origin like https://portal.example.com` });
		return z.NEVER;
	});

const envSchema = z.object({
	PORT: z.coerce.number().int('PORT must be a whole number').min(0).max(65535).default(3000),
	// 0.0.0.0 by default: tablets on the office LAN must reach the portal; set HOST=127.0.0.1 to keep it to this machine.
	// The demo (a printed password) stays on loopback unless HOST says otherwise: see loadConfig.
	HOST: z.string().trim().min(1).optional(),
	// No default here: the demo's default differs (see loadConfig).
	DATA_DIR: z.string().trim().min(1).optional(),
	PUBLIC_URL: z
		.url('PUBLIC_URL must be a URL like https://portal.example.com')
		.refine((value) => /^https?:\/\//.test(value), 'PUBLIC_URL must start with http:// or https://')
		.optional(),
	ALLOWED_ORIGINS: z
		.string()
		.optional()
		.transform((value) =>
			(value ?? '')
				.split(',')
				.map((part) => part.trim())
				.filter((part) => part.length > 0)
		)
		.pipe(z.array(originSchema)),
	// S52: who may tell us the client's address in X-Forwarded-For; nobody unless listed.
	TRUSTED_PROXIES: z
		.string()
		.optional()
		.transform((value) =>
			(value ?? '')
				.split(',')
				.map((part) => part.trim())
				.filter((part) => part.length > 0)
		)
		.pipe(
			z.array(
				z.string().refine((entry) => parseProxyEntry(entry) !== null, {
					error: (issue) => `"${String(issue.input)}" is not an IP address or a CIDR range like 10.0.0.0/8`
				})
			)
		),
	LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
	// P13: invitations and password resets go out over SMTP when set; otherwise into DATA_DIR/outbox as .eml files.
	SMTP_URL: z
		.url('SMTP_URL must be a URL like smtp://user:password@mail.example.com:587')
		.refine((value) => /^smtps?:\/\//.test(value), 'SMTP_URL must start with smtp:// or smtps://')
		.optional(),
	MAIL_FROM: z.string().trim().min(3).max(320).default(DEFAULT_MAIL_FROM),
	BUILD_DIR: z.string().trim().min(1).optional(),
	// P15: how often the server looks for billing reports due on the tenants' days.
	BILLING_CHECK_SECONDS: z.coerce
		.number()
		.int('BILLING_CHECK_SECONDS must be a whole number of seconds')
		.min(1)
		.max(3600)
		.default(DEFAULT_BILLING_CHECK_MS / 1000)
});

export interface ServerConfig {
	readonly port: number;
	readonly host: string;
	/** Absolute. */
	readonly dataDir: string;
	/** Where people reach the portal (behind a proxy); used for the setup link, the Secure cookie and allowed origins. */
	readonly publicUrl: string | null;
	/** Origins besides the server's own that may open sockets and call the API (browsers send Origin; see http/origin.ts). */
	readonly allowedOrigins: readonly string[];
	/** S52: proxies (IPs or CIDR ranges) whose X-Forwarded-For is believed; empty: the socket's peer is the client. */
	readonly trustedProxies: readonly string[];
	readonly logLevel: (typeof LOG_LEVELS)[number];
	/** P13: the SMTP server that sends the portal's mail (it may hold a password: never logged); null: DATA_DIR/outbox. */
	readonly smtpUrl: string | null;
	/** The sender of the portal's mail. */
	readonly mailFrom: string;
	/** The built SPA (SvelteKit's `build/`); absolute. */
	readonly buildDir: string;
	readonly demo: boolean;
	/** P15: how often the scheduler looks for billing reports due (default a minute). */
	readonly billingCheckMs: number;
}

export class ConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConfigError';
	}
}

/** Reads the configuration; throws ConfigError with every problem in one message. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[], cwd: string): ServerConfig {
	const unknown = argv.filter((arg) => arg !== '--demo');
	if (unknown.length > 0)
		throw new ConfigError(`unknown argument(s): ${unknown.join(' ')} (the only option is --demo)`);
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
	}
	const data = parsed.data;
	const publicUrl = data.PUBLIC_URL ? new URL(data.PUBLIC_URL).origin : null;
	return {
		port: data.PORT,
		host: data.HOST ?? (argv.includes('--demo') ? '127.0.0.1' : '0.0.0.0'),
		// S54: the demo (a known account) never shares the real portal's data unless DATA_DIR says so.
		dataDir: resolve(cwd, data.DATA_DIR ?? (argv.includes('--demo') ? DEFAULT_DEMO_DATA_DIR : DEFAULT_DATA_DIR)),
		publicUrl,
		allowedOrigins: [...new Set([...(publicUrl ? [publicUrl] : []), ...data.ALLOWED_ORIGINS])],
		trustedProxies: data.TRUSTED_PROXIES,
		logLevel: data.LOG_LEVEL,
		smtpUrl: data.SMTP_URL ?? null,
		mailFrom: data.MAIL_FROM,
		buildDir: resolve(cwd, data.BUILD_DIR ?? 'build'),
		demo: argv.includes('--demo'),
		billingCheckMs: data.BILLING_CHECK_SECONDS * 1000
	};
}

/** Test and embedding defaults: loopback, port 0, nothing from the environment. */
export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
	return {
		port: 0,
		host: '127.0.0.1',
		dataDir: resolve('data'),
		publicUrl: null,
		allowedOrigins: [],
		trustedProxies: [],
		logLevel: 'silent',
		smtpUrl: null,
		mailFrom: DEFAULT_MAIL_FROM,
		buildDir: resolve('build'),
		demo: false,
		billingCheckMs: DEFAULT_BILLING_CHECK_MS,
		...overrides
	};
}

/** DATA_DIR alone, for the CLI (which needs nothing else from the environment). */
export function dataDirFrom(env: NodeJS.ProcessEnv, cwd: string): string {
	const parsed = z.object({ DATA_DIR: z.string().trim().min(1).default(DEFAULT_DATA_DIR) }).safeParse(env);
	if (!parsed.success) throw new ConfigError('DATA_DIR must be a directory path');
	return resolve(cwd, parsed.data.DATA_DIR);
}
