// The first start: the printed one-time setup link creates the owner and the organization; sign-out and sign-in.
import { test, expect, CONTEXT_OPTIONS, PASSWORD } from './support/fixtures';
import { SetupPage } from './pages/setup-page';
import { SignInPage } from './pages/sign-in-page';
import { TreePage } from './pages/tree-page';

test('setup link creates the owner and the organization once; sign out; sign in refuses a wrong password', async ({
	server,
	browser,
	page
}) => {
	expect(server.setupUrl).toMatch(/\/setup\?token=/);
	const setupUrl = server.setupUrl ?? '';
	const owner = { email: 'owner@fabrikam.example', password: PASSWORD };

	const setup = new SetupPage(page);
	await setup.open(setupUrl);
	await setup.submit({ tenantName: 'Fabrikam Partners', ...owner });

	const tree = new TreePage(page);
	await tree.expectShown();
	await expect(page.getByTestId('tenant-name')).toHaveText('Fabrikam Partners');
	await expect(page.getByTestId('user-email')).toHaveText(owner.email);
	await expect(page.getByTestId('tree-empty')).toBeVisible();
	await tree.expectInSync();

	// The same link a second time, from another browser: the form is gone and the page says why.
	const other = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const again = new SetupPage(await other.newPage());
		await again.open(setupUrl);
		await expect(again.alreadyDone).toBeVisible();
		await expect(again.alreadyDone).toHaveText('Setup is already done. Sign in instead.');
		await expect(again.form).toHaveCount(0);
	} finally {
		await other.close();
	}
	// And the API refuses the token itself, with a clear error.
	const token = new URL(setupUrl).searchParams.get('token');
	const replay = await page.request.post(`${server.url}/api/setup`, {
		data: { token, email: 'intruder@example.com', password: PASSWORD, tenantName: 'Intruders' }
	});
	expect(replay.status()).toBe(409);
	expect(await replay.json()).toEqual({ error: { code: 'setup_done', message: expect.any(String) } });

	await tree.signOut();
	await page.screenshot({ path: '/tmp/shots/signin.png' });

	const signIn = new SignInPage(page);
	await signIn.submit(owner.email, 'not the password at all');
	await expect(signIn.error).toHaveText('The email or password is not correct.');
	await expect(page).toHaveURL(/\/signin/);

	await signIn.submit(owner.email, owner.password);
	await tree.openFromLanding();
	await expect(page.getByTestId('user-email')).toHaveText(owner.email);
	await tree.expectInSync();
});
