// Page model of P11's screens: the insight rules under /settings/insights, the dashboard's insights panel and the
// customer page's insights section.
import { expect, type Locator, type Page } from '@playwright/test';

export class InsightsPage {
	readonly rules: Locator;
	readonly dialog: Locator;
	readonly panel: Locator;
	readonly customerSection: Locator;

	constructor(readonly page: Page) {
		this.rules = page.getByTestId('insight-rules');
		this.dialog = page.getByTestId('insight-rule-dialog');
		this.panel = page.getByTestId('dashboard-insights');
		this.customerSection = page.getByTestId('customer-insights');
	}

	async gotoRules(baseUrl: string): Promise<void> {
		await this.page.goto(`${baseUrl}/settings/insights`);
		await expect(this.rules).toBeVisible();
	}

	rule(id: string): Locator {
		return this.rules.locator(`[data-testid="insight-rule"][data-rule-id="${id}"]`);
	}

	/** A rule's row on the dashboard's panel (its `data-count` is how many customers it fires for). */
	figure(ruleId: string): Locator {
		return this.panel.locator(`[data-testid="insight-figure"][data-rule-id="${ruleId}"]`);
	}
}
