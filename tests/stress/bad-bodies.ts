// fast-check arbitraries of bad request bodies for every JSON POST/PATCH/PUT route of server/src/http (S153): random
// JSON, wrong types, huge arrays, deep nesting, prototype-pollution keys, text that is not JSON, the wrong content type,
// bodies above the size cap. And (S154) fuzzed bytes for the batched catch-up codec (`decodeBatchRequest`), which
// `POST /api/sync/batch` reads.
import fc from 'fast-check';
import { encodeBatchRequest, type BatchRequestEntry } from '../../src/lib/data/sync/batch';
import { MAX_BODY_BYTES } from '../../server/src/http/body';

export interface RouteIds {
	/** Another person of the worker's tenant (path parameter of the users routes; never the signed-in owner). */
	readonly memberId: string;
	readonly customerId: string;
	readonly tenantId: string;
}

export interface JsonRoute {
	readonly method: 'POST' | 'PATCH' | 'PUT';
	readonly path: string;
	/** What the request carries: the owner's session cookie, the integration token, or nothing. */
	readonly auth: 'session' | 'token' | 'none';
	/** A body of the right shape (not necessarily one the server accepts): the base that wrong types and pollution alter. */
	readonly template: Readonly<Record<string, unknown>>;
}

/** Every route that reads a JSON body with `readJsonBody` (server/src/http/*); ids in paths are the worker's own. */
export function jsonRoutes(ids: RouteIds): JsonRoute[] {
	const password = 'not the password 1';
	const token = 'A'.repeat(43);
	return [
		{
			method: 'POST',
			path: '/api/setup',
			auth: 'none',
			template: { token: 't'.repeat(20), email: 'new@fuzz.example', password, tenantName: 'Fuzz' }
		},
		// Another account than the owner's, so that failed sign-ins slow down only that one (S51).
		{ method: 'POST', path: '/api/session', auth: 'none', template: { email: 'victim@fuzz.example', password } },
		{ method: 'POST', path: '/api/sync/heads', auth: 'session', template: { docs: [`tenant:${ids.tenantId}`] } },
		{ method: 'POST', path: '/api/commands', auth: 'session', template: { commands: [{ type: 'fuzz' }] } },
		{ method: 'POST', path: '/api/integrations/tokens', auth: 'session', template: { name: 'Fuzz token' } },
		// An unknown connector: even with pollution keys added this never reaches a vendor.
		{
			method: 'POST',
			path: '/api/licenses/accounts',
			auth: 'session',
			template: { connector: 'fuzz', url: 'http://127.0.0.1:9/', token: 't' }
		},
		{ method: 'PATCH', path: '/api/me/preferences', auth: 'session', template: { locale: 'xx' } },
		{ method: 'POST', path: '/api/session/unlock', auth: 'session', template: { userId: ids.memberId, password } },
		{ method: 'PATCH', path: '/api/settings', auth: 'session', template: { sessionTimeoutMinutes: -1 } },
		{
			method: 'POST',
			path: '/api/templates',
			auth: 'session',
			template: { name: 'T', kind: 'fuzz', locale: 'en', subject: 'S', body: 'B' }
		},
		{ method: 'PUT', path: '/api/templates/t-none', auth: 'session', template: { name: 'T', subject: 'S', body: 'B' } },
		{
			method: 'PUT',
			path: '/api/template-defaults',
			auth: 'session',
			template: { kind: 'fuzz', locale: 'en', templateId: null }
		},
		{
			method: 'POST',
			path: '/api/users/invitations',
			auth: 'session',
			template: { email: 'not-an-email', role: 'readOnly', grants: [{ scope: 'tenant' }] }
		},
		{ method: 'POST', path: '/api/invitations/accept', auth: 'none', template: { token, password } },
		{ method: 'POST', path: `/api/customers/${ids.customerId}/setup`, auth: 'session', template: { email: 'x' } },
		{ method: 'PATCH', path: `/api/users/${ids.memberId}`, auth: 'session', template: { role: 'nobody' } },
		{ method: 'POST', path: '/api/password-resets/accept', auth: 'none', template: { token, password } },
		{ method: 'POST', path: '/api/tenant/owner', auth: 'session', template: { userId: 'nobody' } },
		{ method: 'PUT', path: '/api/roles/r-fuzz', auth: 'session', template: { name: '', permissions: ['fuzz'] } },
		{ method: 'POST', path: '/api/v1/jobs', auth: 'token', template: { items: [{ fuzz: true }] } },
		{ method: 'POST', path: '/api/v1/service-requests', auth: 'token', template: { items: [{ fuzz: true }] } },
		{ method: 'POST', path: '/api/v1/backup-requests/b-none', auth: 'token', template: { status: 'fuzz' } }
	];
}

export interface BodyCase {
	readonly kind: string;
	readonly route: number;
	readonly contentType: string;
	readonly body: string;
	/** True when any answer but a 4xx is wrong: the body is invalid by construction. */
	readonly must4xx: boolean;
}

/** A JSON value of another type than `value`'s. */
function otherType(value: unknown): fc.Arbitrary<unknown> {
	const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
	const options: Array<[string, fc.Arbitrary<unknown>]> = [
		['number', fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))],
		['string', fc.string({ maxLength: 20 })],
		['boolean', fc.boolean()],
		['array', fc.array(fc.integer(), { maxLength: 4 })],
		['object', fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 3 })]
	];
	return fc.oneof(...options.filter(([k]) => k !== kind).map(([, arb]) => arb));
}

const POLLUTION = [
	'"__proto__":{"polluted":"yes","isAdmin":true,"role":"superAdmin"}',
	'"constructor":{"prototype":{"polluted":"yes"}}',
	'"prototype":{"polluted":"yes"}'
];

function withKeys(template: Readonly<Record<string, unknown>>, extra: readonly string[]): string {
	const inner = JSON.stringify(template).slice(1, -1);
	return `{${[inner, ...extra].filter((part) => part !== '').join(',')}}`;
}

function nestedText(depth: number, object: boolean): string {
	return object ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

const JSON_TYPE = 'application/json';
/** Routes whose body cap is above `MAX_BODY_BYTES` (S32's heads, P4's ingest). */
const LARGE_BODY_ROUTES = ['/api/sync/heads', '/api/v1/'];

/** One bad body for one of `routes`. */
export function bodyCase(routes: readonly JsonRoute[]): fc.Arbitrary<BodyCase> {
	return fc.integer({ min: 0, max: routes.length - 1 }).chain((route) => {
		const template = routes[route]!.template;
		const fields = Object.keys(template);
		const wrongType = fc
			.constantFrom(...fields)
			.chain((field) => otherType(template[field]).map((value) => JSON.stringify({ ...template, [field]: value })));
		const hugeArray = fc
			.tuple(fc.constantFrom(...fields, '(top)'), fc.integer({ min: 1_000, max: 40_000 }))
			.map(([field, n]) => {
				const array = new Array<number>(n).fill(0);
				return JSON.stringify(field === '(top)' ? array : { ...template, [field]: array });
			});
		const cases: Array<fc.Arbitrary<Omit<BodyCase, 'route'>>> = [
			fc.jsonValue({ maxDepth: 4 }).map((v) => ({
				kind: 'randomJson',
				contentType: JSON_TYPE,
				body: JSON.stringify(v),
				must4xx: false
			})),
			wrongType.map((body) => ({ kind: 'wrongType', contentType: JSON_TYPE, body, must4xx: true })),
			hugeArray.map((body) => ({ kind: 'hugeArray', contentType: JSON_TYPE, body, must4xx: false })),
			fc
				.subarray(POLLUTION, { minLength: 1 })
				.map((keys) => ({ kind: 'pollution', contentType: JSON_TYPE, body: withKeys(template, keys), must4xx: false })),
			fc.tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean()).map(([depth, object]) => ({
				kind: 'deep',
				contentType: JSON_TYPE,
				body: nestedText(depth, object),
				must4xx: true
			})),
			fc
				.oneof(
					fc.string({ maxLength: 40 }),
					fc.constantFrom('{', '{"a":1', "{'a':1}", 'NaN', '[1,]', '\u0000', '{"a":1}}')
				)
				.filter((text) => {
					try {
						JSON.parse(text);
						return false;
					} catch {
						return true;
					}
				})
				.map((body) => ({ kind: 'notJson', contentType: JSON_TYPE, body, must4xx: true })),
			fc
				.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '')
				.map((contentType) => ({
					kind: 'contentType',
					contentType,
					body: JSON.stringify(template),
					must4xx: true
				})),
			// Above the 64 KiB cap of most routes; the catch-up's heads and the integrations take 2 MiB (then it is a body
			// with an unknown key, which those that strip unknown keys may accept).
			fc.integer({ min: MAX_BODY_BYTES + 1, max: 4 * MAX_BODY_BYTES }).map((size) => ({
				kind: 'oversized',
				contentType: JSON_TYPE,
				body: JSON.stringify({ ...template, pad: 'x'.repeat(size) }),
				must4xx: !LARGE_BODY_ROUTES.some((prefix) => routes[route]!.path.startsWith(prefix))
			}))
		];
		return fc.oneof(...cases).map((c) => ({ ...c, route }));
	});
}

/** A batch request that `encodeBatchRequest` writes (names valid; state vectors and updates any bytes). */
const validEntries: fc.Arbitrary<BatchRequestEntry[]> = fc.uniqueArray(
	fc.record({
		docName: fc
			.tuple(fc.constantFrom('tenant', 'customer'), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/))
			.map(([kind, id]) => `${kind}:${id}` as BatchRequestEntry['docName']),
		stateVector: fc.uint8Array({ maxLength: 24 }),
		update: fc.option(fc.uint8Array({ minLength: 1, maxLength: 48 }), { nil: null })
	}),
	{ minLength: 1, maxLength: 8, selector: (entry) => entry.docName }
);

export type BatchCase =
	| { readonly kind: 'roundTrip'; readonly entries: BatchRequestEntry[] }
	| { readonly kind: string; readonly bytes: Uint8Array };

export const batchCase: fc.Arbitrary<BatchCase> = fc.oneof(
	validEntries.map((entries) => ({ kind: 'roundTrip' as const, entries })),
	fc.uint8Array({ maxLength: 96 }).map((bytes) => ({ kind: 'randomBytes', bytes })),
	validEntries.chain((entries) => {
		const bytes = encodeBatchRequest(entries);
		return fc
			.integer({ min: 0, max: bytes.byteLength - 1 })
			.map((cut) => ({ kind: 'truncated', bytes: bytes.slice(0, cut) }));
	}),
	fc.tuple(validEntries, fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([entries, extra]) => ({
		kind: 'trailing',
		bytes: Uint8Array.from([...encodeBatchRequest(entries), ...extra])
	})),
	validEntries.chain((entries) => {
		const bytes = encodeBatchRequest(entries);
		return fc
			.tuple(fc.integer({ min: 0, max: bytes.byteLength - 1 }), fc.integer({ min: 0, max: 255 }))
			.map(([at, value]) => {
				const flipped = bytes.slice();
				flipped[at] = value;
				return { kind: 'flipped', bytes: flipped };
			});
	}),
	fc
		.tuple(fc.nat({ max: 2 ** 53 - 1 }), fc.nat({ max: 2 ** 53 - 1 }))
		.map(([version, count]) => ({ kind: 'absurdHeader', bytes: encodeHeader(version, count) }))
);

function encodeHeader(version: number, count: number): Uint8Array {
	const out: number[] = [];
	for (const n of [version, count]) {
		let v = n;
		while (v > 0x7f) {
			out.push(0x80 | (v % 0x80));
			v = Math.floor(v / 0x80);
		}
		out.push(v);
	}
	return Uint8Array.from(out);
}
