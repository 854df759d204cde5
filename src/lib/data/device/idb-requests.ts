// Promises over IndexedDB requests and transactions. A transaction stays active while each next request is made in the
// microtask after the previous one succeeded, so `await` inside one transaction is safe (browsers and fake-indexeddb).

export function requested<T>(request: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
	});
}

export function completed(tx: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
		tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
	});
}

/** Runs `work` in one transaction and resolves once it committed; an error in `work` aborts it, so nothing is half written. */
export async function inTransaction<T>(
	db: IDBDatabase,
	stores: string[],
	mode: IDBTransactionMode,
	work: (tx: IDBTransaction) => Promise<T>
): Promise<T> {
	const tx = db.transaction(stores, mode);
	const done = completed(tx);
	let result: T;
	try {
		result = await work(tx);
	} catch (error) {
		try {
			tx.abort();
		} catch {
			// Already finished or aborted.
		}
		await done.catch(() => undefined);
		throw error;
	}
	await done;
	return result;
}

/** [index key, primary key] of every entry of an index, without reading the values. */
export function indexKeys(index: IDBIndex): Promise<Array<[IDBValidKey, IDBValidKey]>> {
	return new Promise((resolve, reject) => {
		const pairs: Array<[IDBValidKey, IDBValidKey]> = [];
		const request = index.openKeyCursor();
		request.onerror = () => reject(request.error ?? new Error('IndexedDB cursor failed'));
		request.onsuccess = () => {
			const cursor = request.result;
			if (cursor === null) {
				resolve(pairs);
				return;
			}
			pairs.push([cursor.key, cursor.primaryKey]);
			cursor.continue();
		};
	});
}

export function openDatabase(
	factory: IDBFactory,
	name: string,
	version?: number,
	upgrade?: (db: IDBDatabase) => void
): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = version === undefined ? factory.open(name) : factory.open(name, version);
		request.onupgradeneeded = () => upgrade?.(request.result);
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error(`cannot open IndexedDB database ${name}`));
	});
}

export function deleteDatabase(factory: IDBFactory, name: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const request = factory.deleteDatabase(name);
		request.onsuccess = () => resolve();
		request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`));
		// Blocked: a connection is still open (another tab); the deletion completes when it closes.
		request.onblocked = () => resolve();
	});
}
