// P13, P16: the users API over a real server: invitations by mail, who may invite whom, access changes closing sockets,
// password resets, ownership, custom roles, and the audit rows all of it leaves.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createUserAccount } from '../../server/src/auth/auth';
import { createLogger } from '../../server/src/log';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import type { Role } from '../../src/lib/schema/access';
import { invitationsResponseSchema, usersResponseSchema } from '../../src/lib/schema/users';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import { createMailbox, type Mailbox } from '../helpers/mailbox';
import { addOwner, FAST_SCRYPT, OWNER_EMAIL, OWNER_PASSWORD, startPortal, type Portal } from '../helpers/portal';
import { rawClient, type RawClient } from '../helpers/sync-clients';
import { isSyncStep1 } from '../helpers/sync-frames';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const PASSWORD = 'a long enough password';

interface Running {
	readonly portal: Portal;
	readonly store: Store;
	readonly clock: FakeClock;
	readonly mailbox: Mailbox;
	readonly logLines: string[];
	readonly ownerId: string;
}

const running: Running[] = [];
const sockets: RawClient[] = [];

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.socket.terminate();
	for (const { portal, store } of running.splice(0)) {
		await portal.server.close();
		await store.close();
	}
});

async function start(): Promise<Running> {
	const store = createMemoryStore();
	const clock = createFakeClock(new Date('2026-03-02T09:00:00Z'));
	const mailbox = createMailbox();
	const logLines: string[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			logLines.push(chunk.toString());
			done();
		}
	});
	const ownerId = await addOwner(store, clock);
	await store.setTenantOwner('acme', ownerId);
	// Fake time jumps by days here: pings would find no pong within one jump and cut the sockets.
	const portal = await startPortal({
		store,
		clock,
		mailer: mailbox,
		log: createLogger('info', sink),
		relayLimits: { pingIntervalMs: 365 * DAY }
	});
	const run = { portal, store, clock, mailbox, logLines, ownerId };
	running.push(run);
	return run;
}

interface Answer {
	readonly status: number;
	readonly body: unknown;
	readonly cookie: string | null;
}

async function call(
	run: Running,
	method: string,
	path: string,
	options: { cookie?: string; body?: unknown } = {}
): Promise<Answer> {
	const response = await fetch(`${run.portal.base}${path}`, {
		method,
		headers: {
			...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
			...(options.cookie ? { cookie: options.cookie } : {})
		},
		body: options.body === undefined ? undefined : JSON.stringify(options.body)
	});
	const text = await response.text();
	const setCookie = response.headers.get('set-cookie');
	return {
		status: response.status,
		body: text === '' ? null : (JSON.parse(text) as unknown),
		cookie: setCookie ? (setCookie.split(';')[0] ?? null) : null
	};
}

async function signIn(run: Running, email: string, password: string): Promise<string> {
	const answer = await call(run, 'POST', '/api/session', { body: { email, password } });
	expect(answer.status).toBe(204);
	return answer.cookie ?? '';
}

const ownerCookie = (run: Running): Promise<string> => signIn(run, OWNER_EMAIL, OWNER_PASSWORD);

async function addUser(run: Running, email: string, role: Role): Promise<{ id: string; cookie: string }> {
	const id = await createUserAccount(run.store, {
		tenantId: 'acme',
		email,
		password: PASSWORD,
		role,
		now: run.clock.now(),
		scrypt: FAST_SCRYPT
	});
	return { id, cookie: await signIn(run, email, PASSWORD) };
}

const errorCode = (answer: Answer): string => (answer.body as { error: { code: string } }).error.code;

describe('users API: invitations (P13)', () => {
	it('P13: invite -> mail -> accept sets a password, signs in with the invited role and grants; the link works once', async () => {
		const run = await start();
		const owner = await ownerCookie(run);
		const grants = [{ scope: 'node', id: 'msp-1' }];
		const invited = await call(run, 'POST', '/api/users/invitations', {
			cookie: owner,
			body: { email: 'Tech@Acme.example', role: 'helpDesk', grants }
		});
		expect(invited.status).toBe(201);
		const { invitationId } = invited.body as { invitationId: string };

		expect(run.mailbox.sent).toHaveLength(1);
		expect(run.mailbox.sent[0]).toMatchObject({ to: 'tech@acme.example', subject: expect.stringContaining('Acme IT') });
		const token = run.mailbox.tokenFor('tech@acme.example', '/invitations/accept');
		expect(run.mailbox.sent[0]?.text).toContain(`${run.portal.base}/invitations/accept?token=`);

		const pending = invitationsResponseSchema.parse(
			(await call(run, 'GET', '/api/users/invitations', { cookie: owner })).body
		);
		expect(pending.invitations).toEqual([
			expect.objectContaining({
				id: invitationId,
				email: 'tech@acme.example',
				role: 'helpDesk',
				grants,
				expired: false
			})
		]);

		const tooShort = await call(run, 'POST', '/api/invitations/accept', { body: { token, password: 'short' } });
		expect(tooShort.status).toBe(400);
		const accepted = await call(run, 'POST', '/api/invitations/accept', { body: { token, password: PASSWORD } });
		expect(accepted.status).toBe(204);
		expect(accepted.cookie).toMatch(/^msp_session=/);
		const me = await call(run, 'GET', '/api/me', { cookie: accepted.cookie ?? '' });
		expect(me.body).toMatchObject({ email: 'tech@acme.example', role: 'helpDesk', grants, tenantId: 'acme' });
		await signIn(run, 'tech@acme.example', PASSWORD);

		const again = await call(run, 'POST', '/api/invitations/accept', { body: { token, password: PASSWORD } });
		expect(again.status).toBe(410);
		expect(errorCode(again)).toBe('invitation_used');
		const after = invitationsResponseSchema.parse(
			(await call(run, 'GET', '/api/users/invitations', { cookie: owner })).body
		);
		expect(after.invitations).toEqual([]);
		const unknown = await call(run, 'POST', '/api/invitations/accept', {
			body: { token: 'x'.repeat(43), password: PASSWORD }
		});
		expect(unknown.status).toBe(410);
		expect(errorCode(unknown)).toBe('invitation_invalid');
	});

	it('P13: an invitation expires after 7 days (410); resending gives a new link for 7 more days, the old one dies', async () => {
		const run = await start();
		let owner = await ownerCookie(run);
		const invite = async (email: string): Promise<string> => {
			const answer = await call(run, 'POST', '/api/users/invitations', {
				cookie: owner,
				body: { email, role: 'readOnly', grants: [{ scope: 'tenant' }] }
			});
			expect(answer.status).toBe(201);
			return (answer.body as { invitationId: string }).invitationId;
		};
		await invite('early@acme.example');
		const lateId = await invite('late@acme.example');
		const early = run.mailbox.tokenFor('early@acme.example', '/invitations/accept');
		const late = run.mailbox.tokenFor('late@acme.example', '/invitations/accept');

		run.clock.advance(7 * DAY - 60_000);
		expect(
			(await call(run, 'POST', '/api/invitations/accept', { body: { token: early, password: PASSWORD } })).status
		).toBe(204);
		run.clock.advance(60_000);
		const expired = await call(run, 'POST', '/api/invitations/accept', { body: { token: late, password: PASSWORD } });
		expect(expired.status).toBe(410);
		expect(errorCode(expired)).toBe('invitation_expired');
		expect((expired.body as { error: { message: string } }).error.message).toMatch(/expired/);

		owner = await ownerCookie(run);
		const listed = invitationsResponseSchema.parse(
			(await call(run, 'GET', '/api/users/invitations', { cookie: owner })).body
		);
		expect(listed.invitations).toEqual([expect.objectContaining({ id: lateId, expired: true })]);
		expect((await call(run, 'POST', `/api/users/invitations/${lateId}/resend`, { cookie: owner })).status).toBe(204);
		const fresh = run.mailbox.tokenFor('late@acme.example', '/invitations/accept');
		expect(fresh).not.toBe(late);
		expect(
			errorCode(await call(run, 'POST', '/api/invitations/accept', { body: { token: late, password: PASSWORD } }))
		).toBe('invitation_invalid');
		run.clock.advance(7 * DAY - 60_000);
		expect(
			(await call(run, 'POST', '/api/invitations/accept', { body: { token: fresh, password: PASSWORD } })).status
		).toBe(204);
	});

	it('P13: a revoked invitation answers 410; an email already in use cannot be invited', async () => {
		const run = await start();
		const owner = await ownerCookie(run);
		const answer = await call(run, 'POST', '/api/users/invitations', {
			cookie: owner,
			body: { email: 'gone@acme.example', role: 'readOnly', grants: [{ scope: 'tenant' }] }
		});
		const { invitationId } = answer.body as { invitationId: string };
		const token = run.mailbox.tokenFor('gone@acme.example', '/invitations/accept');
		expect((await call(run, 'DELETE', `/api/users/invitations/${invitationId}`, { cookie: owner })).status).toBe(204);
		const revoked = await call(run, 'POST', '/api/invitations/accept', { body: { token, password: PASSWORD } });
		expect(revoked.status).toBe(410);
		expect(errorCode(revoked)).toBe('invitation_revoked');

		const taken = await call(run, 'POST', '/api/users/invitations', {
			cookie: owner,
			body: { email: OWNER_EMAIL, role: 'readOnly', grants: [{ scope: 'tenant' }] }
		});
		expect(taken.status).toBe(409);
		expect(errorCode(taken)).toBe('email_taken');
	});

	it('P13, P16: help-desk and read-only users cannot invite (403); an admin cannot invite a Super Admin; bad input is 400', async () => {
		const run = await start();
		const helpDesk = await addUser(run, 'desk@acme.example', 'helpDesk');
		const reader = await addUser(run, 'reader@acme.example', 'readOnly');
		const admin = await addUser(run, 'admin@acme.example', 'admin');
		const body = (role: Role) => ({ email: 'new@acme.example', role, grants: [{ scope: 'tenant' }] });

		for (const cookie of [helpDesk.cookie, reader.cookie]) {
			const refused = await call(run, 'POST', '/api/users/invitations', { cookie, body: body('readOnly') });
			expect(refused.status).toBe(403);
			expect((await call(run, 'GET', '/api/users', { cookie })).status).toBe(403);
		}
		const superAdmin = await call(run, 'POST', '/api/users/invitations', {
			cookie: admin.cookie,
			body: body('superAdmin')
		});
		expect(superAdmin.status).toBe(403);
		expect(errorCode(superAdmin)).toBe('role_not_assignable');
		const unknownRole = await call(run, 'POST', '/api/users/invitations', {
			cookie: admin.cookie,
			body: body('custom:nope')
		});
		expect(unknownRole.status).toBe(400);
		const badGrants = await call(run, 'POST', '/api/users/invitations', {
			cookie: admin.cookie,
			body: { email: 'new@acme.example', role: 'readOnly', grants: [] }
		});
		expect(badGrants.status).toBe(400);
		expect(run.mailbox.sent).toHaveLength(0);
		expect(await run.store.listPendingInvitations('acme')).toEqual([]);

		expect(
			(await call(run, 'POST', '/api/users/invitations', { cookie: admin.cookie, body: body('helpDesk') })).status
		).toBe(201);
		expect((await call(run, 'POST', '/api/users/invitations', { body: body('helpDesk') })).status, 'no session').toBe(
			401
		);
	});

	it('P13: a failed send answers 502 mail_failed, keeps the invitation to send again, and logs no address', async () => {
		const run = await start();
		const owner = await ownerCookie(run);
		run.mailbox.failing = true;
		const failed = await call(run, 'POST', '/api/users/invitations', {
			cookie: owner,
			body: { email: 'unlucky@acme.example', role: 'readOnly', grants: [{ scope: 'tenant' }] }
		});
		expect(failed.status).toBe(502);
		expect(errorCode(failed)).toBe('mail_failed');
		const [kept] = (await run.store.listPendingInvitations('acme')).map((i) => i.id);
		expect(kept).toBeDefined();
		const log = run.logLines.join('');
		expect(log).toContain('a mail could not be sent');
		expect(log).not.toContain('unlucky');

		run.mailbox.failing = false;
		expect((await call(run, 'POST', `/api/users/invitations/${kept}/resend`, { cookie: owner })).status).toBe(204);
		const token = run.mailbox.tokenFor('unlucky@acme.example', '/invitations/accept');
		expect((await call(run, 'POST', '/api/invitations/accept', { body: { token, password: PASSWORD } })).status).toBe(
			204
		);
	});
});

describe('users API: people, access and ownership (P13, P16)', () => {
	it("P16: changing a person's role closes their open socket with 4409 at once", async () => {
		const run = await start();
		const owner = await ownerCookie(run);
		const desk = await addUser(run, 'desk@acme.example', 'helpDesk');
		const client = rawClient(`${run.portal.base.replace('http', 'ws')}/sync/tenant:acme`, { cookie: desk.cookie });
		sockets.push(client);
		await client.nextFrame(isSyncStep1);

		const changed = await call(run, 'PATCH', `/api/users/${desk.id}`, { cookie: owner, body: { role: 'readOnly' } });
		expect(changed.status).toBe(200);
		expect(changed.body).toMatchObject({ user: { id: desk.id, role: 'readOnly', active: true, owner: false } });
		expect(await client.closed).toEqual({ code: 4409, reason: 'access changed' });
	});

	it('P16: narrowing grants closes the socket with 4409 too; deactivating ends it with 4401 and the sign-in', async () => {
		const run = await start();
		const owner = await ownerCookie(run);
		const desk = await addUser(run, 'desk@acme.example', 'helpDesk');
		const open = (): RawClient => {
			const client = rawClient(`${run.portal.base.replace('http', 'ws')}/sync/tenant:acme`, { cookie: desk.cookie });
			sockets.push(client);
			return client;
		};
		const first = open();
		await first.nextFrame(isSyncStep1);
		const grants = [{ scope: 'customer', id: 'c-1' }];
		expect((await call(run, 'PATCH', `/api/users/${desk.id}`, { cookie: owner, body: { grants } })).status).toBe(200);
		expect((await first.closed).code).toBe(4409);
		expect((await run.store.getUser(desk.id))?.grants).toEqual(grants);

		await call(run, 'PATCH', `/api/users/${desk.id}`, { cookie: owner, body: { grants: [{ scope: 'tenant' }] } });
		const second = open();
		await second.nextFrame(isSyncStep1);
		expect((await call(run, 'PATCH', `/api/users/${desk.id}`, { cookie: owner, body: { active: false } })).status).toBe(
			200
		);
		expect((await second.closed).code).toBe(4401);
		const refused = await call(run, 'POST', '/api/session', {
			body: { email: 'desk@acme.example', password: PASSWORD }
		});
		expect(refused.status).toBe(403);
		expect((await call(run, 'PATCH', `/api/users/${desk.id}`, { cookie: owner, body: { active: true } })).status).toBe(
			200
		);
		await signIn(run, 'desk@acme.example', PASSWORD);
	});

	it('P13: the owner cannot be deactivated, demoted or deleted; nobody changes their own role; an admin does not manage a Super Admin', async () => {
		const run = await start();
		const admin = await addUser(run, 'admin@acme.example', 'admin');
		const other = await addUser(run, 'boss@acme.example', 'superAdmin');
		for (const body of [{ active: false }, { role: 'admin' }, { grants: [{ scope: 'node', id: 'n1' }] }]) {
			const answer = await call(run, 'PATCH', `/api/users/${run.ownerId}`, { cookie: other.cookie, body });
			expect(answer.status, JSON.stringify(body)).toBe(409);
			expect(errorCode(answer)).toBe('owner_protected');
		}
		expect(errorCode(await call(run, 'DELETE', `/api/users/${run.ownerId}`, { cookie: other.cookie }))).toBe(
			'owner_protected'
		);
		const own = await call(run, 'PATCH', `/api/users/${other.id}`, { cookie: other.cookie, body: { role: 'admin' } });
		expect(own.status).toBe(409);
		expect(errorCode(own)).toBe('own_account');
		const adminOnSuper = await call(run, 'PATCH', `/api/users/${other.id}`, {
			cookie: admin.cookie,
			body: { active: false }
		});
		expect(adminOnSuper.status).toBe(403);
		const promote = await call(run, 'PATCH', `/api/users/${admin.id}`, {
			cookie: admin.cookie,
			body: { role: 'superAdmin' }
		});
		expect(promote.status).toBe(409);
		const empty = await call(run, 'PATCH', `/api/users/${admin.id}`, { cookie: other.cookie, body: {} });
		expect(empty.status).toBe(400);
		expect((await run.store.getUser(run.ownerId))?.role).toBe('superAdmin');
		expect((await run.store.getUser(other.id))?.disabledAt).toBeNull();
	});

	it('P13: deleting a user removes the account and closes their sockets', async () => {
		const run = await start();
		const owner = await ownerCookie(run);
		const desk = await addUser(run, 'desk@acme.example', 'helpDesk');
		const client = rawClient(`${run.portal.base.replace('http', 'ws')}/sync/tenant:acme`, { cookie: desk.cookie });
		sockets.push(client);
		await client.nextFrame(isSyncStep1);
		expect((await call(run, 'DELETE', `/api/users/${desk.id}`, { cookie: owner })).status).toBe(204);
		expect((await client.closed).code).toBe(4401);
		expect(await run.store.getUser(desk.id)).toBeNull();
		const users = usersResponseSchema.parse((await call(run, 'GET', '/api/users', { cookie: owner })).body);
		expect(users.users.map((u) => u.email)).toEqual([OWNER_EMAIL]);
	});

	it('P13: ownership transfer keeps exactly one owner, makes the new owner a tenant-wide Super Admin, and only the owner may do it', async () => {
		const run = await start();
		const owner = await ownerCookie(run);
		const admin = await addUser(run, 'admin@acme.example', 'admin');
		await run.store.updateUser(admin.id, { grants: [{ scope: 'node', id: 'n1' }] });
		const notOwner = await call(run, 'POST', '/api/tenant/owner', { cookie: admin.cookie, body: { userId: admin.id } });
		expect(notOwner.status).toBe(403);
		expect(errorCode(notOwner)).toBe('not_owner');

		expect((await call(run, 'POST', '/api/tenant/owner', { cookie: owner, body: { userId: admin.id } })).status).toBe(
			204
		);
		const users = usersResponseSchema.parse((await call(run, 'GET', '/api/users', { cookie: owner })).body).users;
		expect(users.filter((u) => u.owner).map((u) => u.id)).toEqual([admin.id]);
		expect(users.find((u) => u.id === admin.id)).toMatchObject({ role: 'superAdmin', grants: [{ scope: 'tenant' }] });
		expect((await run.store.getTenant('acme'))?.ownerId).toBe(admin.id);

		const back = await call(run, 'POST', '/api/tenant/owner', { cookie: owner, body: { userId: run.ownerId } });
		expect(back.status).toBe(403);
		const newOwner = await signIn(run, 'admin@acme.example', PASSWORD);
		expect(
			(await call(run, 'POST', '/api/tenant/owner', { cookie: newOwner, body: { userId: run.ownerId } })).status
		).toBe(204);
		const again = usersResponseSchema.parse((await call(run, 'GET', '/api/users', { cookie: owner })).body).users;
		expect(again.filter((u) => u.owner).map((u) => u.id)).toEqual([run.ownerId]);
	});

	it('P13: a password reset link sets the password once, within an hour, and ends every session of the person', async () => {
		const run = await start();
		const owner = await ownerCookie(run);
		const desk = await addUser(run, 'desk@acme.example', 'helpDesk');
		expect((await call(run, 'POST', `/api/users/${desk.id}/password-reset`, { cookie: owner })).status).toBe(204);
		const token = run.mailbox.tokenFor('desk@acme.example', '/password-reset');
		const newPassword = 'another long password';
		expect(
			(await call(run, 'POST', '/api/password-resets/accept', { body: { token, password: newPassword } })).status
		).toBe(204);
		expect((await call(run, 'GET', '/api/me', { cookie: desk.cookie })).status).toBe(401);
		await signIn(run, 'desk@acme.example', newPassword);
		const reused = await call(run, 'POST', '/api/password-resets/accept', { body: { token, password: PASSWORD } });
		expect(reused.status).toBe(410);

		const owner2 = await ownerCookie(run);
		await call(run, 'POST', `/api/users/${desk.id}/password-reset`, { cookie: owner2 });
		const late = run.mailbox.tokenFor('desk@acme.example', '/password-reset');
		run.clock.advance(HOUR);
		const expired = await call(run, 'POST', '/api/password-resets/accept', {
			body: { token: late, password: PASSWORD }
		});
		expect(expired.status).toBe(410);
		expect(errorCode(expired)).toBe('reset_expired');
	});

	it('P13, S115: the password reset mail speaks the language its recipient chose, English when they chose none', async () => {
		const run = await start();
		const owner = await ownerCookie(run);
		const desk = await addUser(run, 'desk@acme.example', 'helpDesk');
		await call(run, 'POST', `/api/users/${desk.id}/password-reset`, { cookie: owner });
		const english = run.mailbox.sent.at(-1)!;
		expect(english.subject).toBe('Set a new password for Acme IT on the MSP Portal');

		const polish = JSON.parse(readFileSync(new URL('../../messages/pl.json', import.meta.url), 'utf8')) as Record<
			string,
			string
		>;
		await run.store.setUserLocale(desk.id, 'pl');
		await call(run, 'POST', `/api/users/${desk.id}/password-reset`, { cookie: owner });
		const mail = run.mailbox.sent.at(-1)!;
		expect(mail.to).toBe('desk@acme.example');
		expect(mail.subject).toBe(polish['mail_reset_subject']!.replace('{tenant}', 'Acme IT'));
		expect(mail.text).toContain(polish['mail_reset_intro']!.replace('{tenant}', 'Acme IT'));
		expect(mail.text).toContain(polish['mail_reset_ignore']!);
		expect(mail.text).not.toContain('{time}');
		// The link still works whatever the language.
		expect(run.mailbox.tokenFor('desk@acme.example', '/password-reset')).not.toBe('');
	});

	it('P16: custom roles are built by a Super Admin only, given by invitation, and not deleted while given', async () => {
		const run = await start();
		const owner = await ownerCookie(run);
		const admin = await addUser(run, 'admin@acme.example', 'admin');
		const role = { name: 'NOC', permissions: ['customers.edit', 'audit.read'] };
		expect((await call(run, 'PUT', '/api/roles/noc', { cookie: admin.cookie, body: role })).status).toBe(403);
		expect(
			(await call(run, 'PUT', '/api/roles/noc', { cookie: owner, body: { name: '', permissions: [] } })).status
		).toBe(400);
		expect((await call(run, 'PUT', '/api/roles/noc', { cookie: owner, body: role })).status).toBe(200);
		expect((await call(run, 'GET', '/api/roles', { cookie: admin.cookie })).body).toEqual({
			roles: [{ id: 'noc', ...role }]
		});
		const invited = await call(run, 'POST', '/api/users/invitations', {
			cookie: admin.cookie,
			body: { email: 'noc@acme.example', role: 'custom:noc', grants: [{ scope: 'tenant' }] }
		});
		expect(invited.status).toBe(201);
		const inUse = await call(run, 'DELETE', '/api/roles/noc', { cookie: owner });
		expect(inUse.status).toBe(409);
		expect(errorCode(inUse)).toBe('role_in_use');
		const { invitationId } = invited.body as { invitationId: string };
		await call(run, 'DELETE', `/api/users/invitations/${invitationId}`, { cookie: owner });
		expect((await call(run, 'DELETE', '/api/roles/noc', { cookie: owner })).status).toBe(204);
		expect(await run.store.listCustomRoles('acme')).toEqual([]);
	});

	it('P13, P17: every change is audited with its actor and address, and no row holds a token or a password', async () => {
		const run = await start();
		const owner = await ownerCookie(run);
		await call(run, 'POST', '/api/users/invitations', {
			cookie: owner,
			body: { email: 'tech@acme.example', role: 'helpDesk', grants: [{ scope: 'tenant' }] }
		});
		const token = run.mailbox.tokenFor('tech@acme.example', '/invitations/accept');
		await call(run, 'POST', '/api/invitations/accept', { body: { token, password: PASSWORD } });
		const tech = (await run.store.getUserByEmail('tech@acme.example'))?.id ?? '';
		await call(run, 'PATCH', `/api/users/${tech}`, {
			cookie: owner,
			body: { role: 'admin', grants: [{ scope: 'node', id: 'n1' }] }
		});
		await call(run, 'PATCH', `/api/users/${tech}`, { cookie: owner, body: { grants: [{ scope: 'tenant' }] } });
		await call(run, 'POST', '/api/tenant/owner', { cookie: owner, body: { userId: tech } });

		const rows = await run.store.listAudit({ tenantId: 'acme' });
		const actions = rows.map((row) => row.action).reverse();
		// Sign-ins are audited too (P17): the owner's, and the new person's when accepting signs them in.
		expect(actions).toEqual([
			'signedIn',
			'invited',
			'invitationAccepted',
			'signedIn',
			'roleChanged',
			'grantsChanged',
			'grantsChanged',
			'ownershipTransferred'
		]);
		const byOwner = rows.filter((row) => row.action !== 'invitationAccepted' && row.action !== 'signedIn');
		expect(byOwner.every((row) => row.userId === run.ownerId && row.ip === '127.0.0.1')).toBe(true);
		expect(rows.find((row) => row.action === 'invitationAccepted')).toMatchObject({ userId: tech, item: tech });
		expect(rows.find((row) => row.action === 'roleChanged')?.description).toBe('role helpDesk -> admin');
		const text = JSON.stringify(rows);
		expect(text).not.toContain(token);
		expect(text).not.toContain(PASSWORD);
		expect(text).not.toContain('tech@acme.example');
	});
});
