// The tree screen with the demo tenant (~150 customers, ~460 nodes): the list is virtualized, yet every node is reachable.
import { startServer } from './support/server';
import { CONTEXT_OPTIONS, expect, test } from './support/fixtures';
import { SignInPage } from './pages/sign-in-page';
import { TreePage } from './pages/tree-page';

test('H1/C4: the demo tree renders only the rows near the viewport, scrolls to the last node, and search finds any node', async ({
	browser
}) => {
	const server = await startServer({ args: ['--demo'] });
	const context = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const page = await context.newPage();
		const signIn = new SignInPage(page);
		await signIn.goto(server.url);
		const demo = server.demoSignIn;
		if (!demo) throw new Error('the demo server printed no sign-in');
		await signIn.submit(demo.email, demo.password);
		const tree = new TreePage(page);
		await tree.openFromLanding();
		await tree.expectInSync();

		await page.getByRole('button', { name: 'Expand all' }).click();
		const list = page.getByTestId('tree');
		await expect(list).toHaveAttribute('data-row-count', /^\d+$/);
		const total = Number(await list.getAttribute('data-row-count'));
		expect(total).toBeGreaterThan(400);
		// Only a window of rows is in the page, each knowing its place in the whole list.
		const rendered = await tree.rows.count();
		expect(rendered).toBeGreaterThan(10);
		expect(rendered).toBeLessThan(80);
		await expect(tree.rows.first()).toHaveAttribute('aria-setsize', String(total));

		await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
		const last = page.locator(`[data-testid=tree-row][aria-posinset="${total}"]`);
		await expect(last).toBeVisible();
		expect(await tree.rows.count()).toBeLessThan(80);

		// A node far down the list is found by the search (C4) and clearing it brings the whole list back.
		const farName = (await tree.nameOf(last).textContent())!.trim();
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.getByTestId('tree-search').fill(farName);
		// Sites of different customers share names ("Zentrale"), so the match can be several rows with their parents.
		await expect(tree.row(farName).first()).toBeVisible();
		expect(Number(await list.getAttribute('data-row-count'))).toBeLessThan(total);
		await page.getByRole('button', { name: 'Clear search' }).click();
		await expect(list).toHaveAttribute('data-row-count', String(total));
	} finally {
		await context.close();
		await server.stop();
	}
});
