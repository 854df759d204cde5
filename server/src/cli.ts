// The operators' CLI (`npm run cli -- <command>`): tenants, users, document export, backup and restore on DATA_DIR.
import { isTenantWide } from '../../src/lib/domain/access';
import { grantsSchema, type Grant } from '../../src/lib/schema/access';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { z } from 'zod';
import { docNameSchema, entityIdSchema, parseDocName, tenantDocName, tenantIdSchema } from '../../src/lib/schema/ids';
import { emailSchema, passwordSchema, roleSchema } from '../../src/lib/schema/api';
import { nodeNameSchema } from '../../src/lib/schema/tree';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import {
	AuthError,
	createUserAccount,
	changeAccess,
	deactivateAccount,
	deleteAccount,
	reactivateAccount,
	revokeAccountSessions
} from './auth/auth';
import { storageName } from './store/doc-keys';
import { ConfigError, dataDirFrom } from './config';
import { acquireLock, DB_FILE, LockHeldError } from './pid-lock';
import { backupSqlite, openSqliteStore, restoreSqlite } from './store/sqlite';
import type { Store, UserRecord } from './store/types';
import { createAudit } from './audit/audit';
import { systemClock } from './clock';
import { createLogger } from './log';
import { storeDocs } from './licenses/docs';
import { licenseExportCsv } from './licenses/export';
import { createLicenseService, type LicenseServer } from './licenses/service';
import { MAX_IMPORT_TEXT } from '../../src/lib/schema/commands';
import { tokenNameSchema } from '../../src/lib/schema/integrations';
import { createIntegrationToken } from './integrations/tokens';

const USAGE = `usage: npm run cli -- <command>

  tenant create <name>                 create a tenant; prints its id
  tenant list                          list tenants (id, name, created)
  user create --tenant <id> --email <e> --password <p> --role <role>
                                       roles: superAdmin, admin, helpDesk, readOnly, businessAdmin,
                                       custom:<roleId>; owner: a Super Admin who owns the tenant
                                       --grant tenant | node:<id> | customer:<id> | group:<id>, repeated
                                       (default: the whole tenant)
                                       --password-stdin instead of --password reads it from stdin
                                       (a password on the command line is visible to other local users
                                       in the process list, and stays in the shell history)
  user disable <email>                 deactivate an account: no sign-in; its sessions end, and a running
                                       server closes its open connections within a second
  user enable <email>                  reactivate an account
  user delete <email>                  remove an account and its sessions (e.g. the demo account
                                       demo@msp.example); a running server closes its connections
  user access <email> [--role <role>] [--grant <grant> …]
                                       change a person's role or grants; a running server closes their
                                       connections and their devices remove what they may no longer read
  session revoke --user <email>        end every session of a person (signed out everywhere)
  doc export <docName> [--tenant <id>] print a document as JSON (tenant:<id>, or customer:<id> with the
                                       tenant it belongs to)
  licenses import <file> --tenant <id> import a license export (msp-license-export/1, .json or .csv) into a
                                       tenant, as the API does (L1-L3); a refused file changes nothing
  licenses export --tenant <id> [--format json|csv]
                                       print the tenant's license accounts, pools and licenses with their
                                       state today (L13, L14)
  token create --tenant <id> --name <name>
                                       create an integration API token (P4, P5); prints it once: only its
                                       hash is kept
  token list [--tenant <id>]           list integration tokens (id, tenant, name, created, last used, revoked)
  token revoke <id>                    revoke an integration token; calls with it are refused at once
  backup <file>                        online backup of the database (safe while the server runs)
  restore <file>                       replace the database by a backup (server stopped)

DATA_DIR (default ./data) says which data directory to use.`;

class UsageError extends Error {}
class CliError extends Error {}

/** Reads a value with a schema; the message names the argument. */
function valid<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
	const parsed = schema.safeParse(value);
	if (!parsed.success) throw new CliError(`${what}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
	return parsed.data;
}

function positionals(args: readonly string[], count: number, usage: string): string[] {
	const { positionals: found } = parseArgs({ args: [...args], allowPositionals: true, strict: true, options: {} });
	if (found.length !== count) throw new UsageError(`usage: npm run cli -- ${usage}`);
	return found;
}

/** The password piped to stdin (`printf '%s' "$PW" | npm run cli -- user create ... --password-stdin`); one final newline is dropped. */
async function readPassword(): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of process.stdin) {
		const buffer = chunk instanceof Buffer ? chunk : Buffer.from(String(chunk));
		size += buffer.length;
		// Far above the longest valid password; a wrong pipe is not read to its end.
		if (size > 4096) throw new CliError('password from stdin: more than 4096 bytes');
		chunks.push(buffer);
	}
	return Buffer.concat(chunks)
		.toString('utf8')
		.replace(/\r?\n$/, '');
}

/** DATA_DIR holds the database and its backups' secrets: created owner-only. */
const DATA_DIR_MODE = 0o700;

/** Runs `work` on the store with the data-dir lock held, so that no server starts meanwhile. */
async function withStore<T>(dataDir: string, work: (store: Store) => Promise<T>): Promise<T> {
	mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
	const release = acquireLock(dataDir);
	const store = openSqliteStore(join(dataDir, DB_FILE));
	try {
		return await work(store);
	} finally {
		await store.close();
		release();
	}
}

/**
 * Runs `work` on the store without the lock: for the account commands an operator needs while the server runs (SQLite lets
 * both write; the server notices within a second, S41). The database must exist.
 */
async function withSharedStore<T>(dataDir: string, work: (store: Store) => Promise<T>): Promise<T> {
	const file = join(dataDir, DB_FILE);
	if (!existsSync(file)) throw new CliError(`no database in ${dataDir}`);
	const store = openSqliteStore(file);
	try {
		return await work(store);
	} finally {
		await store.close();
	}
}

/** License management on the store alone (server stopped): the same service as the server's, documents written directly. */
function cliLicenses(store: Store, dataDir: string): LicenseServer {
	const log = createLogger('silent');
	return createLicenseService({
		store,
		docs: storeDocs(store),
		clock: systemClock,
		log,
		audit: createAudit(store, systemClock, log),
		dataDir
	});
}

/** H6: `--grant` values: `tenant`, or `<scope>:<id>` for node, customer and group. */
function parseGrants(values: readonly string[]): Grant[] {
	const grants = values.map((value) => {
		if (value === 'tenant') return { scope: 'tenant' };
		const [scope, id, ...extra] = value.split(':');
		return extra.length > 0 ? { scope: 'invalid' } : { scope, id };
	});
	return valid(grantsSchema, grants, '--grant (tenant, node:<id>, customer:<id> or group:<id>)');
}

async function existingUser(store: Store, email: string): Promise<UserRecord> {
	const user = await store.getUserByEmail(email.toLowerCase());
	if (!user) throw new CliError(`no user ${email}`);
	return user;
}

function exportDoc(
	docName: string,
	snapshot: Uint8Array | null,
	updates: readonly Uint8Array[]
): Record<string, unknown> {
	const doc = new Y.Doc();
	if (snapshot) Y.applyUpdate(doc, snapshot);
	for (const update of updates) Y.applyUpdate(doc, update);
	const kind = parseDocName(docName)?.kind;
	const out: Record<string, unknown> =
		kind === 'tenant'
			? {
					meta: doc.getMap('meta').toJSON(),
					nodes: doc.getMap('nodes').toJSON(),
					accounts: doc.getMap('accounts').toJSON(),
					pools: doc.getMap('pools').toJSON(),
					licenses: doc.getMap('licenses').toJSON()
				}
			: { contacts: doc.getMap('contacts').toJSON(), notes: doc.getArray('notes').toJSON() };
	doc.destroy();
	return { docName, ...out };
}

async function run(argv: readonly string[], out: (line: string) => void): Promise<void> {
	const dataDir = dataDirFrom(process.env, process.cwd());
	const [group, action, ...rest] = argv;
	const command = `${group ?? ''} ${action ?? ''}`.trim();

	if (group === 'tenant' && action === 'create') {
		const [rawName] = positionals(rest, 1, 'tenant create <name>');
		const name = valid(nodeNameSchema, rawName, 'tenant name');
		const id = randomUUID();
		await withStore(dataDir, async (store) => {
			await store.createTenant({ id, name, createdAt: new Date().toISOString() });
			const doc = new Y.Doc();
			new TenantRepository(doc).setTenantName(name);
			await store.append(tenantDocName(id), Y.encodeStateAsUpdate(doc));
			doc.destroy();
		});
		out(id);
		return;
	}
	if (group === 'tenant' && action === 'list') {
		positionals(rest, 0, 'tenant list');
		const tenants = await withStore(dataDir, (store) => store.listTenants());
		for (const tenant of tenants) out(`${tenant.id}\t${tenant.name}\t${tenant.createdAt}`);
		return;
	}
	if (group === 'user' && action === 'create') {
		const { values, positionals: extra } = parseArgs({
			args: [...rest],
			strict: true,
			allowPositionals: true,
			options: {
				tenant: { type: 'string' },
				email: { type: 'string' },
				password: { type: 'string' },
				'password-stdin': { type: 'boolean' },
				role: { type: 'string' },
				grant: { type: 'string', multiple: true }
			}
		});
		const fromStdin = values['password-stdin'] === true;
		if (
			extra.length > 0 ||
			!values.tenant ||
			!values.email ||
			!values.role ||
			(values.password === undefined) === !fromStdin
		) {
			throw new UsageError(
				'usage: npm run cli -- user create --tenant <id> --email <e> (--password <p> | --password-stdin) --role <owner|superAdmin|admin|helpDesk|readOnly|businessAdmin|custom:<roleId>>'
			);
		}
		const tenantId = valid(tenantIdSchema, values.tenant, '--tenant');
		const email = valid(emailSchema, values.email, '--email');
		const password = fromStdin
			? valid(passwordSchema, await readPassword(), 'password from stdin')
			: valid(passwordSchema, values.password, '--password');
		const grants = parseGrants(values.grant ?? ['tenant']);
		const owner = values.role === 'owner';
		if (owner && !isTenantWide(grants)) throw new CliError('the owner is granted the whole tenant');
		const role = owner ? 'superAdmin' : valid(roleSchema, values.role, '--role');
		// Like the other account commands, it works while the server runs (a new person can sign in at once).
		const id = await withSharedStore(dataDir, async (store) => {
			const tenant = await store.getTenant(tenantId);
			if (!tenant) throw new CliError(`no tenant ${tenantId} (see: npm run cli -- tenant list)`);
			// P13: a tenant has exactly one owner; another Super Admin is created with --role superAdmin.
			if (owner && (tenant.ownerId ?? null) !== null)
				throw new CliError(`tenant ${tenantId} has an owner already; create a superAdmin instead`);
			if (role.startsWith('custom:')) {
				const roles = await store.listCustomRoles(tenantId);
				if (!roles.some((r) => `custom:${r.id}` === role)) throw new CliError(`no role ${role} in tenant ${tenantId}`);
			}
			const userId = await createUserAccount(store, { tenantId, email, password, role, grants, now: new Date() });
			if (owner) await store.setTenantOwner(tenantId, userId);
			return userId;
		});
		out(id);
		return;
	}
	if (group === 'user' && (action === 'disable' || action === 'enable')) {
		const [rawEmail] = positionals(rest, 1, `user ${action} <email>`);
		const email = valid(emailSchema, rawEmail, 'email');
		await withSharedStore(dataDir, async (store) => {
			const user = await existingUser(store, email);
			if (action === 'disable') await deactivateAccount(store, user, null, new Date());
			else await reactivateAccount(store, user, null, new Date());
		});
		out(action === 'disable' ? `deactivated ${email}; its sessions ended` : `reactivated ${email}`);
		return;
	}
	if (group === 'user' && action === 'access') {
		const { values, positionals: extra } = parseArgs({
			args: [...rest],
			strict: true,
			allowPositionals: true,
			options: { role: { type: 'string' }, grant: { type: 'string', multiple: true } }
		});
		if (extra.length !== 1 || (values.role === undefined && values.grant === undefined))
			throw new UsageError('usage: npm run cli -- user access <email> [--role <role>] [--grant <grant> …]');
		const email = valid(emailSchema, extra[0], 'email');
		const role = values.role === undefined ? undefined : valid(roleSchema, values.role, '--role');
		const grants = values.grant === undefined ? undefined : parseGrants(values.grant);
		await withSharedStore(dataDir, async (store) => {
			const user = await existingUser(store, email);
			const tenant = await store.getTenant(user.tenantId);
			// P13: the owner stays a Super Admin of the whole tenant.
			if (tenant?.ownerId === user.id && (role !== undefined || grants !== undefined))
				throw new CliError(`${email} owns the tenant; transfer the ownership first`);
			await changeAccess(store, user, { role, grants }, null, new Date());
		});
		out(`changed the access of ${email}; a running server closes their connections within a second`);
		return;
	}
	if (group === 'session' && action === 'revoke') {
		const { values, positionals: extra } = parseArgs({
			args: [...rest],
			strict: true,
			allowPositionals: true,
			options: { user: { type: 'string' } }
		});
		if (extra.length > 0 || !values.user) throw new UsageError('usage: npm run cli -- session revoke --user <email>');
		const email = valid(emailSchema, values.user, '--user');
		const ended = await withSharedStore(dataDir, async (store) =>
			revokeAccountSessions(store, await existingUser(store, email), null, new Date())
		);
		out(`${ended} session(s) of ${email} ended`);
		return;
	}
	if (group === 'user' && action === 'delete') {
		const [rawEmail] = positionals(rest, 1, 'user delete <email>');
		const email = valid(emailSchema, rawEmail, 'email');
		await withSharedStore(dataDir, async (store) =>
			deleteAccount(store, await existingUser(store, email), null, new Date())
		);
		out(`deleted ${email}`);
		return;
	}
	if (group === 'doc' && action === 'export') {
		const { values, positionals: names } = parseArgs({
			args: [...rest],
			strict: true,
			allowPositionals: true,
			options: { tenant: { type: 'string' } }
		});
		if (names.length !== 1) throw new UsageError('usage: npm run cli -- doc export <docName> [--tenant <id>]');
		const docName = valid(docNameSchema, names[0], 'document name');
		const parsedName = parseDocName(docName);
		const tenantId =
			parsedName?.kind === 'tenant'
				? parsedName.id
				: values.tenant === undefined
					? null
					: valid(tenantIdSchema, values.tenant, '--tenant');
		// S40: a customer document is stored under its tenant.
		if (tenantId === null) throw new CliError(`${docName} belongs to a tenant: add --tenant <id>`);
		const stored = storageName(tenantId, docName);
		const json = await withStore(dataDir, async (store) => {
			if (!(await store.listDocs()).includes(stored)) throw new CliError(`no document ${docName} in ${dataDir}`);
			const storedDoc = await store.load(stored);
			return exportDoc(docName, storedDoc.snapshot, storedDoc.updates);
		});
		out(JSON.stringify(json, null, 2));
		return;
	}
	if (group === 'licenses' && (action === 'import' || action === 'export')) {
		const { values, positionals: files } = parseArgs({
			args: [...rest],
			strict: true,
			allowPositionals: true,
			options: { tenant: { type: 'string' }, format: { type: 'string' } }
		});
		const usage =
			action === 'import'
				? 'usage: npm run cli -- licenses import <file> --tenant <id>'
				: 'usage: npm run cli -- licenses export --tenant <id> [--format json|csv]';
		if (!values.tenant || files.length !== (action === 'import' ? 1 : 0) || (action === 'import' && values.format))
			throw new UsageError(usage);
		const tenantId = valid(tenantIdSchema, values.tenant, '--tenant');
		const format = valid(z.enum(['json', 'csv']).default('json'), values.format, '--format');
		let text = '';
		let name = '';
		if (action === 'import') {
			const file = resolve(files[0]!);
			if (!existsSync(file)) throw new CliError(`no file ${file}`);
			if (statSync(file).size > MAX_IMPORT_TEXT) throw new CliError(`${file} is larger than 40 MB`);
			text = readFileSync(file, 'utf8');
			name = basename(file);
		}
		await withStore(dataDir, async (store) => {
			if (!(await store.getTenant(tenantId)))
				throw new CliError(`no tenant ${tenantId} (see: npm run cli -- tenant list)`);
			const licenses = cliLicenses(store, dataDir);
			if (action === 'export') {
				const data = await licenses.exportTenant(tenantId);
				out(format === 'csv' ? licenseExportCsv(data).replace(/\r\n$/, '') : JSON.stringify(data, null, 2));
				return;
			}
			const outcome = await licenses.importText({ tenantId, userId: null, ip: null }, text, { name });
			if (!outcome.ok)
				throw new CliError(
					[
						`${name} was not imported (${outcome.code}): ${outcome.message}`,
						...outcome.details.map((d) => `  ${d.where}: ${d.message}`)
					].join('\n')
				);
			const r = outcome.result;
			out(
				`imported ${r.accountId}: ${r.added} added, ${r.changed} changed, ${r.removed} removed, ${r.companiesAdded} companies added`
			);
		});
		return;
	}
	if (group === 'token' && (action === 'create' || action === 'list')) {
		const { values, positionals: extra } = parseArgs({
			args: [...rest],
			strict: true,
			allowPositionals: true,
			options: { tenant: { type: 'string' }, name: { type: 'string' } }
		});
		if (action === 'create') {
			if (extra.length > 0 || !values.tenant || values.name === undefined)
				throw new UsageError('usage: npm run cli -- token create --tenant <tenantId> --name <name>');
			const tenantId = valid(tenantIdSchema, values.tenant, '--tenant');
			const name = valid(tokenNameSchema, values.name, '--name');
			// Like the account commands, it works while the server runs (the token is usable at once).
			const secret = await withSharedStore(dataDir, async (store) => {
				if (!(await store.getTenant(tenantId)))
					throw new CliError(`no tenant ${tenantId} (see: npm run cli -- tenant list)`);
				const created = await createIntegrationToken(store, { tenantId, name, createdBy: null, now: new Date() });
				await createAudit(
					store,
					systemClock,
					createLogger('silent')
				)({
					tenantId,
					userId: null,
					ip: null,
					itemType: 'integrationToken',
					item: created.record.id,
					action: 'created',
					description: 'integration token created (CLI)'
				});
				return created;
			});
			process.stderr.write(`token ${secret.record.id} created; it is shown only now:\n`);
			out(secret.secret);
			return;
		}
		if (extra.length > 0 || values.name !== undefined)
			throw new UsageError('usage: npm run cli -- token list [--tenant <tenantId>]');
		const tenantId = values.tenant === undefined ? null : valid(tenantIdSchema, values.tenant, '--tenant');
		const tokens = await withSharedStore(dataDir, (store) => store.listIntegrationTokens(tenantId));
		for (const t of tokens)
			out([t.id, t.tenantId, t.name, t.createdAt, t.lastUsedAt ?? '-', t.revokedAt ?? 'active'].join('\t'));
		return;
	}
	if (group === 'token' && action === 'revoke') {
		const [rawId] = positionals(rest, 1, 'token revoke <id>');
		const id = valid(entityIdSchema, rawId, 'token id');
		await withSharedStore(dataDir, async (store) => {
			const token = await store.getIntegrationToken(id);
			if (!token) throw new CliError(`no integration token ${id} (see: npm run cli -- token list)`);
			if (!(await store.revokeIntegrationToken(id, new Date().toISOString())))
				throw new CliError(`integration token ${id} was revoked already`);
			await createAudit(
				store,
				systemClock,
				createLogger('silent')
			)({
				tenantId: token.tenantId,
				userId: null,
				ip: null,
				itemType: 'integrationToken',
				item: id,
				action: 'revoked',
				description: 'integration token revoked (CLI)'
			});
		});
		out(`revoked integration token ${id}`);
		return;
	}
	if (group === 'backup') {
		const [file] = positionals(action === undefined ? [] : [action, ...rest], 1, 'backup <file>');
		const dest = resolve(valid(z.string().min(1), file, 'backup file'));
		const source = join(dataDir, DB_FILE);
		if (!existsSync(source)) throw new CliError(`no database in ${dataDir}`);
		if (existsSync(dest)) throw new CliError(`${dest} exists; choose a new file name`);
		// Online backup needs no lock: SQLite copies a consistent state while the server writes.
		try {
			await backupSqlite(source, dest);
		} catch (error) {
			throw new CliError(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
		}
		out(`backup written to ${dest}`);
		return;
	}
	if (group === 'restore') {
		const [file] = positionals(action === undefined ? [] : [action, ...rest], 1, 'restore <file>');
		const from = resolve(valid(z.string().min(1), file, 'backup file'));
		mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
		const release = acquireLock(dataDir);
		try {
			restoreSqlite(from, join(dataDir, DB_FILE));
		} catch (error) {
			throw new CliError(`restore refused, nothing changed: ${error instanceof Error ? error.message : String(error)}`);
		} finally {
			release();
		}
		out(`restored ${join(dataDir, DB_FILE)} from ${from}`);
		return;
	}
	throw new UsageError(command === '' || command === 'help' ? USAGE : `unknown command "${command}"\n\n${USAGE}`);
}

run(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
	// A pipe takes stdout asynchronously: exit only once all of it is written (a large export would be cut off).
	() => process.stdout.write('', () => process.exit(0)),
	(error: unknown) => {
		if (error instanceof UsageError) {
			process.stderr.write(`${error.message}\n`);
			process.exit(2);
		}
		// parseArgs refuses unknown or malformed options with ERR_PARSE_ARGS_*: a usage problem.
		if (
			error instanceof Error &&
			'code' in error &&
			typeof error.code === 'string' &&
			error.code.startsWith('ERR_PARSE_ARGS')
		) {
			process.stderr.write(`${error.message}\n\n${USAGE}\n`);
			process.exit(2);
		}
		const known =
			error instanceof CliError ||
			error instanceof LockHeldError ||
			error instanceof AuthError ||
			error instanceof ConfigError;
		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(`error: ${known ? message : `unexpected failure: ${message}`}\n`);
		process.exit(1);
	}
);
