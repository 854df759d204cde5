// Accounts at the door: the one-time setup, sign-in with slow-down, cookie sessions, and per-document authorization.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parseCookie, stringifySetCookie } from 'cookie';
import { parseDocName, tenantDocName } from '../../../src/lib/schema/ids';
import type { Role, SetupRequest } from '../../../src/lib/schema/api';
import type { Grant } from '../../../src/lib/schema/access';
import { isTenantWide as isTenantWideGrant, permissionsOf, writesDocument } from '../../../src/lib/domain/access';
import { TENANT_WIDE } from '../store/grants';
import type { Clock } from '../clock';
import type { DocAccess, Principal, SocketOwner } from '../relay/types';
import type { AccountStore, UserRecord } from '../store/types';
import { EmailTakenError } from '../store/errors';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword, type ScryptParams } from './passwords';
import { FailureThrottle, type ThrottleOptions } from './throttle';
import type { ClientAddress } from '../http/client-address';
import { createTenantSettingsCache, type TenantSettingsCache } from '../settings/settings-cache';
import { isAddressTrusted } from '../settings/trusted-addresses';

export const SESSION_COOKIE = 'msp_session';
/**
 * S58: the cookie's name on https. Browsers accept a `__Host-` cookie only with Secure, Path=/ and no Domain, so a
 * network attacker on plain http (or a sibling subdomain) cannot plant one; plain-http LAN use keeps SESSION_COOKIE.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
/** However much it is used, a session ends this long after sign-in; the person signs in again. */
export const DEFAULT_SESSION_MAX_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;
/**
 * P18: a session's expiry moves (one store write) only when it would move by at least a tenth of the tenant's timeout
 * (and at most 5 minutes), so that every request does not write; a session thus ends 90-100 % of the timeout after its
 * last use.
 */
const SESSION_REFRESH_MS = 5 * 60 * 1000;
const SESSION_REFRESH_FRACTION = 0.1;
/** P12: the answer to a request, sign-in or socket from outside a tenant's trusted addresses. */
export const ADDRESS_NOT_TRUSTED = 'address_not_trusted';

/** A refusal with the HTTP status and stable code the API answers with. */
export class AuthError extends Error {
	readonly status: number;
	readonly code: string;
	readonly retryAfterSeconds: number | null;
	constructor(status: number, code: string, message: string, retryAfterSeconds: number | null = null) {
		super(message);
		this.name = 'AuthError';
		this.status = status;
		this.code = code;
		this.retryAfterSeconds = retryAfterSeconds;
	}
}

/** A session just issued: the token goes only into the cookie, the store keeps its hash. */
export interface IssuedSession {
	readonly userId: string;
	readonly expiresAt: Date;
	/** The Set-Cookie header value. */
	readonly cookie: string;
}

export interface ResolvedSession {
	readonly principal: Principal;
	/** A Set-Cookie value when the expiry was pushed forward (sliding), else null. */
	readonly refreshedCookie: string | null;
}

export interface AuthOptions {
	readonly store: AccountStore;
	readonly clock: Clock;
	/** Adds `Secure` to the cookie: set when the portal is reached over https. */
	readonly secureCookies?: boolean;
	/** P12, P18: the tenants' settings (trusted addresses, session timeout); default: read from the store, cached briefly. */
	readonly settings?: TenantSettingsCache;
	/** P12: the client's address of a request (TRUSTED_PROXIES); default the socket's peer. */
	readonly clientAddress?: ClientAddress;
	/** Absolute lifetime of a session from its sign-in, sliding or not (default 14 days). */
	readonly sessionMaxLifetimeMs?: number;
	/**
	 * Which of these ids are customer nodes of the tenant's tree? (The app asks the relay, S40.) Without it no customer
	 * document can be opened.
	 */
	readonly customersInTenant?: (
		tenantId: string,
		customerIds: readonly string[],
		grants: readonly Grant[]
	) => Promise<ReadonlySet<string>>;
	/** C7: which of these customers of the tenant are unlinked (their documents are then read-only for everyone). */
	readonly unlinkedCustomers?: (tenantId: string, customerIds: readonly string[]) => Promise<ReadonlySet<string>>;
	/** S41: a session or a user's sessions ended here (sign-out, deactivation): the relay closes their sockets. */
	readonly onSessionsEnded?: (owner: SocketOwner, reason: string) => void;
	/** S50: failures per (email, address) pair. */
	readonly pairThrottle?: Partial<ThrottleOptions>;
	/** S51: failures per address, across emails. */
	readonly ipThrottle?: Partial<ThrottleOptions>;
	readonly scrypt?: ScryptParams;
	readonly newId?: () => string;
}

export interface Auth {
	needsSetup(): Promise<boolean>;
	/** The one-time setup token while no user exists, else null. */
	setupToken(): Promise<string | null>;
	setupUrl(baseUrl: string): Promise<string | null>;
	/** Creates the tenant and its owner and signs the owner in. */
	setup(request: SetupRequest): Promise<{ tenantId: string; userId: string; session: IssuedSession }>;
	signIn(email: string, password: string, ip: string): Promise<IssuedSession>;
	/**
	 * P18: the app's lock screen: the password of the person the app knows is signed in. Slides the request's session
	 * when it is still theirs and alive, else issues a new one (`renewed`). Throttled and audited like sign-in.
	 */
	unlock(req: IncomingMessage, userId: string, password: string, ip: string): Promise<UnlockedSession>;
	/** Ends the request's session (if any); answers the Set-Cookie value that clears the cookie. */
	signOut(req: IncomingMessage): Promise<string>;
	/**
	 * The request's session (sliding it, P18), or null. P12: throws AuthError 403 `address_not_trusted` when the tenant
	 * accepts only trusted addresses and the request (API call or websocket upgrade) comes from elsewhere.
	 */
	authenticate(req: IncomingMessage): Promise<Principal | null>;
	resolve(req: IncomingMessage): Promise<ResolvedSession | null>;
	authorize(principal: Principal, docName: string): Promise<DocAccess>;
	/** S40: `authorize` for many documents at once (one look at the tenant's tree); answers those the person may read. */
	readableDocs(principal: Principal, docNames: readonly string[]): Promise<string[]>;
	/** S41: the principal read fresh from the store, or null when its session has ended (see RelayHooks.revalidate). */
	revalidate(principal: Principal): Promise<Principal | null>;
	/** S41: deactivates a user: no sign-in, every session and socket ends at once. `by`: who did it, for the audit log. */
	deactivateUser(userId: string, by: AuditActor): Promise<void>;
	reactivateUser(userId: string, by: AuditActor): Promise<void>;
	/** S41: ends every session (and socket) of a user; answers how many sessions there were. */
	revokeSessions(userId: string, by: AuditActor): Promise<number>;
}

export interface UnlockedSession {
	/** The Set-Cookie value: the slid session or the new one. */
	readonly cookie: string;
	readonly renewed: boolean;
}

/** Who made an account change, for the audit log: a signed-in person, or an operator on the server's console (null). */
export type AuditActor = { readonly userId: string; readonly ip: string | null } | null;

// S50: per (email, address) pair, so that guessing from one address never locks the account for the others.
const PAIR_THROTTLE: ThrottleOptions = {
	freeFailures: 3,
	baseLockMs: 1000,
	maxLockMs: 15 * 60 * 1000,
	forgetAfterMs: 60 * 60 * 1000,
	maxKeys: 10_000
};
// S51: one office (NAT) shares an address, so the address allows many failures before it slows down, and not for long:
// it bounds spraying one password over many emails, not an office's typos.
const IP_THROTTLE: ThrottleOptions = {
	freeFailures: 100,
	baseLockMs: 1000,
	maxLockMs: 5 * 60 * 1000,
	forgetAfterMs: 60 * 60 * 1000,
	maxKeys: 10_000
};

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
export const hashToken = (token: string): string => sha256(token).toString('hex');

/** S8, P16: read, or write when the role may change something in a document of this kind (the access module decides). */
export function accessFor(principal: Pick<Principal, 'permissions'>, kind: 'tenant' | 'customer'): DocAccess {
	return writesDocument(principal.permissions, kind) ? 'write' : 'read';
}

/** H6: does the person's grant cover the whole tenant? */
export function isTenantWide(principal: Pick<Principal, 'grants'>): boolean {
	return isTenantWideGrant(principal.grants);
}

export function createAuth(options: AuthOptions): Auth {
	const { store, clock } = options;
	const settings = options.settings ?? createTenantSettingsCache(store, clock);
	const clientAddress: ClientAddress = options.clientAddress ?? ((req) => req.socket?.remoteAddress ?? 'unknown');
	const maxLifetime = options.sessionMaxLifetimeMs ?? DEFAULT_SESSION_MAX_LIFETIME_MS;
	const scryptParams = options.scrypt ?? DEFAULT_SCRYPT;
	const newId = options.newId ?? randomUUID;
	const pairThrottle = new FailureThrottle(clock, { ...PAIR_THROTTLE, ...options.pairThrottle });
	const ipThrottle = new FailureThrottle(clock, { ...IP_THROTTLE, ...options.ipThrottle });

	let setupToken: string | null = null;
	let setupConsumed = false;
	// Verified against when the email is unknown, so that a miss costs as long as a wrong password.
	let dummyHash: Promise<string> | null = null;

	const cookieName = options.secureCookies === true ? SECURE_SESSION_COOKIE : SESSION_COOKIE;

	const cookieFor = (token: string, expiresAt: Date): string =>
		stringifySetCookie(cookieName, token, {
			httpOnly: true,
			sameSite: 'lax',
			secure: options.secureCookies === true,
			path: '/',
			expires: expiresAt,
			maxAge: Math.max(0, Math.floor((expiresAt.getTime() - clock.now().getTime()) / 1000))
		});

	const clearedCookie = (): string =>
		stringifySetCookie(cookieName, '', {
			httpOnly: true,
			sameSite: 'lax',
			secure: options.secureCookies === true,
			path: '/',
			expires: new Date(0),
			maxAge: 0
		});

	/** P18: the tenant's inactivity timeout, in ms. */
	async function ttlOf(tenantId: string): Promise<number> {
		return (await settings.get(tenantId)).sessionTimeoutMinutes * 60_000;
	}

	/** P12: refuses when the tenant accepts only trusted addresses and `address` is not one of them. */
	async function assertTrusted(tenantId: string, address: () => string): Promise<void> {
		const { trustedAddresses } = await settings.get(tenantId);
		if (!trustedAddresses.enabled || isAddressTrusted(address(), trustedAddresses.ranges)) return;
		throw new AuthError(403, ADDRESS_NOT_TRUSTED, 'your organization accepts sign-ins only from its trusted addresses');
	}

	async function issueSession(user: Pick<UserRecord, 'id' | 'tenantId'>): Promise<IssuedSession> {
		const userId = user.id;
		const token = randomBytes(32).toString('base64url');
		const now = clock.now();
		const expiresAt = new Date(now.getTime() + (await ttlOf(user.tenantId)));
		await store.createSession({
			tokenHash: hashToken(token),
			userId,
			createdAt: now.toISOString(),
			expiresAt: expiresAt.toISOString()
		});
		return { userId, expiresAt, cookie: cookieFor(token, expiresAt) };
	}

	function tokenFrom(req: IncomingMessage): string | null {
		const header = req.headers.cookie;
		if (typeof header !== 'string' || header.length > 8192) return null;
		const token = parseCookie(header)[cookieName];
		// Our tokens are 43 base64url characters; anything else cannot be one and is not looked up.
		return token !== undefined && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
	}

	/**
	 * The session stored under `tokenHash` as a principal, or null when it has ended: unknown (signed out, revoked), expired,
	 * past its absolute end, or its user deactivated or deleted (S41). An expired session is removed.
	 */
	async function principalOf(tokenHash: string): Promise<{ principal: Principal; endOfLife: number } | null> {
		const session = await store.getSession(tokenHash);
		if (!session) return null;
		const now = clock.now().getTime();
		const expiresAt = Date.parse(session.expiresAt);
		const endOfLife = Date.parse(session.createdAt) + maxLifetime;
		if (!(expiresAt > now) || !(endOfLife > now)) {
			await store.deleteSession(tokenHash);
			return null;
		}
		const user = await store.getUser(session.userId);
		if (!user || (user.disabledAt ?? null) !== null) return null;
		const customRoles = user.role.startsWith('custom:')
			? new Map((await store.listCustomRoles(user.tenantId)).map((role) => [role.id, role]))
			: undefined;
		const principal: Principal = {
			userId: user.id,
			tenantId: user.tenantId,
			role: user.role,
			grants: user.grants ?? TENANT_WIDE,
			permissions: [...permissionsOf(user.role, customRoles)],
			email: user.email,
			sessionId: tokenHash,
			validUntil: Math.min(expiresAt, endOfLife)
		};
		return { principal, endOfLife };
	}

	/**
	 * P18: a use of the session: its end moves to the tenant's timeout from now (never past its absolute end). A shorter
	 * timeout set meanwhile brings the end closer. Answers the new end, or null when it did not move enough to be written.
	 */
	async function slide(principal: Principal, endOfLife: number): Promise<number | null> {
		const ttl = await ttlOf(principal.tenantId);
		const next = Math.min(clock.now().getTime() + ttl, endOfLife);
		const step = Math.min(SESSION_REFRESH_MS, ttl * SESSION_REFRESH_FRACTION);
		if (Math.abs(next - principal.validUntil) < step) return null;
		await store.touchSession(principal.sessionId, new Date(next).toISOString());
		return next;
	}

	async function resolve(req: IncomingMessage): Promise<ResolvedSession | null> {
		const token = tokenFrom(req);
		if (!token) return null;
		const tokenHash = hashToken(token);
		const found = await principalOf(tokenHash);
		if (!found) return null;
		// P12: a cookie used from outside the tenant's trusted addresses gets nothing, and does not keep its session alive.
		const address = clientAddress(req);
		await assertTrusted(found.principal.tenantId, () => address);
		let principal: Principal = { ...found.principal, address };
		let refreshedCookie: string | null = null;
		const next = await slide(principal, found.endOfLife);
		if (next !== null) {
			refreshedCookie = cookieFor(token, new Date(next));
			principal = { ...principal, validUntil: next };
		}
		return { principal, refreshedCookie };
	}

	/**
	 * S50-S53: checks an email's or user's password with the sign-in slow-down; failures are counted and audited. P12: from
	 * outside the tenant's trusted addresses every attempt is refused alike (right password or not) and audited.
	 */
	async function checkPassword(
		throttleName: string,
		findUser: () => Promise<UserRecord | null>,
		password: string,
		ip: string
	): Promise<UserRecord> {
		// S50: the email and the address together; the address alone has its own, looser budget (S51).
		const pairKey = `${ip}\n${throttleName}`;
		const wait = Math.max(pairThrottle.retryAfterSeconds(pairKey), ipThrottle.retryAfterSeconds(ip));
		if (wait > 0)
			throw new AuthError(429, 'too_many_attempts', `too many failed sign-ins; try again in ${wait} s`, wait);
		// Counted from here to the outcome, so that parallel guesses cannot all pass the check above (see throttle.ts).
		pairThrottle.start(pairKey);
		ipThrottle.start(ip);
		let user: UserRecord | null;
		let ok: boolean;
		try {
			user = await findUser();
			dummyHash ??= hashPassword('not a real password', scryptParams);
			ok = user
				? await verifyPassword(password, user.passwordHash)
				: (await verifyPassword(password, await dummyHash), false);
		} finally {
			pairThrottle.finish(pairKey);
			ipThrottle.finish(ip);
		}
		if (user) {
			try {
				await assertTrusted(user.tenantId, () => ip);
			} catch (error) {
				// Counted as a failure whatever the password was, so that neither the answer nor the slow-down tells.
				pairThrottle.fail(pairKey);
				ipThrottle.fail(ip);
				await store.appendAudit({
					at: clock.now().toISOString(),
					tenantId: user.tenantId,
					userId: user.id,
					ip,
					itemType: 'user',
					item: user.id,
					action: 'signInRefused',
					description: 'sign-in from an address that is not trusted'
				});
				throw error;
			}
		}
		if (user && ok && (user.disabledAt ?? null) !== null) {
			// Only someone who knows the password learns that the account is deactivated.
			throw new AuthError(403, 'account_disabled', 'this account is deactivated; ask an administrator');
		}
		if (!user || !ok) {
			pairThrottle.fail(pairKey);
			ipThrottle.fail(ip);
			// S53: who was tried, from where; never the email typed or the password.
			await store.appendAudit({
				at: clock.now().toISOString(),
				tenantId: user?.tenantId ?? null,
				userId: user?.id ?? null,
				ip,
				itemType: 'user',
				item: user ? user.id : 'unknown',
				action: 'signInFailed',
				description: user ? 'wrong password' : 'no account with this email'
			});
			throw new AuthError(401, 'invalid_credentials', 'the email or the password is wrong');
		}
		pairThrottle.succeed(pairKey);
		return user;
	}

	async function existingUser(userId: string): Promise<UserRecord> {
		const user = await store.getUser(userId);
		if (!user) throw new AuthError(404, 'user_not_found', 'there is no such user');
		return user;
	}

	async function currentSetupToken(): Promise<string | null> {
		if (setupConsumed) return null;
		if ((await store.countUsers()) > 0) return null;
		setupToken ??= randomBytes(24).toString('base64url');
		return setupToken;
	}

	async function customersIn(principal: Principal, ids: readonly string[]): Promise<ReadonlySet<string>> {
		if (ids.length === 0 || !options.customersInTenant) return new Set();
		return options.customersInTenant(principal.tenantId, ids, principal.grants);
	}

	function tokenMatches(candidate: string, expected: string): boolean {
		return timingSafeEqual(sha256(candidate), sha256(expected));
	}

	return {
		async needsSetup() {
			return (await store.countUsers()) === 0;
		},
		setupToken: currentSetupToken,
		async setupUrl(baseUrl) {
			const token = await currentSetupToken();
			if (!token) return null;
			return `${baseUrl.replace(/\/+$/, '')}/setup?token=${encodeURIComponent(token)}`;
		},
		async setup(request) {
			if ((await store.countUsers()) > 0 || setupConsumed) {
				throw new AuthError(409, 'setup_done', 'the portal is already set up; sign in instead');
			}
			const expected = setupToken;
			if (expected === null || !tokenMatches(request.token, expected)) {
				throw new AuthError(403, 'invalid_setup_token', 'the setup link is not valid; use the link the server printed');
			}
			// Consumed before the first await that writes, so two concurrent requests cannot both pass.
			setupConsumed = true;
			setupToken = null;
			try {
				const tenantId = newId();
				const userId = newId();
				const createdAt = clock.now().toISOString();
				const passwordHash = await hashPassword(request.password, scryptParams);
				await store.createTenant({ id: tenantId, name: request.tenantName, createdAt });
				await store.createUser({
					id: userId,
					tenantId,
					email: request.email,
					passwordHash,
					role: 'superAdmin',
					createdAt
				});
				await store.setTenantOwner(tenantId, userId);
				await store.appendAudit({
					at: createdAt,
					tenantId,
					userId,
					ip: null,
					itemType: 'tenant',
					item: tenantDocName(tenantId),
					action: 'setup',
					description: 'tenant and owner created'
				});
				return { tenantId, userId, session: await issueSession({ id: userId, tenantId }) };
			} catch (error) {
				// Nothing usable was created: let the same link be used again.
				if ((await store.countUsers()) === 0) {
					setupConsumed = false;
					setupToken = expected;
				}
				throw error;
			}
		},
		async signIn(email, password, ip) {
			const normalized = email.toLowerCase();
			const user = await checkPassword(normalized, () => store.getUserByEmail(normalized), password, ip);
			const session = await issueSession(user);
			// P17: who signed in, from where (never the email typed).
			await store.appendAudit({
				at: clock.now().toISOString(),
				tenantId: user.tenantId,
				userId: user.id,
				ip,
				itemType: 'user',
				item: user.id,
				action: 'signedIn',
				description: 'signed in'
			});
			return session;
		},
		async unlock(req, userId, password, ip) {
			const known = await store.getUser(userId);
			// The same budget as signing in with this email from this address: the lock is no way around the slow-down.
			const user = await checkPassword(known?.email ?? `unknown:${userId}`, async () => known, password, ip);
			const token = tokenFrom(req);
			const found = token ? await principalOf(hashToken(token)) : null;
			if (token && found && found.principal.userId === user.id) {
				const next = (await slide(found.principal, found.endOfLife)) ?? found.principal.validUntil;
				return { cookie: cookieFor(token, new Date(next)), renewed: false };
			}
			const session = await issueSession(user);
			return { cookie: session.cookie, renewed: true };
		},
		async signOut(req) {
			const token = tokenFrom(req);
			if (token) {
				const sessionId = hashToken(token);
				await store.deleteSession(sessionId);
				options.onSessionsEnded?.({ sessionId }, 'signed out');
			}
			return clearedCookie();
		},
		async revalidate(principal) {
			const fresh = (await principalOf(principal.sessionId))?.principal ?? null;
			if (fresh === null) return null;
			// P12: a socket is held to the trusted addresses too, also after they were switched on while it was open.
			const { address } = principal;
			if (address !== undefined) await assertTrusted(fresh.tenantId, () => address);
			return { ...fresh, address };
		},
		async deactivateUser(userId, by) {
			await deactivateAccount(store, await existingUser(userId), by, clock.now());
			options.onSessionsEnded?.({ userId }, 'account deactivated');
		},
		async reactivateUser(userId, by) {
			await reactivateAccount(store, await existingUser(userId), by, clock.now());
		},
		async revokeSessions(userId, by) {
			const ended = await revokeAccountSessions(store, await existingUser(userId), by, clock.now());
			options.onSessionsEnded?.({ userId }, 'signed out everywhere');
			return ended;
		},
		async authenticate(req) {
			return (await resolve(req))?.principal ?? null;
		},
		resolve,
		async authorize(principal, docName) {
			const parsed = parseDocName(docName);
			if (!parsed) return 'none';
			// H6: only a tenant-wide grant receives the tenant document (DESIGN.md, Documents).
			if (parsed.kind === 'tenant')
				return parsed.id === principal.tenantId && isTenantWide(principal) ? accessFor(principal, 'tenant') : 'none';
			// S40: a customer document is the tenant's own (stored under it); an id its tree does not hold (not yet, or
			// another tenant's), or one outside the person's grant (H6), answers the same 'unknown' either way.
			if (!(await customersIn(principal, [parsed.id])).has(parsed.id)) return 'unknown';
			const access = accessFor(principal, 'customer');
			// C7: an unlinked customer's document is kept for history: nobody writes to it any more.
			if (access === 'write' && (await options.unlinkedCustomers?.(principal.tenantId, [parsed.id]))?.has(parsed.id))
				return 'read';
			return access;
		},
		async readableDocs(principal, docNames) {
			const customerIds: string[] = [];
			for (const docName of docNames) {
				const parsed = parseDocName(docName);
				if (parsed?.kind === 'customer') customerIds.push(parsed.id);
			}
			const customers = await customersIn(principal, customerIds);
			return docNames.filter((docName) => {
				const parsed = parseDocName(docName);
				if (parsed === null) return false;
				if (parsed.kind === 'tenant') return parsed.id === principal.tenantId && isTenantWide(principal);
				return customers.has(parsed.id);
			});
		}
	};
}

async function auditAccount(
	store: AccountStore,
	user: UserRecord,
	by: AuditActor,
	now: Date,
	action: string,
	description: string
): Promise<void> {
	await store.appendAudit({
		at: now.toISOString(),
		tenantId: user.tenantId,
		userId: by?.userId ?? null,
		ip: by?.ip ?? null,
		itemType: 'user',
		item: user.id,
		action,
		description: by === null ? `${description} (by an operator)` : description
	});
}

/**
 * S41: the account changes behind `Auth` and the operators' CLI. They change the store only: the running server closes the
 * sockets (at once through `Auth`, within a second when the CLI wrote to the file, see createServer).
 */
export async function deactivateAccount(
	store: AccountStore,
	user: UserRecord,
	by: AuditActor,
	now: Date
): Promise<void> {
	await store.setUserDisabled(user.id, now.toISOString());
	const ended = await store.deleteSessionsOfUser(user.id);
	await auditAccount(store, user, by, now, 'deactivated', `the account was deactivated; ${ended} session(s) ended`);
}

/**
 * P16, H6: changes a user's role and/or grants (audited). The caller makes the running server recheck the person's
 * sockets (`relay.recheckSessions(userId)`; the CLI's write is noticed within a second): they close with 4409.
 */
export async function changeAccess(
	store: AccountStore,
	user: UserRecord,
	change: { readonly role?: Role; readonly grants?: readonly Grant[] },
	by: AuditActor,
	now: Date
): Promise<void> {
	await store.updateUser(user.id, change);
	if (change.role !== undefined && change.role !== user.role)
		await auditAccount(store, user, by, now, 'roleChanged', `role ${user.role} -> ${change.role}`);
	if (change.grants !== undefined)
		await auditAccount(store, user, by, now, 'grantsChanged', `${change.grants.length} grant(s)`);
}

/** Removes an account and its sessions; the audit entry stays (it names the id, not the person). */
export async function deleteAccount(store: AccountStore, user: UserRecord, by: AuditActor, now: Date): Promise<void> {
	await store.deleteUser(user.id);
	await auditAccount(store, user, by, now, 'deleted', 'the account was deleted');
}

export async function reactivateAccount(
	store: AccountStore,
	user: UserRecord,
	by: AuditActor,
	now: Date
): Promise<void> {
	await store.setUserDisabled(user.id, null);
	await auditAccount(store, user, by, now, 'reactivated', 'the account was reactivated');
}

export async function revokeAccountSessions(
	store: AccountStore,
	user: UserRecord,
	by: AuditActor,
	now: Date
): Promise<number> {
	const ended = await store.deleteSessionsOfUser(user.id);
	await auditAccount(store, user, by, now, 'sessionsRevoked', `${ended} session(s) ended`);
	return ended;
}

/** Creates a user (CLI and demo seed); throws AuthError 409 when the email is taken. */
export async function createUserAccount(
	store: AccountStore,
	input: {
		tenantId: string;
		email: string;
		password: string;
		role: Role;
		/** H6: where the role applies (default: the whole tenant). */
		grants?: readonly Grant[];
		now: Date;
		id?: string;
		scrypt?: ScryptParams;
	}
): Promise<string> {
	const id = input.id ?? randomUUID();
	const passwordHash = await hashPassword(input.password, input.scrypt ?? DEFAULT_SCRYPT);
	try {
		await store.createUser({
			id,
			tenantId: input.tenantId,
			email: input.email.toLowerCase(),
			passwordHash,
			role: input.role,
			grants: input.grants ?? TENANT_WIDE,
			createdAt: input.now.toISOString()
		});
	} catch (error) {
		if (error instanceof EmailTakenError) throw new AuthError(409, 'email_taken', error.message);
		throw error;
	}
	return id;
}
