// Page model of /licenses: counts per state, filters, search, the (virtualized) table, its sort headers and row menus.
import { expect, type Locator, type Page } from '@playwright/test';

export class LicensesPage {
	readonly screen: Locator;
	readonly table: Locator;
	readonly rows: Locator;
	readonly search: Locator;
	readonly shown: Locator;

	constructor(readonly page: Page) {
		this.screen = page.getByTestId('licenses-screen');
		this.table = page.getByTestId('license-table');
		this.rows = page.getByTestId('license-row');
		this.search = page.getByTestId('license-search');
		this.shown = page.getByTestId('license-shown');
	}

	async open(): Promise<void> {
		await this.page.getByTestId('nav-licenses').click();
		await expect(this.table).toBeVisible();
	}

	/** Opens the screen of a tenant that may hold no license yet (it shows an empty state instead of the table). */
	async openEmpty(): Promise<void> {
		await this.page.getByTestId('nav-licenses').click();
		await expect(this.page.getByTestId('licenses-empty')).toBeVisible();
	}

	row(publicId: string): Locator {
		return this.page.locator(`[data-testid=license-row][data-public-id="${publicId}"]`);
	}

	count(state: string): Locator {
		return this.page.locator(`[data-testid=state-count][data-state="${state}"]`);
	}

	/** The public IDs of the license rows in the page, in order (the table renders those near the view only). */
	async publicIds(): Promise<string[]> {
		return this.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-public-id') ?? ''));
	}

	/** Waits until the filters let `shown` licenses through. */
	async expectShown(shown: number): Promise<void> {
		await expect(this.shown).toHaveAttribute('data-shown', String(shown));
	}

	async sortBy(column: string): Promise<void> {
		await this.page.getByTestId(`sort-${column}`).click();
	}

	header(column: string): Locator {
		return this.page.locator(`[role=columnheader][data-column="${column}"]`);
	}

	/**
	 * Scrolls the (virtualized) table until the row is rendered and in view: only rows near the visible part exist in the
	 * page. Answers the row.
	 */
	async reveal(publicId: string): Promise<Locator> {
		const row = this.row(publicId);
		const scroller = this.page.getByTestId('license-scroller');
		if ((await row.count()) === 0) {
			await scroller.evaluate((element) => element.scrollTo(0, 0));
			for (let page = 0; page < 200 && (await row.count()) === 0; page++) {
				const atEnd = await scroller.evaluate((element) => {
					element.scrollBy(0, element.clientHeight * 0.8);
					return element.scrollTop + element.clientHeight >= element.scrollHeight - 1;
				});
				if (atEnd && (await row.count()) === 0) break;
			}
		}
		await row.scrollIntoViewIfNeeded();
		return row;
	}

	/** Opens a row's actions menu and picks an item. */
	async action(publicId: string, item: string): Promise<void> {
		await (await this.reveal(publicId)).getByTestId('license-actions').click();
		await this.page.getByTestId(item).click();
	}
}
