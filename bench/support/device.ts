// One tablet in headless chromium for the cold-open and app-size benchmarks: sign in through the app, wait until it is in
// sync (and, if asked, caught up), and until its service worker controls the page, so that it opens offline afterwards.
import type { BrowserContext, Page } from '@playwright/test';

/** S28: the first background catch-up of thousands of customer documents takes minutes on a shared 2-core machine. */
const CATCH_UP_TIMEOUT_MS = 15 * 60_000;

export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
	await page.goto(`${url}/signin`);
	const form = page.getByTestId('signin-form');
	await form.waitFor();
	await form.locator('#email').fill(email);
	await form.locator('#password').fill(password);
	await form.locator('button[type=submit]').click();
	await page.locator('[data-testid=sync-indicator][data-state=online][data-pending="0"]').waitFor();
}

/** Every customer document brought into the local copy (S28): the device then has what a technician takes offline. */
export async function caughtUp(page: Page): Promise<void> {
	const indicator = page.getByTestId('sync-indicator');
	await page
		.locator('[data-testid=sync-indicator]:is([data-catch-up=done], [data-catch-up=incomplete])')
		.waitFor({ timeout: CATCH_UP_TIMEOUT_MS });
	if ((await indicator.getAttribute('data-catch-up')) !== 'done')
		throw new Error('bench: the catch-up ended with customers it could not bring up to date');
}

/** F1: the service worker is active and controls the page, so an offline navigation gets the app from its cache. */
export async function serviceWorkerReady(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	const deadline = Date.now() + 30_000;
	while (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
		if (Date.now() > deadline) throw new Error('bench: the service worker does not control the page');
		await page.reload();
	}
}

/** A new page of the same device (its IndexedDB, localStorage and service worker), with `script` run before the app's. */
export async function freshPage(context: BrowserContext, script?: string): Promise<Page> {
	const page = await context.newPage();
	if (script) await page.addInitScript({ content: script });
	return page;
}
