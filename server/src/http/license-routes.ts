// License management over HTTP (L1-L4, L6-L8, L10-L13, L16): imports of export files, vendor accounts connected through
// their API, syncs on demand, the sync's progress, the tenant's licenses as a file, and one license's history. Changes
// need `licenses.sync` on the whole tenant; reading every license needs a grant on the whole tenant.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { hasTenantPermission, isTenantWide } from '../../../src/lib/domain/access';
import { addAccountRequestSchema, type ImportError } from '../../../src/lib/schema/license-api';
import type { Auth } from '../auth/auth';
import type { LicenseServer } from '../licenses/service';
import { licenseExportCsv, licenseHistoryCsv } from '../licenses/export';
import type { LicenseActor, LicenseOutcome } from '../licenses/types';
import type { Principal } from '../relay/types';
import type { Mutating } from './api';
import { readJsonBody } from './body';
import { HttpError, sendJson } from './errors';
import type { Router } from './router';

/** `POST /api/licenses/import`: an export file of up to 40 MB (20,000 licenses take about 6 MB as JSON). */
export const MAX_IMPORT_BYTES = 40 * 1024 * 1024;

export interface LicenseRouteDeps {
	readonly auth: Auth;
	readonly licenses: LicenseServer;
	readonly mutating: Mutating;
}

const formatSchema = z.enum(['json', 'csv']).default('json');
/** A file name for the messages of an import (`?name=`): printable, no path. */
const fileNameSchema = z
	.string()
	.max(255)
	.regex(/^[^\p{Cc}/\\]+$/u, 'a file name without control characters or slashes')
	.optional();

async function readFileBody(req: IncomingMessage, limit: number): Promise<string> {
	const tooLarge = new HttpError(413, 'payload_too_large', `the file is larger than ${limit / 1024 / 1024} MB`, {
		connection: 'close'
	});
	const declared = req.headers['content-length'];
	if (declared !== undefined && Number(declared) > limit) throw tooLarge;
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buffer = chunk instanceof Buffer ? chunk : Buffer.from(String(chunk));
		size += buffer.length;
		if (size > limit) throw tooLarge;
		chunks.push(buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** The file's format from its content type: JSON or CSV, nothing else. */
function fileFormat(req: IncomingMessage): 'json' | 'csv' {
	const type = (req.headers['content-type'] ?? '').toLowerCase();
	if (/^application\/json\s*(;|$)/.test(type)) return 'json';
	if (/^text\/csv\s*(;|$)/.test(type)) return 'csv';
	throw new HttpError(415, 'unsupported_media_type', 'send the file as application/json or text/csv');
}

function firstIssue(error: z.ZodError): string {
	const issue = error.issues[0];
	return issue ? `${issue.path.map(String).join('.') || 'query'}: ${issue.message}` : 'the query is not valid';
}

/** 200 (or `status`) with what the import or sync did; 422 `{ error: { code, message, details } }` when refused. */
function sendOutcome(
	res: ServerResponse,
	outcome: LicenseOutcome,
	headers: Record<string, string>,
	status = 200
): void {
	if (outcome.ok) return sendJson(res, status, outcome.result, headers);
	if (outcome.code === 'not_found') throw new HttpError(404, 'not_found', outcome.message);
	const body: ImportError = { error: { code: outcome.code, message: outcome.message, details: [...outcome.details] } };
	sendJson(res, 422, body, headers);
}

function sendCsv(res: ServerResponse, name: string, text: string, headers: Record<string, string>): void {
	res.writeHead(200, {
		'content-type': 'text/csv; charset=utf-8',
		'content-disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store',
		...headers
	});
	res.end(text);
}

export function addLicenseRoutes(router: Router, deps: LicenseRouteDeps): void {
	const { auth, licenses, mutating } = deps;

	async function signedIn(req: IncomingMessage): Promise<{ principal: Principal; headers: Record<string, string> }> {
		const session = await auth.resolve(req);
		if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
		return {
			principal: session.principal,
			headers: session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {}
		};
	}

	/** L12: importing and synchronizing change the whole tenant's licenses and tree. */
	async function syncer(req: IncomingMessage, ip: string) {
		const { principal, headers } = await signedIn(req);
		if (!hasTenantPermission(principal, 'licenses.sync'))
			throw new HttpError(
				403,
				'forbidden',
				'importing and synchronizing licenses needs the licenses.sync permission for the whole tenant'
			);
		const actor: LicenseActor = { tenantId: principal.tenantId, userId: principal.userId, ip };
		return { actor, headers };
	}

	/** L5: every license of the tenant is for people granted the whole tenant (others see their part through /api/view). */
	async function tenantReader(req: IncomingMessage) {
		const { principal, headers } = await signedIn(req);
		if (!isTenantWide(principal.grants))
			throw new HttpError(403, 'forbidden', 'reading all of the licenses needs a grant on the whole tenant');
		return { tenantId: principal.tenantId, headers };
	}

	router.add(
		'POST',
		'/api/licenses/import',
		mutating(async ({ req, res, url, ip }) => {
			const { actor, headers } = await syncer(req, ip);
			const format = fileFormat(req);
			const name = fileNameSchema.safeParse(url.searchParams.get('name') ?? undefined);
			if (!name.success) throw new HttpError(400, 'invalid_query', firstIssue(name.error));
			const text = await readFileBody(req, MAX_IMPORT_BYTES);
			const outcome = await licenses.importText(actor, text, { format, ...(name.data ? { name: name.data } : {}) });
			sendOutcome(res, outcome, headers);
		})
	);

	router.add(
		'POST',
		'/api/licenses/accounts',
		mutating(async ({ req, res, ip }) => {
			const { actor, headers } = await syncer(req, ip);
			const body = await readJsonBody(req, addAccountRequestSchema);
			sendOutcome(res, await licenses.addHttpAccount(actor, { url: body.url, token: body.token }), headers, 201);
		})
	);

	router.add('GET', '/api/licenses/accounts', async ({ req, res }) => {
		const { tenantId, headers } = await tenantReader(req);
		sendJson(res, 200, { accounts: await licenses.listAccounts(tenantId) }, headers);
	});

	router.add(
		'POST',
		'/api/licenses/accounts/:accountId/sync',
		mutating(async ({ req, res, ip, params }) => {
			const { actor, headers } = await syncer(req, ip);
			sendOutcome(res, await licenses.syncAccount(actor, params.accountId ?? ''), headers);
		})
	);

	router.add('GET', '/api/licenses/sync-status', async ({ req, res }) => {
		const { tenantId, headers } = await tenantReader(req);
		sendJson(res, 200, { running: licenses.progress(tenantId) }, headers);
	});

	router.add('GET', '/api/licenses/export', async ({ req, res, url }) => {
		const { tenantId, headers } = await tenantReader(req);
		const format = formatSchema.safeParse(url.searchParams.get('format') ?? undefined);
		if (!format.success) throw new HttpError(400, 'invalid_query', firstIssue(format.error));
		const data = await licenses.exportTenant(tenantId);
		if (format.data === 'csv') return sendCsv(res, `licenses-${data.day}.csv`, licenseExportCsv(data), headers);
		sendJson(res, 200, data, headers);
	});

	router.add('GET', '/api/licenses/:licenseId/history', async ({ req, res, url, params }) => {
		const { tenantId, headers } = await tenantReader(req);
		const format = formatSchema.safeParse(url.searchParams.get('format') ?? undefined);
		if (!format.success) throw new HttpError(400, 'invalid_query', firstIssue(format.error));
		const history = await licenses.history(tenantId, params.licenseId ?? '');
		if (!history) throw new HttpError(404, 'not_found', 'no such license');
		if (format.data === 'csv')
			return sendCsv(res, `license-${history.publicId}-history.csv`, licenseHistoryCsv(history), headers);
		sendJson(res, 200, history, headers);
	});
}
