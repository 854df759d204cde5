// H6, L5: the tenant as a scoped person's device holds it: no tenant document, but a local document filled from the
// read-only view the server answers for their grant, cached for offline use and refreshed while online.
import * as Y from 'yjs';
import { scopedViewSchema, type ScopedView } from '../../schema/view';
import { writeScopedView } from '../scoped-view';
import type { ConnectionState } from '../sync/types';

/** What the workspace needs of the tenant's data, from the live tenant document or from a scoped view. */
export interface TenantSource {
	readonly doc: Y.Doc;
	/** Resolves once the local copy (IndexedDB, or the cached view) is in `doc`. */
	readonly whenLoaded: Promise<void>;
	status(): { readonly connection: ConnectionState };
	onStatus(listener: () => void): () => void;
	release(): Promise<void>;
}

/** Where the last view is kept on this device (parsed with zod when read back). */
export const viewStorageKey = (tenantId: string): string => `msp-portal:view:${tenantId}`;
/** While online, the view is asked again this often (the server's tree and licenses change under the person). */
const REFRESH_MS = 5 * 60_000;

export interface ScopedTenantOptions {
	readonly tenantId: string;
	/** Asks the server for the view (GET /api/view); rejects when it cannot be reached. */
	readonly fetchView: () => Promise<ScopedView>;
	readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null;
	/** Called with every view fetched from the server (not with the cached one). */
	readonly onFresh?: (view: ScopedView) => void;
}

export function openScopedTenant(options: ScopedTenantOptions): TenantSource & { refresh(): Promise<void> } {
	const doc = new Y.Doc();
	const listeners = new Set<() => void>();
	let connection: ConnectionState = 'syncing';
	let closed = false;
	const setConnection = (next: ConnectionState): void => {
		if (next === connection) return;
		connection = next;
		for (const listener of [...listeners]) listener();
	};

	const cached = readCached(options.storage, options.tenantId);
	if (cached) writeScopedView(doc, cached);

	async function refresh(): Promise<void> {
		try {
			const view = await options.fetchView();
			if (closed) return;
			writeScopedView(doc, view);
			options.storage?.setItem(viewStorageKey(options.tenantId), JSON.stringify(view));
			setConnection('online');
			options.onFresh?.(view);
		} catch {
			if (!closed) setConnection('offline');
		}
	}

	const whenLoaded = cached ? Promise.resolve() : refresh();
	if (cached) void refresh();
	const timer = setInterval(() => void refresh(), REFRESH_MS);
	const onOnline = (): void => void refresh();
	if (typeof window !== 'undefined') window.addEventListener('online', onOnline);

	return {
		doc,
		whenLoaded,
		status: () => ({ connection }),
		onStatus(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		refresh,
		async release() {
			closed = true;
			clearInterval(timer);
			if (typeof window !== 'undefined') window.removeEventListener('online', onOnline);
			listeners.clear();
			doc.destroy();
		}
	};
}

function readCached(storage: ScopedTenantOptions['storage'], tenantId: string): ScopedView | null {
	const raw = storage?.getItem(viewStorageKey(tenantId));
	if (!raw) return null;
	try {
		const parsed = scopedViewSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}
