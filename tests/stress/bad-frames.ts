// fast-check arbitraries of bad websocket frames for the relay (S152): malformed frames (truncated, trailing bytes, unknown
// message types, garbage payloads, text frames), oversized frames, awareness garbage, absurd state vectors, and
// well-formed Yjs updates with bad content (wrong types in records, huge strings, deep nesting, bigint and binary values
// (S34), shared types and subdocuments where plain values belong, invalid ids, unknown top-level types, content of the
// wrong shape, several values in one map entry (S38), floods of invalid items (S36)). Each case says which answers are
// right for it; tests/stress/input.ts sends them and checks.
import fc from 'fast-check';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import {
	MESSAGE_AWARENESS,
	MESSAGE_SYNC,
	SYNC_STEP_1,
	SYNC_STEP_2,
	SYNC_UPDATE
} from '../../src/lib/data/sync/protocol';

/** How the relay may answer a case: closed with a code, or handled (acked) with or without a rejected notice (S24). */
export type Answer = 'closed:4400' | 'closed:4403' | 'closed:4413' | 'closed:1013' | 'rejected' | 'handled';

export interface FrameCase {
	readonly kind: string;
	readonly target: 'tenant' | 'customer';
	/** The frame to send; a string is sent as a text frame. */
	readonly frame: Uint8Array | string;
	readonly allowed: readonly Answer[];
}

export interface DocNameCase {
	readonly kind: 'docName';
	/** The raw path segment after /sync/. */
	readonly name: string;
	readonly allowed: readonly Answer[];
}

/** The limits the bad-input run gives the relay: small caps, so that oversized cases cost kilobytes, not megabytes. */
export const FUZZ_LIMITS = { maxFrameBytes: 128 * 1024, maxAwarenessBytes: 16 * 1024 } as const;

/** What the case builders read: the stored starting state of the worker's documents and the ids in them. */
export interface Baseline {
	readonly tenant: Uint8Array;
	readonly customer: Uint8Array;
	readonly mspId: string;
	readonly customerId: string;
}

function message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, type);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

const syncMessage = (subType: number, payload: Uint8Array): Uint8Array =>
	message(MESSAGE_SYNC, (e) => {
		encoding.writeVarUint(e, subType);
		encoding.writeVarUint8Array(e, payload);
	});

const awarenessMessage = (payload: Uint8Array): Uint8Array =>
	message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, payload));

/** An awareness update: per entry a client id, a clock and a state string (JSON, or not). */
function awarenessPayload(entries: ReadonlyArray<{ client: number; clock: number; state: string }>, count?: number) {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, count ?? entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.client);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, entry.state);
	}
	return encoding.toUint8Array(encoder);
}

function stateVector(entries: ReadonlyArray<{ client: number; clock: number }>, count?: number): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, count ?? entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.client);
		encoding.writeVarUint(encoder, entry.clock);
	}
	return encoding.toUint8Array(encoder);
}

/** A well-formed frame of every kind a client sends (the raw material of truncation and trailing bytes). */
const validFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
	fc
		.array(fc.record({ client: fc.nat(), clock: fc.nat() }), { maxLength: 6 })
		.map((entries) => syncMessage(SYNC_STEP_1, stateVector(entries))),
	fc.string({ minLength: 1, maxLength: 40 }).map((text) => {
		const doc = new Y.Doc();
		doc.getMap('meta').set('x', text);
		return syncMessage(SYNC_UPDATE, Y.encodeStateAsUpdate(doc));
	}),
	fc
		.record({ client: fc.nat(), clock: fc.nat(), name: fc.string({ maxLength: 30 }) })
		.map((e) => awarenessMessage(awarenessPayload([{ ...e, state: JSON.stringify({ user: { name: e.name } }) }]))),
	fc.constant(message(3, () => undefined))
);

const CLOSED_MALFORMED: readonly Answer[] = ['closed:4400'];

/** A JSON string that does not parse. */
const notJson = fc.oneof(
	fc.constantFrom('{', '{"a":', '[1,2', 'undefined', 'NaN', "{'a':1}", '{"a":1}}', ''),
	fc.string({ maxLength: 20 }).map((s) => `{${s}`)
);

/** Deeply nested plain arrays: [[[…0…]]]. */
function nested(depth: number): unknown {
	let value: unknown = 0;
	for (let i = 0; i < depth; i++) value = [value];
	return value;
}

export type BadValue =
	| { readonly plain: unknown }
	| { readonly shared: 'map' | 'array' | 'text' | 'xml' | 'subdoc' }
	| { readonly binary: Uint8Array };

/** A value that no record field takes: wrong JSON types are added where a field needs them (see `wrongType`). */
const exotic: fc.Arbitrary<BadValue> = fc.oneof(
	fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((plain) => ({ plain })),
	fc.uint8Array({ maxLength: 64 }).map((binary) => ({ binary })),
	fc.integer({ min: 5_000, max: 60_000 }).map((n) => ({ plain: 'x'.repeat(n) })),
	fc.integer({ min: 50, max: 3_000 }).map((depth) => ({ plain: nested(depth) })),
	fc.constantFrom<unknown>(undefined, Number.NaN, Infinity, -Infinity).map((plain) => ({ plain })),
	fc
		.constantFrom('{"__proto__":{"polluted":true},"a":1}', '{"constructor":{"prototype":{"polluted":true}}}')
		.map((text) => ({ plain: JSON.parse(text) as unknown })),
	fc.constantFrom('map', 'array', 'text', 'xml', 'subdoc').map((shared) => ({ shared }) as BadValue)
);

/** Values of a JSON type other than string (and not null, which some fields take). */
const notString: fc.Arbitrary<BadValue> = fc
	.oneof(
		fc.integer(),
		fc.double({ noNaN: true }),
		fc.boolean(),
		fc.array(fc.integer(), { maxLength: 5 }),
		fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 4 })
	)
	.map((plain) => ({ plain }));

/** Field names a tree node does not have, prototype names among them. */
const unknownField = fc.oneof(
	fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'isAdmin', 'role'),
	fc.string({ minLength: 1, maxLength: 12 }).map((s) => `x-${s}`)
);

/** Keys that are not entity ids (S34's invalid ids): empty, too long, with path characters or spaces, prototype names. */
const invalidId = fc.oneof(
	fc.constantFrom('', 'a'.repeat(65), '../etc/passwd', 'has space', 'ünïcödé', '__proto__', 'a/b', 'a.b', '\u0000'),
	fc.string({ minLength: 1, maxLength: 10 }).map((s) => `${s}!`)
);

export type ContentOp =
	| {
			readonly op: 'nodeField';
			readonly node: 'msp' | 'customer' | 'new';
			readonly field: string;
			readonly value: BadValue;
	  }
	| { readonly op: 'nodeRecord'; readonly key: string; readonly value: BadValue | 'validMap' }
	| { readonly op: 'license'; readonly key: string; readonly value: BadValue }
	| { readonly op: 'meta'; readonly key: string; readonly value: BadValue }
	| { readonly op: 'several'; readonly values: readonly unknown[] }
	| {
			readonly op: 'unknownRoot';
			readonly name: string;
			readonly type: 'map' | 'array' | 'text';
			readonly value: BadValue;
	  }
	| { readonly op: 'wrongShape'; readonly root: string; readonly value: BadValue }
	| { readonly op: 'note'; readonly value: BadValue | { readonly field: string; readonly value: BadValue } }
	| {
			readonly op: 'contact';
			readonly key: string;
			readonly value: BadValue | { readonly field: string; readonly value: BadValue };
	  }
	| { readonly op: 'flood'; readonly count: number };

const nodeField: fc.Arbitrary<ContentOp> = fc.oneof(
	fc.record({
		op: fc.constant('nodeField' as const),
		node: fc.constantFrom('msp' as const, 'customer' as const, 'new' as const),
		field: fc.constantFrom('name', 'kind', 'parentId'),
		value: fc.oneof(exotic, notString)
	}),
	fc.record({
		op: fc.constant('nodeField' as const),
		node: fc.constantFrom('msp' as const, 'customer' as const, 'new' as const),
		field: unknownField,
		value: fc.oneof(
			exotic,
			notString,
			fc.constant({ plain: null }),
			fc.string().map((plain) => ({ plain }))
		)
	})
);

const tenantOp: fc.Arbitrary<ContentOp> = fc.oneof(
	nodeField,
	fc.oneof(
		fc.record({ op: fc.constant('nodeRecord' as const), key: invalidId, value: fc.constant('validMap' as const) }),
		fc.record({
			op: fc.constant('nodeRecord' as const),
			key: fc.oneof(invalidId, fc.constant('n-new')),
			value: fc.oneof(exotic, notString)
		})
	),
	fc.record({
		op: fc.constant('license' as const),
		key: fc.oneof(invalidId, fc.constant('lic-1')),
		value: fc.oneof(exotic, notString, fc.constant({ plain: null }))
	}),
	fc.oneof(
		fc.record({ op: fc.constant('meta' as const), key: fc.constant('tenantName'), value: fc.oneof(exotic, notString) }),
		fc.record({
			op: fc.constant('meta' as const),
			key: unknownField,
			value: fc.oneof(
				exotic,
				notString,
				fc.string().map((plain) => ({ plain }))
			)
		})
	),
	fc.record({
		op: fc.constant('several' as const),
		values: fc.array(fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 20 })), { minLength: 1, maxLength: 4 })
	}),
	fc.record({
		op: fc.constant('unknownRoot' as const),
		name: fc.string({ minLength: 1, maxLength: 12 }).map((s) => `x-${s}`),
		type: fc.constantFrom('map' as const, 'array' as const, 'text' as const),
		value: fc.oneof(
			exotic,
			notString,
			fc.string({ minLength: 1 }).map((plain) => ({ plain }))
		)
	}),
	fc.record({
		op: fc.constant('wrongShape' as const),
		root: fc.constantFrom('nodes', 'licenses', 'meta', 'pools', 'accounts'),
		value: fc.oneof(exotic, notString)
	}),
	fc.record({ op: fc.constant('flood' as const), count: fc.integer({ min: 1_001, max: 1_400 }) })
);

const noteFields = fc.constantFrom('id', 'text', 'author', 'at');

const customerOp: fc.Arbitrary<ContentOp> = fc.oneof(
	fc.record({
		op: fc.constant('note' as const),
		value: fc.oneof(exotic, notString, fc.record({ field: noteFields, value: fc.oneof(exotic, notString) }))
	}),
	fc.record({
		op: fc.constant('contact' as const),
		key: fc.oneof(invalidId, fc.constant('c-new')),
		value: fc.oneof(
			exotic,
			notString,
			fc.record({ field: fc.constantFrom('name', 'role', 'email', 'phone', 'id'), value: fc.oneof(exotic, notString) })
		)
	}),
	fc.record({
		op: fc.constant('unknownRoot' as const),
		name: fc.string({ minLength: 1, maxLength: 12 }).map((s) => `x-${s}`),
		type: fc.constantFrom('map' as const, 'array' as const, 'text' as const),
		value: fc.oneof(exotic, notString)
	}),
	fc.record({
		op: fc.constant('wrongShape' as const),
		root: fc.constantFrom('notes', 'contacts'),
		value: fc.oneof(exotic, notString)
	}),
	fc.record({ op: fc.constant('flood' as const), count: fc.integer({ min: 1_001, max: 1_400 }) })
);

/** Builds `value` for one use in `doc` (a shared type or subdocument cannot be reused). */
function materialize(value: BadValue): unknown {
	if ('binary' in value) return value.binary;
	if ('plain' in value) return value.plain;
	switch (value.shared) {
		case 'map': {
			const map = new Y.Map<unknown>();
			map.set('name', 'inside');
			return map;
		}
		case 'array':
			return Y.Array.from(['inside']);
		case 'text':
			return new Y.Text('inside');
		case 'xml':
			return new Y.XmlFragment();
		case 'subdoc':
			return new Y.Doc();
	}
}

/** Writes a map entry whose one item holds several values (Yjs reads only the last), as a modified client can (S38). */
function setSeveral(doc: Y.Doc, map: Y.Map<unknown>, key: string, values: readonly unknown[]): void {
	doc.transact((transaction) => {
		const left = map._map.get(key) ?? null;
		const id = Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID));
		new Y.Item(id, left, left?.lastId ?? null, null, null, map, key, new Y.ContentAny([...values])).integrate(
			transaction,
			0
		);
	});
}

/**
 * Writes `value` as a modified client can: plain values as one `ContentAny` item (the Yjs API refuses bigint and a few
 * others, the wire format does not), shared types, binary and subdocuments through the API.
 */
function put(doc: Y.Doc, map: Y.Map<unknown>, key: string, value: BadValue): void {
	if ('plain' in value) setSeveral(doc, map, key, [value.plain]);
	else map.set(key, materialize(value));
}

function push(doc: Y.Doc, array: Y.Array<unknown>, value: BadValue): void {
	if (!('plain' in value)) return array.push([materialize(value)]);
	doc.transact((transaction) => {
		let left = array._start;
		while (left?.right) left = left.right;
		const id = Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID));
		new Y.Item(id, left, left?.lastId ?? null, null, null, array, null, new Y.ContentAny([value.plain])).integrate(
			transaction,
			0
		);
	});
}

function validNode(baseline: Baseline): Y.Map<unknown> {
	const node = new Y.Map<unknown>();
	node.set('kind', 'customer');
	node.set('name', 'Fuzzed customer');
	node.set('parentId', baseline.mspId);
	return node;
}

function applyTenantOp(doc: Y.Doc, op: ContentOp, baseline: Baseline): void {
	const nodes = doc.getMap<unknown>('nodes');
	switch (op.op) {
		case 'nodeField': {
			let node: Y.Map<unknown>;
			if (op.node === 'new') {
				node = validNode(baseline);
				nodes.set('n-fuzz', node);
			} else node = nodes.get(op.node === 'msp' ? baseline.mspId : baseline.customerId) as Y.Map<unknown>;
			put(doc, node, op.field, op.value);
			return;
		}
		case 'nodeRecord':
			if (op.value === 'validMap') nodes.set(op.key, validNode(baseline));
			else put(doc, nodes, op.key, op.value);
			return;
		case 'license':
			put(doc, doc.getMap('licenses'), op.key, op.value);
			return;
		case 'meta':
			put(doc, doc.getMap('meta'), op.key, op.value);
			return;
		case 'several':
			// Earlier values that are not a valid name, then a valid one last: the last valid state must stay (S38).
			setSeveral(doc, doc.getMap('meta'), 'tenantName', [...op.values, 'Renamed By Several']);
			return;
		case 'flood': {
			const meta = doc.getMap('meta');
			for (let i = 0; i < op.count; i++) meta.set(`flood-${i}`, i);
			return;
		}
		default:
			applyCommonOp(doc, op);
	}
}

function applyCommonOp(doc: Y.Doc, op: ContentOp): void {
	if (op.op === 'unknownRoot') {
		if (op.type === 'map') put(doc, doc.getMap(op.name), 'k', op.value);
		else if (op.type === 'array') push(doc, doc.getArray(op.name), op.value);
		else {
			const value = 'plain' in op.value ? op.value.plain : null;
			doc.getText(op.name).insert(0, typeof value === 'string' ? value : 'text');
		}
	}
}

function applyCustomerOp(doc: Y.Doc, op: ContentOp): void {
	switch (op.op) {
		case 'note': {
			const notes = doc.getArray<unknown>('notes');
			if ('field' in op.value) {
				const field = op.value.value;
				// A note is a plain object: a shared type or binary inside it goes in as the plain value Yjs would carry.
				const note: Record<string, unknown> = {
					id: 'n-fuzz',
					text: 'fuzzed',
					author: 'x',
					at: '2030-01-01T00:00:00.000Z'
				};
				note[op.value.field] =
					'plain' in field ? field.plain : 'binary' in field ? field.binary : { shared: field.shared };
				push(doc, notes, { plain: note });
			} else push(doc, notes, op.value);
			return;
		}
		case 'contact': {
			const contacts = doc.getMap<unknown>('contacts');
			if ('field' in op.value) {
				const contact = new Y.Map<unknown>();
				contact.set('id', op.key);
				contact.set('name', 'Fuzzed Contact');
				contact.set('role', '');
				contact.set('email', '');
				contact.set('phone', '');
				contacts.set(op.key, contact);
				put(doc, contact, op.value.field, op.value.value);
			} else put(doc, contacts, op.key, op.value);
			return;
		}
		case 'flood': {
			const notes = doc.getArray<unknown>('notes');
			for (let i = 0; i < op.count; i++) notes.push([i]);
			return;
		}
		default:
			applyCommonOp(doc, op);
	}
}

/** The update `op` makes on top of the stored state (a fresh Yjs client each time), or, for a wrong shape, from nothing. */
export function badUpdate(target: 'tenant' | 'customer', op: ContentOp, baseline: Baseline): Uint8Array {
	const doc = new Y.Doc();
	if (op.op === 'wrongShape') {
		// List content under a map root (or map entries under a list root): built in a document that never saw the root.
		if (op.root === 'notes') put(doc, doc.getMap(op.root), 'k', op.value);
		else push(doc, doc.getArray(op.root), op.value);
		return Y.encodeStateAsUpdate(doc);
	}
	Y.applyUpdate(doc, target === 'tenant' ? baseline.tenant : baseline.customer);
	const before = Y.encodeStateVector(doc);
	if (target === 'tenant') applyTenantOp(doc, op, baseline);
	else applyCustomerOp(doc, op);
	return Y.encodeStateAsUpdate(doc, before);
}

export type FrameCaseSpec =
	| {
			readonly kind: 'content';
			readonly target: 'tenant' | 'customer';
			readonly op: ContentOp;
			readonly step2: boolean;
	  }
	| (Omit<FrameCase, 'target'> & { readonly target?: 'tenant' | 'customer' });

/** Every bad frame but the content ones needs no document state; those are built by `frameCase` from the baseline. */
const anyFrameCaseSpec: fc.Arbitrary<FrameCaseSpec> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.record({
			kind: fc.constant('content' as const),
			target: fc.constant('tenant' as const),
			op: tenantOp,
			step2: fc.boolean()
		})
	},
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('content' as const),
			target: fc.constant('customer' as const),
			op: customerOp,
			step2: fc.boolean()
		})
	},
	validFrame.chain((frame) =>
		fc.integer({ min: 0, max: frame.byteLength - 1 }).map((cut) => ({
			kind: 'truncated',
			frame: frame.slice(0, cut),
			allowed: CLOSED_MALFORMED
		}))
	),
	fc.tuple(validFrame, fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([frame, extra]) => ({
		kind: 'trailing',
		frame: Uint8Array.from([...frame, ...extra]),
		allowed: CLOSED_MALFORMED
	})),
	fc
		.tuple(
			fc.oneof(fc.integer({ min: 4, max: 99 }), fc.integer({ min: 102, max: 2 ** 31 }), fc.constant(2)),
			fc.uint8Array({ maxLength: 32 })
		)
		.map(([type, body]) => ({
			kind: 'unknownType',
			frame: Uint8Array.from([...message(type, () => undefined), ...body]),
			allowed: CLOSED_MALFORMED
		})),
	fc.tuple(fc.integer({ min: 3, max: 2 ** 20 }), fc.uint8Array({ maxLength: 32 })).map(([subType, body]) => ({
		kind: 'unknownSyncType',
		frame: syncMessage(subType, body),
		allowed: CLOSED_MALFORMED
	})),
	// The server's own messages (ack, rejected notice) are not the client's to send.
	fc
		.constantFrom(100, 101)
		.map((type) => ({ kind: 'serverType', frame: message(type, () => undefined), allowed: CLOSED_MALFORMED })),
	fc
		.tuple(fc.constantFrom(SYNC_STEP_2, SYNC_UPDATE), fc.uint8Array({ minLength: 1, maxLength: 64 }))
		.filter(([, garbage]) => {
			try {
				Y.decodeUpdate(garbage);
				return false;
			} catch {
				return true;
			}
		})
		.map(([subType, garbage]) => ({
			kind: 'garbageUpdate',
			frame: syncMessage(subType, garbage),
			allowed: CLOSED_MALFORMED
		})),
	fc.integer({ min: FUZZ_LIMITS.maxFrameBytes + 1, max: FUZZ_LIMITS.maxFrameBytes * 2 }).map((size) => {
		const doc = new Y.Doc();
		doc.getMap('meta').set('big', 'x'.repeat(size));
		return {
			kind: 'oversized',
			frame: syncMessage(SYNC_UPDATE, Y.encodeStateAsUpdate(doc)),
			allowed: ['closed:4413'] as const
		};
	}),
	fc
		.oneof(
			fc
				.array(fc.record({ client: fc.nat(), clock: fc.nat(), state: notJson }), { minLength: 1, maxLength: 4 })
				.map((entries) => awarenessMessage(awarenessPayload(entries))),
			fc
				.array(fc.record({ client: fc.nat(), clock: fc.nat(), state: fc.constant('null') }), { maxLength: 3 })
				.chain((entries) =>
					fc
						.integer({ min: entries.length + 1, max: 2 ** 30 })
						.map((count) => awarenessMessage(awarenessPayload(entries, count)))
				)
		)
		.map((frame) => ({ kind: 'awarenessGarbage', frame, allowed: CLOSED_MALFORMED })),
	// Random awareness bytes: a few decode (an empty update, say) and are handled; the rest are malformed.
	fc.uint8Array({ minLength: 1, maxLength: 32 }).map((bytes) => ({
		kind: 'awarenessRandom',
		frame: awarenessMessage(bytes),
		allowed: ['closed:4400', 'handled'] as const
	})),
	fc.integer({ min: FUZZ_LIMITS.maxAwarenessBytes, max: FUZZ_LIMITS.maxAwarenessBytes * 4 }).map((size) => ({
		kind: 'awarenessTooLarge',
		frame: awarenessMessage(
			awarenessPayload([{ client: 1, clock: 1, state: JSON.stringify({ user: 'x'.repeat(size) }) }])
		),
		allowed: ['closed:4413'] as const
	})),
	// Well-formed awareness with odd JSON states: presence is free-form, so it is relayed (S13) and the document untouched.
	fc
		.array(
			fc.record({
				client: fc.nat(),
				clock: fc.nat(),
				state: fc.oneof(
					fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
					fc.integer({ min: 10, max: 1_000 }).map((d) => JSON.stringify(nested(d))),
					fc.constant('{"__proto__":{"polluted":true}}')
				)
			}),
			{ minLength: 1, maxLength: 3 }
		)
		.map((entries) => ({
			kind: 'awarenessOdd',
			frame: awarenessMessage(awarenessPayload(entries)),
			allowed: ['handled', 'closed:4413'] as const
		})),
	// Sync step 1 with absurd but well-formed state vectors (huge clocks, many clients): answered like any other.
	fc
		.array(fc.record({ client: fc.nat({ max: 2 ** 53 - 1 }), clock: fc.nat({ max: 2 ** 53 - 1 }) }), {
			maxLength: 2_000
		})
		.map((entries) => ({
			kind: 'absurdStateVector',
			frame: syncMessage(SYNC_STEP_1, stateVector(entries)),
			allowed: ['handled'] as const
		})),
	fc
		.tuple(
			fc.array(fc.record({ client: fc.nat(), clock: fc.nat() }), { maxLength: 4 }),
			fc.integer({ min: 5, max: 2 ** 30 })
		)
		.map(([entries, count]) => ({
			kind: 'truncatedStateVector',
			frame: syncMessage(SYNC_STEP_1, stateVector(entries, entries.length + count)),
			allowed: CLOSED_MALFORMED
		})),
	fc.string({ maxLength: 64 }).map((text) => ({ kind: 'textFrame', frame: text, allowed: CLOSED_MALFORMED })),
	// Random bytes: mostly malformed; the few that happen to be well-formed are handled like any frame.
	fc.uint8Array({ minLength: 0, maxLength: 48 }).map((frame) => ({
		kind: 'randomBytes',
		frame,
		allowed: ['closed:4400', 'closed:4413', 'handled', 'rejected'] as const
	}))
);

/** A bad frame and the document (of the worker's tenant) it is sent to. */
export const frameCaseSpec: fc.Arbitrary<FrameCaseSpec> = fc
	.tuple(anyFrameCaseSpec, fc.constantFrom('tenant' as const, 'customer' as const))
	.map(([spec, target]) => ('op' in spec ? spec : { ...spec, target }));

/** Document names that are not ours to open (S1, S40): malformed, another tenant's, a customer nobody has. */
export const docNameCase: fc.Arbitrary<DocNameCase> = fc.oneof(
	fc
		.oneof(
			fc.string({ maxLength: 30 }),
			fc.constantFrom(
				'tenant:',
				'customer:',
				'tenant:a b',
				'tenant:../x',
				'x:y',
				'tenant:' + 'a'.repeat(65),
				'%00',
				'%E0%A4%A'
			)
		)
		.filter((name) => !/^(tenant|customer):[A-Za-z0-9_-]{1,64}$/.test(name))
		.map((name) => ({ kind: 'docName' as const, name: encodeURIComponent(name), allowed: ['closed:4400'] as const })),
	fc
		.constantFrom('%E0%A4%A', '%', 'tenant%3A%ZZ')
		.map((name) => ({ kind: 'docName' as const, name, allowed: ['closed:4400'] as const })),
	fc
		.stringMatching(/^[a-z0-9]{1,20}$/)
		.map((id) => ({ kind: 'docName' as const, name: `tenant:other-${id}`, allowed: ['closed:4403'] as const })),
	fc
		.stringMatching(/^[a-z0-9]{1,20}$/)
		.map((id) => ({ kind: 'docName' as const, name: `customer:nobody-${id}`, allowed: ['closed:1013'] as const }))
);

/** A spec made concrete against the worker's documents. */
export function frameCase(spec: FrameCaseSpec, baseline: Baseline): FrameCase {
	if (spec.kind === 'content' && 'op' in spec) {
		const update = badUpdate(spec.target, spec.op, baseline);
		return {
			kind: `content:${spec.target}:${spec.op.op}`,
			target: spec.target,
			frame: syncMessage(spec.step2 ? SYNC_STEP_2 : SYNC_UPDATE, update),
			// Undone and told (S22, S24); refused whole when there is too much to undo (S36) or it cannot be reviewed (S33).
			// Handled without a notice when the update changed nothing in effect (its values lose to an earlier compensation).
			allowed: spec.op.op === 'flood' ? ['closed:4413'] : ['rejected', 'handled', 'closed:4400', 'closed:4413']
		};
	}
	const plain = spec as Omit<FrameCase, 'target'> & { target?: 'tenant' | 'customer' };
	return { ...plain, target: plain.target ?? 'tenant' };
}
