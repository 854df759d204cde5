// F6: a new version of the app is offered, not forced; taking it keeps the local data.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from './support/server';
import { CONTEXT_OPTIONS, PASSWORD, expect, test } from './support/fixtures';
import { SignInPage } from './pages/sign-in-page';
import { TreePage } from './pages/tree-page';
import { storedDocNames } from './support/local-store';

/** A release changes the service worker's precache manifest; here one revision changes. */
function shipNewServiceWorker(buildDir: string): void {
	const file = join(buildDir, 'sw.js');
	const text = readFileSync(file, 'utf8');
	const next = text.replace(
		/revision:"([0-9a-f])/,
		(_match, first: string) => `revision:"${first === '0' ? '1' : '0'}`
	);
	expect(next).not.toBe(text);
	writeFileSync(file, next);
}

test('F6: a new version is offered with a Reload button; after it the app runs the new service worker and the local data is still there', async ({
	browser
}) => {
	const buildDir = mkdtempSync(join(tmpdir(), 'msp-e2e-build-'));
	const dataDir = mkdtempSync(join(tmpdir(), 'msp-e2e-data-'));
	cpSync('build', buildDir, { recursive: true });
	let server: RunningServer = await startServer({ dataDir, env: { BUILD_DIR: buildDir } });
	const context = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const token = new URL(server.setupUrl!).searchParams.get('token');
		const email = 'owner@update.example';
		const setup = await fetch(`${server.url}/api/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ token, email, password: PASSWORD, tenantName: 'Update Test' })
		});
		expect(setup.status).toBe(201);

		const page = await context.newPage();
		const signIn = new SignInPage(page);
		await signIn.goto(server.url);
		await signIn.submit(email, PASSWORD);
		const tree = new TreePage(page);
		await tree.openFromLanding();
		await tree.addAtRoot('msp', 'Before the update');
		await tree.expectInSync();
		await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
		await page.reload();
		await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
		await expect(page.getByTestId('pwa-update')).toHaveCount(0);

		// A deploy: the server stops, a new build is put in place, the server starts again on the same address.
		const port = new URL(server.url).port;
		await server.stop();
		shipNewServiceWorker(buildDir);
		server = await startServer({ dataDir, env: { BUILD_DIR: buildDir, PORT: port } });

		// The reload finds the new service worker (a long-open app also checks hourly); it is offered, not switched to.
		await page.reload();
		const prompt = page.getByTestId('pwa-update');
		await expect(prompt).toBeVisible();
		await expect(prompt).toContainText('A new version is available.');
		await expect(tree.row('Before the update')).toBeVisible();

		await prompt.getByRole('button', { name: 'Reload' }).click();
		await expect(prompt).toHaveCount(0);
		await tree.expectShown();
		await expect
			.poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null))
			.toBeNull();
		await expect(tree.row('Before the update')).toBeVisible();
		await tree.expectInSync();
		const stored = await storedDocNames(page);
		expect(stored.some((name) => name.startsWith('tenant:'))).toBe(true);
	} finally {
		await context.close();
		await server.stop();
		rmSync(buildDir, { recursive: true, force: true });
		rmSync(dataDir, { recursive: true, force: true });
	}
});
