// P14 over a real server with the outbox mailer: the templates API (settings.edit, refusals that store nothing, the default
// per kind and language, audit rows), and invitation mails read back from DATA_DIR/outbox as .eml files.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUserAccount } from '../../server/src/auth/auth';
import { builtInTemplate } from '../../server/src/mail/templates/built-in';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import type { Role } from '../../src/lib/schema/access';
import {
	templateDefaultsResponseSchema,
	templateResponseSchema,
	templatesResponseSchema,
	type TemplateInput
} from '../../src/lib/schema/templates';
import { outboxMails } from '../helpers/eml';
import { createFakeClock } from '../helpers/fake-clock';
import { addOwner, FAST_SCRYPT, OWNER_EMAIL, OWNER_PASSWORD, startPortal, type Portal } from '../helpers/portal';

const PASSWORD = 'a long enough password';

interface Running {
	readonly portal: Portal;
	readonly store: Store;
	readonly dataDir: string;
}
const running: Running[] = [];

afterEach(async () => {
	for (const { portal, store, dataDir } of running.splice(0)) {
		await portal.server.close();
		await store.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
});

async function start(): Promise<Running> {
	const store = createMemoryStore();
	const clock = createFakeClock(new Date('2026-03-02T09:00:00Z'));
	await addOwner(store, clock);
	await store.putTenantSettings('acme', { ...(await store.getTenantSettings('acme')), timeZone: 'Europe/Warsaw' });
	const dataDir = mkdtempSync(join(tmpdir(), 'msp-templates-'));
	const portal = await startPortal({ store, clock, config: { dataDir, publicUrl: 'https://portal.acme.example' } });
	const run = { portal, store, dataDir };
	running.push(run);
	return run;
}

async function call(
	run: Running,
	method: string,
	path: string,
	options: { cookie?: string; body?: unknown } = {}
): Promise<{ status: number; body: unknown }> {
	const response = await fetch(`${run.portal.base}${path}`, {
		method,
		headers: {
			origin: run.portal.base,
			...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
			...(options.cookie ? { cookie: options.cookie } : {})
		},
		body: options.body === undefined ? undefined : JSON.stringify(options.body)
	});
	const text = await response.text();
	return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

async function signIn(run: Running, email: string, password: string): Promise<string> {
	const response = await fetch(`${run.portal.base}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: run.portal.base },
		body: JSON.stringify({ email, password })
	});
	expect(response.status).toBe(204);
	return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function userWith(run: Running, email: string, role: Role): Promise<string> {
	await createUserAccount(run.store, {
		tenantId: 'acme',
		email,
		password: PASSWORD,
		role,
		now: new Date('2026-03-02T09:00:00Z'),
		scrypt: FAST_SCRYPT
	});
	return signIn(run, email, PASSWORD);
}

const errorOf = (answer: { body: unknown }): { code: string; message: string } =>
	(answer.body as { error: { code: string; message: string } }).error;

const custom = (overrides: Partial<TemplateInput> = {}): TemplateInput => ({
	name: 'Warm welcome',
	kind: 'userInvitation',
	locale: 'de',
	subject: 'Willkommen bei {{tenantName}}, {{email}}',
	body: 'Hallo!\n\n{{invitedBy}} lädt Sie ein: {{link}}\nGültig bis {{expiresAt}}.',
	...overrides
});

const invite = (run: Running, cookie: string, email: string, locale?: string) =>
	call(run, 'POST', '/api/users/invitations', {
		cookie,
		body: { email, role: 'helpDesk', grants: [{ scope: 'tenant' }], ...(locale ? { locale } : {}) }
	});

describe('notification templates API (P14)', () => {
	it('P14: the templates need settings.edit on the whole tenant (403), and a session (401)', async () => {
		const run = await start();
		const helpDesk = await userWith(run, 'desk@acme.example', 'readOnly');
		expect((await call(run, 'GET', '/api/templates')).status).toBe(401);
		expect((await call(run, 'GET', '/api/templates', { cookie: helpDesk })).status).toBe(403);
		const created = await call(run, 'POST', '/api/templates', { cookie: helpDesk, body: custom() });
		expect(created.status).toBe(403);
		expect(
			(
				await call(run, 'PUT', '/api/template-defaults', {
					cookie: helpDesk,
					body: { kind: 'userInvitation', locale: 'de', templateId: null }
				})
			).status
		).toBe(403);
		expect(await run.store.listNotificationTemplates('acme')).toEqual([]);
	});

	it('P14: the list holds the ten built-in templates and no default until someone chooses one', async () => {
		const run = await start();
		const owner = await signIn(run, OWNER_EMAIL, OWNER_PASSWORD);
		const answer = await call(run, 'GET', '/api/templates', { cookie: owner });
		expect(answer.status).toBe(200);
		const list = templatesResponseSchema.parse(answer.body);
		expect(list.builtIns).toHaveLength(10);
		expect(list.builtIns).toContainEqual(builtInTemplate('customerInvitation', 'pl'));
		expect(list.templates).toEqual([]);
		expect(list.defaults).toEqual([]);
	});

	it('P14: an unknown placeholder, a malformed {{ or a bad body is refused with 400 naming it, and nothing is stored', async () => {
		const run = await start();
		const owner = await signIn(run, OWNER_EMAIL, OWNER_PASSWORD);
		const unknown = await call(run, 'POST', '/api/templates', {
			cookie: owner,
			body: custom({ body: 'Hallo {{organization}}: {{link}}' })
		});
		expect(unknown.status).toBe(400);
		expect(errorOf(unknown)).toEqual({
			code: 'invalid_template',
			message: 'body: unknown placeholder {{organization}}'
		});
		const malformed = await call(run, 'POST', '/api/templates', {
			cookie: owner,
			body: custom({ subject: 'Willkommen {{tenantName' })
		});
		expect(malformed.status).toBe(400);
		expect(errorOf(malformed).message).toContain('subject: malformed placeholder "{{tenantName"');
		for (const body of [
			{ ...custom(), kind: 'reminder' },
			{ ...custom(), locale: 'fr' },
			{ ...custom(), name: '   ' },
			{ ...custom(), subject: 'two\nlines' },
			{ ...custom(), extra: true },
			{ ...custom(), body: 'x'.repeat(10_001) }
		]) {
			const answer = await call(run, 'POST', '/api/templates', { cookie: owner, body });
			expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
			expect(errorOf(answer).code).toBe('invalid_body');
		}
		expect(await run.store.listNotificationTemplates('acme')).toEqual([]);
		// An edit that would bring in an unknown placeholder leaves the template as it was.
		const created = templateResponseSchema.parse(
			(await call(run, 'POST', '/api/templates', { cookie: owner, body: custom() })).body
		).template;
		const edit = await call(run, 'PUT', `/api/templates/${created.id}`, {
			cookie: owner,
			body: { name: 'Edited', subject: 'Hi {{contactName}}', body: created.body }
		});
		expect(edit.status).toBe(400);
		expect(await run.store.getNotificationTemplate('acme', created.id)).toEqual(created);
		const audit = await run.store.listAudit({ tenantId: 'acme', itemType: 'notificationTemplate' });
		expect(audit.map((entry) => entry.action)).toEqual(['created']);
	});

	it('P14: one default per kind and language; a template of another kind or language is refused; deleting it restores the built-in', async () => {
		const run = await start();
		const owner = await signIn(run, OWNER_EMAIL, OWNER_PASSWORD);
		const created = templateResponseSchema.parse(
			(await call(run, 'POST', '/api/templates', { cookie: owner, body: custom() })).body
		).template;
		const mismatch = await call(run, 'PUT', '/api/template-defaults', {
			cookie: owner,
			body: { kind: 'userInvitation', locale: 'pl', templateId: created.id }
		});
		expect(mismatch.status).toBe(400);
		expect(errorOf(mismatch).code).toBe('template_mismatch');
		const unknown = await call(run, 'PUT', '/api/template-defaults', {
			cookie: owner,
			body: { kind: 'userInvitation', locale: 'de', templateId: 'no-such-template' }
		});
		expect(unknown.status).toBe(404);
		const chosen = await call(run, 'PUT', '/api/template-defaults', {
			cookie: owner,
			body: { kind: 'userInvitation', locale: 'de', templateId: created.id }
		});
		expect(chosen.status).toBe(200);
		expect(templateDefaultsResponseSchema.parse(chosen.body).defaults).toEqual([
			{ kind: 'userInvitation', locale: 'de', templateId: created.id }
		]);
		expect((await call(run, 'DELETE', `/api/templates/${created.id}`, { cookie: owner })).status).toBe(204);
		expect(await run.store.listTemplateDefaults('acme')).toEqual([]);
		expect((await call(run, 'DELETE', `/api/templates/${created.id}`, { cookie: owner })).status).toBe(404);
		const audit = await run.store.listAudit({ tenantId: 'acme', itemType: 'notificationTemplate' });
		expect(audit.map((entry) => entry.action).reverse()).toEqual(['created', 'defaultChanged', 'deleted']);
		// The audit names kinds and languages, never the texts.
		expect(audit.map((entry) => entry.description).join(' ')).not.toContain('Willkommen');
	});
});

describe('invitation mails from templates (P14)', () => {
	it("P14: an invitation in Polish uses the Polish built-in template, dates in Polish and the tenant's time zone", async () => {
		const run = await start();
		const owner = await signIn(run, OWNER_EMAIL, OWNER_PASSWORD);
		expect((await invite(run, owner, 'jan@kowalski.example', 'pl')).status).toBe(201);
		const [mail, ...more] = outboxMails(run.dataDir);
		expect(more).toEqual([]);
		expect(mail?.to).toBe('jan@kowalski.example');
		expect(mail?.subject).toBe('Zaproszenie do Acme IT w portalu MSP');
		expect(mail?.text).toContain('owner@acme.example zaprasza do dołączenia do Acme IT w portalu MSP.');
		// 7 days after 2026-03-02 09:00 UTC, in Warsaw (UTC+1).
		expect(mail?.text).toContain('Jest on ważny do 9 marca 2026 10:00 CET.');
		expect(mail?.text).toMatch(/https:\/\/portal\.acme\.example\/invitations\/accept\?token=[A-Za-z0-9_-]+/);
		// A resent invitation speaks the same language.
		const [pending] = await run.store.listPendingInvitations('acme');
		expect(pending?.locale).toBe('pl');
		expect((await call(run, 'POST', `/api/users/invitations/${pending?.id}/resend`, { cookie: owner })).status).toBe(
			204
		);
		const both = outboxMails(run.dataDir);
		expect(both).toHaveLength(2);
		expect(both.map((sent) => sent.subject)).toEqual([mail?.subject, mail?.subject]);
	});

	it('P14: a custom default template is used by the next invitation in its language, and English stays built-in', async () => {
		const run = await start();
		const owner = await signIn(run, OWNER_EMAIL, OWNER_PASSWORD);
		const created = templateResponseSchema.parse(
			(await call(run, 'POST', '/api/templates', { cookie: owner, body: custom() })).body
		).template;
		expect((await invite(run, owner, 'before@acme.example', 'de')).status).toBe(201);
		await call(run, 'PUT', '/api/template-defaults', {
			cookie: owner,
			body: { kind: 'userInvitation', locale: 'de', templateId: created.id }
		});
		expect((await invite(run, owner, 'after@acme.example', 'de')).status).toBe(201);
		expect((await invite(run, owner, 'english@acme.example')).status).toBe(201);
		// The fake clock stands still, so the files' names do not order them: each is found by its recipient.
		const mails = new Map(outboxMails(run.dataDir).map((mail) => [mail.to, mail]));
		expect(mails.size).toBe(3);
		expect(mails.get('before@acme.example')?.subject).toBe('Einladung zu Acme IT im MSP-Portal');
		expect(mails.get('after@acme.example')?.subject).toBe('Willkommen bei Acme IT, after@acme.example');
		expect(mails.get('english@acme.example')?.subject).toBe('You are invited to Acme IT on the MSP Portal');
		expect(mails.get('after@acme.example')?.text).toMatch(
			/^Hallo!\n\nowner@acme\.example lädt Sie ein: https:\/\/portal\.acme\.example\/invitations\/accept\?token=\S+\nGültig bis 9\. März 2026 um 10:00 MEZ\.$/
		);
	});
});
