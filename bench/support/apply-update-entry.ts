// Bundled by bench/cold-open.ts (esbuild) and evaluated in the app's page after a cold open: the baseline, Yjs applying
// the tenant document's bytes to an empty document, with nothing else (no IndexedDB, no observers, no screen).
import * as Y from 'yjs';

function decode(base64: string): Uint8Array {
	const binary = atob(base64);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

(globalThis as unknown as { applyUpdateBench: unknown }).applyUpdateBench = {
	/** Milliseconds of each `Y.applyUpdate` into a new document, the first one cold (as the app's is), then `runs` more. */
	run(base64: string, runs: number): { times: number[]; stateVectorBytes: number } {
		const update = decode(base64);
		const times: number[] = [];
		let stateVectorBytes = 0;
		for (let i = 0; i <= runs; i++) {
			const doc = new Y.Doc();
			const start = performance.now();
			Y.applyUpdate(doc, update);
			times.push(performance.now() - start);
			stateVectorBytes = Y.encodeStateVector(doc).length;
			doc.destroy();
		}
		return { times, stateVectorBytes };
	}
};
