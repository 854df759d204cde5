// Reads what a page's replica has written to this device's one store (S130: the `msp-portal-docs` database, a record per
// document and increments appended since), so a test can wait until an edit is on disk before it reloads the page.
import type { Page } from '@playwright/test';

/**
 * What is stored for `docName`, as a short text that changes with every write (the record's checksum and how many
 * increments follow it); committed writes only, since a separate connection reads them.
 */
export function storedVersion(page: Page, docName: string): Promise<string> {
	return page.evaluate(
		(name) =>
			new Promise<string>((resolve, reject) => {
				const open = indexedDB.open('msp-portal-docs');
				open.onerror = () => reject(open.error ?? new Error('cannot open msp-portal-docs'));
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains('docs')) {
						db.close();
						resolve('');
						return;
					}
					const tx = db.transaction(['docs', 'increments'], 'readonly');
					const record = tx.objectStore('docs').get(name);
					const increments = tx.objectStore('increments').count(IDBKeyRange.bound([name], [name, []]));
					tx.onerror = () => reject(tx.error ?? new Error('read failed'));
					tx.oncomplete = () => {
						db.close();
						const sum = (record.result as { sum?: number } | undefined)?.sum ?? 'none';
						resolve(`${sum}/${increments.result}`);
					};
				};
			}),
		docName
	);
}

/** The documents the page's device keeps a copy of in its one store (none when the store was never opened). */
export function storedDocNames(page: Page): Promise<string[]> {
	return page.evaluate(
		() =>
			new Promise<string[]>((resolve, reject) => {
				const open = indexedDB.open('msp-portal-docs');
				open.onerror = () => reject(open.error ?? new Error('cannot open msp-portal-docs'));
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains('docs')) {
						db.close();
						resolve([]);
						return;
					}
					const keys = db.transaction('docs', 'readonly').objectStore('docs').getAllKeys();
					keys.onerror = () => reject(keys.error ?? new Error('read failed'));
					keys.onsuccess = () => {
						db.close();
						resolve(keys.result.map(String));
					};
				};
			})
	);
}
