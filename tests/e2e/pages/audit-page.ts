// Page model of the Audit log screen (P17): filters, rows, "Load more" and the CSV download.
import { expect, type Download, type Locator, type Page } from '@playwright/test';

export class AuditPage {
	readonly screen: Locator;
	readonly rows: Locator;
	readonly navLink: Locator;

	constructor(readonly page: Page) {
		this.screen = page.locator('section[aria-labelledby=audit-title]');
		this.rows = page.getByTestId('audit-row');
		this.navLink = page.getByTestId('nav-audit');
	}

	/** Opens the screen from the app bar, as a person would. */
	async open(): Promise<void> {
		await this.navLink.click();
		await expect(this.page).toHaveURL(/\/audit$/);
		await expect(this.screen).toBeVisible();
	}

	/** The rows whose action and description are these. */
	row(action: string, description: string): Locator {
		return this.rows
			.filter({ has: this.page.getByTestId('audit-action-cell').getByText(action, { exact: true }) })
			.filter({ has: this.page.getByTestId('audit-description').getByText(description, { exact: true }) });
	}

	async filterByAction(action: string): Promise<void> {
		await this.page.getByTestId('audit-action').selectOption(action);
		await this.page.getByTestId('audit-apply').click();
	}

	async downloadCsv(): Promise<Download> {
		const [download] = await Promise.all([
			this.page.waitForEvent('download'),
			this.page.getByTestId('audit-csv').click()
		]);
		return download;
	}
}
