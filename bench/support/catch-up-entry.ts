// Bundled by bench/catch-up.ts (esbuild) into one script for a blank same-origin chromium page: the batched catch-up as
// the app runs it (S126: HTTP batches into the one IndexedDB store) and the per-document path it replaced (S28: a websocket
// and a y-indexeddb database per document, three at a time), the baseline it is measured against.
import { createBatchSync } from '../../src/lib/data/device/batch-sync';
import { createCatchUp } from '../../src/lib/data/device/catch-up';
import { idbDocStore } from '../../src/lib/data/device/idb-doc-store';
import { createReplicaSet } from '../../src/lib/data/device/replica-set';
import type { DocName } from '../../src/lib/schema/ids';
import { createLegacyCatchUp } from './legacy-catch-up';
import { openLegacyReplica } from './legacy-replica';

export interface CatchUpRun {
	readonly ms: number;
	readonly done: number;
	readonly failed: number;
}

export interface CatchUpBench {
	signIn(email: string, password: string): Promise<number>;
	batch(docNames: DocName[]): Promise<CatchUpRun>;
	perDocument(docNames: DocName[]): Promise<CatchUpRun>;
}

const bench: CatchUpBench = {
	async signIn(email, password) {
		const response = await fetch('/api/session', {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, password })
		});
		return response.status;
	},
	async batch(docNames) {
		const store = idbDocStore('msp-portal-docs', { migrate: false });
		const catchUp = createCatchUp(
			createBatchSync({ store, fetch: (url, init) => fetch(url, init), pendingStorage: localStorage })
		);
		const start = performance.now();
		const result = await catchUp.run(docNames);
		const ms = performance.now() - start;
		store.close();
		return { ms, done: result.done, failed: result.failed };
	},
	async perDocument(docNames) {
		const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
		const set = createReplicaSet({ serverUrl: `${scheme}//${location.host}/sync` }, openLegacyReplica);
		const catchUp = createLegacyCatchUp(set);
		const start = performance.now();
		const result = await catchUp.run(docNames);
		const ms = performance.now() - start;
		await set.destroy();
		return { ms, done: result.done, failed: result.failed };
	}
};

(globalThis as unknown as { catchUpBench: CatchUpBench }).catchUpBench = bench;
