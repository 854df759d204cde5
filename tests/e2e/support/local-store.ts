// Reads what a page's replica has written to IndexedDB (y-indexeddb keeps one database per document, updates appended
// to its 'updates' store), so a test can wait until an edit is on disk before it reloads the page.
import type { Page } from '@playwright/test';

/** How many updates y-indexeddb holds for `docName`; they are committed when a separate connection can count them. */
export function storedUpdateCount(page: Page, docName: string): Promise<number> {
	return page.evaluate(
		(name) =>
			new Promise<number>((resolve, reject) => {
				const open = indexedDB.open(name);
				open.onerror = () => reject(open.error ?? new Error(`cannot open ${name}`));
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains('updates')) {
						db.close();
						resolve(0);
						return;
					}
					const count = db.transaction('updates', 'readonly').objectStore('updates').count();
					count.onerror = () => reject(count.error ?? new Error('count failed'));
					count.onsuccess = () => {
						db.close();
						resolve(count.result);
					};
				};
			}),
		docName
	);
}
