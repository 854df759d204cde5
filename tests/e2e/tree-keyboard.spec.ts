// The MSP tree as a WAI-ARIA tree view: one tab stop, arrow keys between rows, expand/collapse, Enter for a
// customer's contact (H5), Shift+F10 for the actions (H1), and keyboard focus reaching rows the virtualized list had
// not rendered yet.
import { startServer } from './support/server';
import { CONTEXT_OPTIONS, expect, test } from './support/fixtures';
import { SignInPage } from './pages/sign-in-page';
import { TreePage } from './pages/tree-page';

test('H1/H5: the tree is one tab stop; arrows, Right/Left, Enter and Shift+F10 work on the focused row', async ({
	tenant,
	devices
}) => {
	const { page, tree } = await devices.signedIn(tenant.server.url, tenant.owner);
	await tree.addAtRoot('msp', 'Trey Research MSP', 'IT');
	await tree.addChild('Trey Research MSP', 'customer', 'Coho Winery', 'IT');
	await tree.addChild('Coho Winery', 'site', 'Verona cellar');
	await expect(tree.rows).toHaveCount(3);
	await expect(tree.list).toHaveAttribute('role', 'tree');
	await expect(tree.rows.first()).toHaveAttribute('role', 'treeitem');
	await expect(tree.row('Verona cellar')).toHaveAttribute('aria-level', '3');
	await expect(tree.row('Verona cellar')).not.toHaveAttribute('aria-expanded', /.*/);

	// Tab: the toolbar's last button, then the tree once, then out of the tree. The tab stop is the row used last
	// (Coho Winery: its menu added the site), so Tab returns where the user was.
	const msp = tree.row('Trey Research MSP');
	const coho = tree.row('Coho Winery');
	await page.getByTestId('invite-open').focus();
	await page.keyboard.press('Tab');
	await expect(coho).toBeFocused();
	await expect(tree.list.locator('[tabindex="0"]')).toHaveCount(1);
	await page.keyboard.press('Tab');
	await expect(tree.list.locator(':focus')).toHaveCount(0);
	await page.keyboard.press('Shift+Tab');
	await expect(coho).toBeFocused();
	await page.keyboard.press('Home');
	await expect(msp).toBeFocused();
	await expect(tree.activeRow).toHaveCount(1);

	// Down/Up move the active row (and the tab stop with it).
	await page.keyboard.press('ArrowDown');
	await expect(coho).toBeFocused();
	await expect(coho).toHaveAttribute('aria-selected', 'true');
	await expect(tree.activeRow).toHaveAttribute('data-node-id', (await coho.getAttribute('data-node-id'))!);
	await page.keyboard.press('ArrowUp');
	await expect(msp).toBeFocused();

	// Left collapses an open row, Right opens it again, then moves to its first child; Left on a child goes to the parent.
	await expect(msp).toHaveAttribute('aria-expanded', 'true');
	await page.keyboard.press('ArrowLeft');
	await expect(msp).toHaveAttribute('aria-expanded', 'false');
	await expect(tree.rows).toHaveCount(1);
	await page.keyboard.press('ArrowRight');
	await expect(msp).toHaveAttribute('aria-expanded', 'true');
	await expect(tree.rows).toHaveCount(3);
	await expect(msp).toBeFocused();
	await page.keyboard.press('ArrowRight');
	await expect(coho).toBeFocused();
	await page.keyboard.press('End');
	await expect(tree.row('Verona cellar')).toBeFocused();
	await page.keyboard.press('ArrowLeft');
	await expect(coho).toBeFocused();

	// H5: Enter on a customer opens its contact popup, as clicking the name does; Escape brings focus back to the row.
	await page.keyboard.press('Enter');
	const popup = page.getByTestId('contact-popup');
	await expect(popup).toBeVisible();
	await expect(popup).toContainText('Coho Winery');
	await page.keyboard.press('Escape');
	await expect(popup).toBeHidden();
	await expect(coho).toBeFocused();

	// H1: Shift+F10 opens the row's actions menu (the same items as the ⋯ button); Escape closes it.
	await page.keyboard.press('Shift+F10');
	await expect(page.getByTestId('action-rename')).toBeVisible();
	await expect(page.getByTestId('action-add-site')).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('action-rename')).toBeHidden();
	await expect(coho).toBeFocused();

	// Enter on a node that is not a customer opens or closes it.
	await page.keyboard.press('Home');
	await expect(msp).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(msp).toHaveAttribute('aria-expanded', 'false');
	await page.keyboard.press('Enter');
	await expect(msp).toHaveAttribute('aria-expanded', 'true');

	// The pointer still works as before: the toggle and the name are buttons, just not tab stops.
	await expect(coho.getByTestId('customer-name')).toHaveAttribute('tabindex', '-1');
	await expect(coho.getByTestId('node-actions')).toHaveAttribute('tabindex', '-1');
	const popupByClick = await tree.openContact('Coho Winery');
	await expect(popupByClick).toContainText('Coho Winery');
});

test('H1: with the demo tenant expanded, End focuses the last row although the virtualized list had not rendered it', async ({
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
		await tree.expandAll();
		await expect(tree.list).toHaveAttribute('data-row-count', /^\d+$/);
		const total = Number(await tree.list.getAttribute('data-row-count'));
		expect(total).toBeGreaterThan(400);
		const last = page.locator(`[data-testid=tree-row][aria-posinset="${total}"]`);
		await expect(last).toHaveCount(0);

		await page.getByRole('button', { name: 'Expand all' }).focus();
		// The tree is the next tab stop after the toolbar (past 'Collapse all' and 'Add at top level').
		for (let presses = 0; presses < 4 && (await tree.focusedRow.count()) === 0; presses++) {
			await page.keyboard.press('Tab');
		}
		await expect(tree.rows.first()).toBeFocused();
		await page.keyboard.press('End');
		await expect(last).toBeFocused();
		await expect(last).toBeInViewport();
		expect(await tree.rows.count()).toBeLessThan(80);
		await page.screenshot({ path: '/tmp/shots/tree-keyboard-end-768.png' });

		// Up from the last row, then Home back to the top (scrolled into view again).
		await page.keyboard.press('ArrowUp');
		const beforeLast = page.locator(`[data-testid=tree-row][aria-posinset="${total - 1}"]`);
		await expect(beforeLast).toBeFocused();
		await page.keyboard.press('Home');
		await expect(tree.rows.first()).toBeFocused();
		await expect(tree.rows.first()).toHaveAttribute('aria-posinset', '1');
		await expect(tree.rows.first()).toBeInViewport();

		await page.setViewportSize({ width: 1280, height: 800 });
		await page.keyboard.press('ArrowDown');
		await expect(tree.focusedRow).toHaveAttribute('aria-posinset', '2');
		await page.screenshot({ path: '/tmp/shots/tree-keyboard-row-1280.png' });
	} finally {
		await context.close();
		await server.stop();
	}
});
