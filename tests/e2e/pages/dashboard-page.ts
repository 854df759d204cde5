// Page model of /dashboard (P1, P2): the time window, the top cards, the world map, the countries table, the
// organizations without a country and the country panel.
import { expect, type Locator, type Page } from '@playwright/test';

export class DashboardPage {
	readonly screen: Locator;
	readonly map: Locator;
	/** Country shapes of the map that have customers (focusable buttons). */
	readonly activeCountries: Locator;
	/** Every country shape of the map. */
	readonly allShapes: Locator;
	readonly table: Locator;
	readonly panel: Locator;
	readonly unknown: Locator;
	readonly empty: Locator;

	constructor(readonly page: Page) {
		this.screen = page.getByTestId('dashboard');
		this.map = page.getByTestId('world-map');
		this.activeCountries = this.map.getByTestId('map-country');
		this.allShapes = this.map.locator('svg path');
		this.table = page.getByTestId('country-table');
		this.panel = page.getByTestId('country-panel');
		this.unknown = page.getByTestId('dashboard-unknown');
		this.empty = page.getByTestId('dashboard-empty');
	}

	async goto(baseUrl: string, query = ''): Promise<void> {
		await this.page.goto(`${baseUrl}/dashboard${query}`);
		await this.expectShown();
	}

	async expectShown(): Promise<void> {
		await expect(this.page).toHaveURL(/\/dashboard(\?.*)?$/);
		await expect(this.screen).toBeVisible();
	}

	/** The map's shape of a country (alpha-2) that has customers. */
	country(code: string): Locator {
		return this.activeCountries.and(this.page.locator(`[data-country="${code}"]`));
	}

	row(code: string): Locator {
		return this.table.getByTestId('country-row').and(this.page.locator(`[data-country="${code}"]`));
	}

	/** The value of a top card ('customers', 'attention', 'failedJobs', 'openRequests', 'licensesInTrouble'). */
	card(key: string): Locator {
		return this.page.locator(`[data-testid=dashboard-card][data-card=${key}]`).getByTestId('dashboard-card-value');
	}

	organization(scope: Locator, name: string): Locator {
		return scope
			.getByTestId('dashboard-organization')
			.filter({ has: this.page.getByRole('link', { name: `Open ${name}` }) });
	}

	figure(organization: Locator, name: 'accounts' | 'failedJobs' | 'requests' | 'services'): Locator {
		return organization.locator(`[data-figure=${name}]`);
	}

	async chooseWindow(kind: '24h' | '7d' | '30d'): Promise<void> {
		await this.page.getByTestId('dashboard-window').locator(`button[data-window="${kind}"]`).click();
	}
}
