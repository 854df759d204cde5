// Page model of /customers: the directory's search, filters, sort headers, (virtualized) rows, selection and exports.
import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';

export class DirectoryPage {
	readonly screen: Locator;
	readonly table: Locator;
	readonly rows: Locator;
	readonly search: Locator;
	readonly shown: Locator;

	constructor(readonly page: Page) {
		this.screen = page.getByTestId('directory-screen');
		this.table = page.getByTestId('directory-table');
		this.rows = page.getByTestId('directory-row');
		this.search = page.getByTestId('directory-search');
		this.shown = page.getByTestId('directory-shown');
	}

	async open(): Promise<void> {
		await this.page.getByTestId('nav-customers').click();
		await expect(this.table).toBeVisible();
	}

	row(name: string): Locator {
		return this.page.locator(`[data-testid=directory-row][data-name="${name}"]`);
	}

	/** The customer names of the rows in the page, in order (the table renders those near the view only). */
	async names(): Promise<string[]> {
		return this.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-name') ?? ''));
	}

	async expectNames(names: readonly string[]): Promise<void> {
		await expect.poll(() => this.names()).toEqual(names);
	}

	async expectShown(shown: number, total?: number): Promise<void> {
		await expect(this.shown).toHaveAttribute('data-shown', String(shown));
		if (total !== undefined) await expect(this.shown).toHaveAttribute('data-total', String(total));
	}

	sortBy(column: 'name' | 'failedJobs' | 'openRequests'): Promise<void> {
		return this.page.getByTestId(`directory-sort-${column}`).click();
	}

	async openMenu(name: string): Promise<Locator> {
		await this.row(name).getByTestId('directory-row-actions').click();
		const menu = this.page.getByTestId('directory-menu');
		await expect(menu).toBeVisible();
		return menu;
	}

	/** Clicks `trigger`, waits for the download and returns its file name and bytes. */
	async download(trigger: Locator): Promise<{ name: string; bytes: Buffer }> {
		const [download] = await Promise.all([this.page.waitForEvent('download'), trigger.click()]);
		const path = await download.path();
		return { name: download.suggestedFilename(), bytes: readFileSync(path) };
	}
}
