// F7: after sign-in the app asks the browser once to keep its data, and the sync details show usage, quota and the answer.
import type { Browser, BrowserContext } from '@playwright/test';
import { test, expect, CONTEXT_OPTIONS, type Account } from './support/fixtures';
import { SignInPage } from './pages/sign-in-page';
import { TreePage } from './pages/tree-page';

/** Counts `navigator.storage.persist()` calls; `grant` makes the browser's answers say the data is kept. */
async function countingContext(browser: Browser, grant: boolean): Promise<BrowserContext> {
	const context = await browser.newContext(CONTEXT_OPTIONS);
	await context.addInitScript((granted: boolean) => {
		const proto = StorageManager.prototype;
		const persist = proto.persist;
		const persisted = proto.persisted;
		const counter = { calls: 0 };
		Object.assign(window, { e2ePersistCalls: counter });
		proto.persist = function (this: StorageManager) {
			counter.calls += 1;
			return granted ? Promise.resolve(true) : persist.call(this);
		};
		proto.persisted = function (this: StorageManager) {
			return granted ? Promise.resolve(true) : persisted.call(this);
		};
	}, grant);
	return context;
}

async function signIn(context: BrowserContext, url: string, account: Account): Promise<TreePage> {
	const page = await context.newPage();
	const signInPage = new SignInPage(page);
	await signInPage.goto(url);
	await signInPage.submit(account.email, account.password);
	const tree = new TreePage(page);
	await tree.openFromLanding();
	await tree.expectInSync();
	return tree;
}

const persistCalls = (tree: TreePage): Promise<number> =>
	tree.page.evaluate(() => (window as unknown as { e2ePersistCalls: { calls: number } }).e2ePersistCalls.calls);

test('F7: the sync details show storage usage and quota; persistence is asked once after sign-in', async ({
	browser,
	tenant
}) => {
	const context = await countingContext(browser, false);
	try {
		const tree = await signIn(context, tenant.server.url, tenant.owner);
		await tree.addAtRoot('msp', 'Litware MSP', 'FR');
		await tree.addChild('Litware MSP', 'customer', 'Tailspin Toys', 'FR');
		const customer = await tree.openCustomer('Tailspin Toys');
		await customer.backToTree();

		await tree.indicator.click();
		const storage = tree.page.getByTestId('sync-storage');
		await expect(storage).toContainText(/^Storage on this device: [\d.,]+ (kB|MB|GB) of [\d.,]+ (MB|GB|TB)/);
		// Chromium here does not grant persistence to an ordinary site; the line says so.
		expect(await tree.page.evaluate(() => navigator.storage.persisted())).toBe(false);
		await expect(storage).toContainText('May be cleared by the browser when space runs low');
		await expect(storage).toHaveAttribute('data-persisted', 'false');
		// Once for the sign-in, not again for the customer page or for opening the details.
		expect(await persistCalls(tree)).toBe(1);
		await tree.page.screenshot({ path: '/tmp/shots/sync-details-storage.png' });
	} finally {
		await context.close();
	}
});

test('F7: when the browser keeps the data, the sync details say so and persistence is not asked again', async ({
	browser,
	tenant
}) => {
	const context = await countingContext(browser, true);
	try {
		const tree = await signIn(context, tenant.server.url, tenant.owner);
		await tree.indicator.click();
		const storage = tree.page.getByTestId('sync-storage');
		await expect(storage).toContainText('Kept by the browser');
		await expect(storage).toHaveAttribute('data-persisted', 'true');
		expect(await persistCalls(tree)).toBe(0);
	} finally {
		await context.close();
	}
});
