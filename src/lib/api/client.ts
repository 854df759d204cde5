// The browser's client for the JSON API under /api: every answer is parsed with the shared zod schemas.
import { scopedViewSchema, type ScopedView } from '../schema/view';
import { z } from 'zod';
import {
	apiErrorSchema,
	MAX_HEADS_PER_REQUEST,
	meSchema,
	setupResponseSchema,
	setupStateSchema,
	syncHeadsResponseSchema,
	type Me,
	type SyncHeadsRequest,
	type SetupRequest,
	type SignInRequest
} from '$lib/schema/api';
import type { DocName } from '$lib/schema/ids';
import { preferencesSchema, type Preferences, type PreferencesPatch } from '$lib/schema/locale';
import {
	settingsResponseSchema,
	unlockResponseSchema,
	type SettingsResponse,
	type TenantSettingsPatch,
	type UnlockRequest
} from '$lib/schema/settings';

/** An API call that did not succeed: `code` is the server's stable error code, or one of ours for transport failures. */
export class ApiRequestError extends Error {
	readonly status: number;
	readonly code: string;

	constructor(status: number, code: string, message: string) {
		super(message);
		this.name = 'ApiRequestError';
		this.status = status;
		this.code = code;
	}

	/** True when the server could not be reached at all (offline, server down). */
	get isNetwork(): boolean {
		return this.code === 'network';
	}
}

/** One API call; a failure (the network, an error answer) throws ApiRequestError. Shared by the area clients (users.ts). */
export async function request(method: string, path: string, body?: unknown): Promise<Response> {
	let response: Response;
	try {
		response = await fetch(path, {
			method,
			credentials: 'same-origin',
			headers:
				body === undefined
					? { accept: 'application/json' }
					: { 'content-type': 'application/json', accept: 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	} catch (error) {
		throw new ApiRequestError(0, 'network', error instanceof Error ? error.message : 'network error');
	}
	if (response.ok) return response;
	let payload: unknown = null;
	try {
		payload = await response.json();
	} catch {
		// A proxy or the service worker may answer with a body that is not ours; the status still says enough.
	}
	const parsed = apiErrorSchema.safeParse(payload);
	if (parsed.success) throw new ApiRequestError(response.status, parsed.data.error.code, parsed.data.error.message);
	throw new ApiRequestError(response.status, response.status >= 500 ? 'server' : 'http', `HTTP ${response.status}`);
}

export async function parseJson<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
	let payload: unknown;
	try {
		payload = await response.json();
	} catch {
		throw new ApiRequestError(response.status, 'badResponse', 'the answer is not JSON');
	}
	const parsed = schema.safeParse(payload);
	if (!parsed.success) throw new ApiRequestError(response.status, 'badResponse', 'the answer has an unexpected shape');
	return parsed.data;
}

export async function fetchMe(): Promise<Me> {
	return parseJson(await request('GET', '/api/me'), meSchema);
}

export async function fetchSetupState(): Promise<{ needsSetup: boolean }> {
	return parseJson(await request('GET', '/api/setup'), setupStateSchema);
}

export async function postSetup(input: SetupRequest): Promise<{ tenantId: string }> {
	return parseJson(await request('POST', '/api/setup', input), setupResponseSchema);
}

export async function signIn(input: SignInRequest): Promise<void> {
	await request('POST', '/api/session', input);
}

export async function signOut(): Promise<void> {
	await request('DELETE', '/api/session');
}

/** S32: the server's head (last committed update) of each of `docs` the signed-in person may read. */
export async function fetchSyncHeads(docs: readonly DocName[]): Promise<Map<DocName, number>> {
	const all = new Map<DocName, number>();
	// The server takes at most MAX_HEADS_PER_REQUEST names per request.
	for (let start = 0; start < docs.length; start += MAX_HEADS_PER_REQUEST) {
		const body: SyncHeadsRequest = { docs: docs.slice(start, start + MAX_HEADS_PER_REQUEST) };
		const { heads } = await parseJson(await request('POST', '/api/sync/heads', body), syncHeadsResponseSchema);
		for (const [docName, head] of Object.entries(heads)) all.set(docName as DocName, head);
	}
	return all;
}

/** H6, L5: the read-only part of the tenant a scoped person's grant covers. */
export async function fetchScopedView(): Promise<ScopedView> {
	return parseJson(await request('GET', '/api/view'), scopedViewSchema);
}

/** P9: the tenant's settings (the trusted addresses only for settings.edit). */
export async function fetchSettings(): Promise<SettingsResponse> {
	return parseJson(await request('GET', '/api/settings'), settingsResponseSchema);
}

export async function patchSettings(patch: TenantSettingsPatch): Promise<SettingsResponse> {
	return parseJson(await request('PATCH', '/api/settings', patch), settingsResponseSchema);
}

/** P18: the lock screen's password; `renewed` when the server issued a new session (the old one had ended). */
export async function unlockSession(input: UnlockRequest): Promise<{ renewed: boolean }> {
	return parseJson(await request('POST', '/api/session/unlock', input), unlockResponseSchema);
}

/** P18: the person is at work: the server's session slides. */
export async function keepSessionAlive(): Promise<void> {
	await request('POST', '/api/session/keep-alive');
}

/** S115: the signed-in person's own language (null: follow the browser). */
export async function patchPreferences(patch: PreferencesPatch): Promise<Preferences> {
	return parseJson(await request('PATCH', '/api/me/preferences', patch), preferencesSchema);
}
