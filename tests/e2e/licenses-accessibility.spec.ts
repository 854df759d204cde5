// License management checked with axe-core against WCAG 2.1 A and AA at tablet size: the screen, its menu and dialogs,
// the import's refusal and preview, and the customer page's license columns; and the menu is usable by keyboard.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { CONTEXT_OPTIONS, expect } from './support/fixtures';
import { SignInPage } from './pages/sign-in-page';
import { TreePage } from './pages/tree-page';
import { LicensesPage } from './pages/licenses-page';
import { SEED_PASSWORD, test } from './support/licensed';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.1 A/AA violations axe finds on the page as it is now. */
async function violations(page: Page): Promise<{ id: string; targets: string[] }[]> {
	await page.evaluate(axeSource);
	return page.evaluate(async () => {
		const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
		const result = await axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
		});
		return result.violations.map((violation) => ({
			id: violation.id,
			targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' '))
		}));
	});
}

test('WCAG 2.1 AA (axe): the license screen, its menu and dialogs, the import, and the customer page; the menu by keyboard', async ({
	licensed,
	browser
}) => {
	const { server, seed } = licensed;
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, bypassCSP: true });
	try {
		const page = await context.newPage();
		const signIn = new SignInPage(page);
		await signIn.goto(server.url);
		await signIn.submit(seed.owner, SEED_PASSWORD);
		await new TreePage(page).openFromLanding();
		const licenses = new LicensesPage(page);
		await licenses.open();
		expect(await violations(page), 'license screen').toEqual([]);
		await licenses.count('warning').click();
		expect(await violations(page), 'filtered by a state').toEqual([]);
		await licenses.count('warning').click();

		// The row menu by keyboard: Enter opens it, the arrows move, Enter picks, Escape gives the focus back.
		const actions = (await licenses.reveal('3AB-XQ4-77K')).getByTestId('license-actions');
		await actions.focus();
		await page.keyboard.press('Enter');
		await expect(page.getByTestId('license-menu')).toBeVisible();
		expect(await violations(page), 'menu').toEqual([]);
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('ArrowDown');
		await expect(page.getByTestId('action-tag')).toBeFocused();
		await page.keyboard.press('Enter');
		const tag = page.getByTestId('license-tag-dialog');
		await expect(tag).toBeVisible();
		await expect(page.locator('#license-tag')).toHaveValue('Contoso GmbH');
		expect(await violations(page), 'tag dialog').toEqual([]);
		await page.keyboard.press('Escape');
		await expect(tag).toBeHidden();
		await expect(actions).toBeFocused();

		for (const [item, dialog] of [
			['action-delete', 'license-delete-dialog'],
			['action-move-pool', 'license-move-dialog'],
			['action-suspend', 'license-suspend-dialog']
		] as const) {
			await licenses.action('3AB-XQ4-77K', item);
			await expect(page.getByTestId(dialog)).toBeVisible();
			expect(await violations(page), dialog).toEqual([]);
			await page.keyboard.press('Escape');
		}
		for (const [item, dialog] of [
			['action-extend', 'license-extend-dialog'],
			['action-convert', 'license-convert-dialog']
		] as const) {
			await licenses.action('4CD-PL2-09A', item);
			await expect(page.getByTestId(dialog)).toBeVisible();
			expect(await violations(page), dialog).toEqual([]);
			await page.keyboard.press('Escape');
		}

		await page.getByTestId('license-import-open').click();
		const importDialog = page.getByTestId('license-import-dialog');
		expect(await violations(page), 'import dialog').toEqual([]);
		await importDialog.getByTestId('license-import-file').setInputFiles(join('tests/fixtures/licenses', 'broken.json'));
		await expect(importDialog.getByTestId('license-import-invalid')).toBeVisible();
		expect(await violations(page), 'import refused').toEqual([]);
		await importDialog
			.getByTestId('license-import-file')
			.setInputFiles(join('tests/fixtures/licenses', 'business-account.json'));
		await expect(importDialog.getByTestId('license-import-preview')).toBeVisible();
		expect(await violations(page), 'import preview').toEqual([]);
		await page.keyboard.press('Escape');

		await page.getByTestId('license-connect-open').click();
		await expect(page.getByTestId('license-connect-dialog')).toBeVisible();
		expect(await violations(page), 'connect dialog').toEqual([]);
		await page.keyboard.press('Escape');

		await page.goto(`${server.url}/customers/${seed.nodes['Litware Inc.']}`);
		await expect(page.getByTestId('customer-licenses').getByTestId('license-row')).toHaveCount(3);
		expect(await violations(page), 'customer page').toEqual([]);
	} finally {
		await context.close();
	}
});
