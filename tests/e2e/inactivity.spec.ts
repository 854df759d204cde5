// P18 in the browser: with a tenant timeout of one minute the app locks over every screen after a minute without input
// (the page's clock is driven, nobody waits a real minute); the password unlocks it online and, checked on the device,
// offline.
import { expect, test, CONTEXT_OPTIONS } from './support/fixtures';
import { NetworkSwitch } from './support/network';
import { SignInPage } from './pages/sign-in-page';
import { TreePage } from './pages/tree-page';
import { LockScreen } from './pages/lock-screen';

const MINUTE_AND_A_BIT = 61_000;

test('P18: after the timeout without input the lock hides the data; the password unlocks online, and offline', async ({
	tenant,
	browser
}) => {
	const { url } = tenant.server;
	// The tenant's setting, through the API as its owner: one minute.
	const signedIn = await fetch(`${url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(tenant.owner)
	});
	const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
	const saved = await fetch(`${url}/api/settings`, {
		method: 'PATCH',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ sessionTimeoutMinutes: 1 })
	});
	expect(saved.status).toBe(200);

	const context = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const net = await NetworkSwitch.install(context);
		const page = await context.newPage();
		await page.clock.install();
		const signIn = new SignInPage(page);
		await signIn.goto(url);
		await signIn.submit(tenant.owner.email, tenant.owner.password);
		const tree = new TreePage(page);
		await tree.openFromLanding();
		await tree.expectInSync();
		await tree.addAtRoot('msp', 'Confidential MSP');
		await tree.expectInSync();
		const lock = new LockScreen(page);

		// A minute without input: the lock covers the screen and nothing of the tree shows behind it.
		await page.clock.fastForward(MINUTE_AND_A_BIT);
		await lock.expectLocked();
		await expect(tree.row('Confidential MSP')).toBeHidden();
		await page.screenshot({ path: '/tmp/shots/lock.png' });

		// Online the server checks the password.
		await lock.unlock('not the password');
		await expect(lock.error).toHaveText('That password is not right.');
		await lock.unlock(tenant.owner.password);
		await expect(lock.dialog).toBeHidden();
		await expect(tree.row('Confidential MSP')).toBeVisible();
		await tree.expectInSync();

		// Offline the device checks it against the verifier made at the last unlock.
		await net.goOffline();
		await tree.expectOffline();
		await page.clock.fastForward(MINUTE_AND_A_BIT);
		await lock.expectLocked();
		await expect(tree.row('Confidential MSP')).toBeHidden();
		await lock.unlock('still not the password');
		await expect(lock.error).toHaveText('That password is not right.');
		await expect(tree.row('Confidential MSP')).toBeHidden();
		await lock.unlock(tenant.owner.password);
		await expect(lock.dialog).toBeHidden();
		await expect(tree.row('Confidential MSP')).toBeVisible();
	} finally {
		await context.close();
	}
});
