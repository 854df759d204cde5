// Page model of the MSP tree screen and the app bar around it: rows, node actions, dialogs and the sync indicator (F3).
import { expect, type Locator, type Page } from '@playwright/test';
import { CustomerPage } from './customer-page';
import { clickSignOut } from '../support/account-menu';

export type RootKind = 'distributor' | 'mspManager' | 'msp';
export type ChildKind = 'mspManager' | 'msp' | 'managedMsp' | 'customer' | 'site';

export interface RowInfo {
	readonly id: string;
	readonly name: string;
	readonly kind: string;
	readonly depth: number;
}

/** Generous enough for y-websocket's capped backoff (2.5 s) plus the replica's reconnect jitter (S17, up to 2.5 s). */
export const RECONNECT_TIMEOUT = 15_000;

export class TreePage {
	readonly screen: Locator;
	readonly rows: Locator;
	readonly indicator: Locator;
	readonly offlineBanner: Locator;
	readonly actionError: Locator;
	/** The app bar's 'Read-only access' badge, shown to readOnly users only. */
	readonly readOnlyBadge: Locator;
	/** The toolbar's 'Add at top level' button. */
	readonly addRoot: Locator;
	/** The rows' action menus (add, rename, move, delete, status): a read-only user gets none. */
	readonly nodeMenus: Locator;
	/** The list of rows (role tree). */
	readonly list: Locator;
	/** The one row in the tab order (roving tabindex). */
	readonly activeRow: Locator;
	/** The row that has keyboard focus itself (not one of its buttons). */
	readonly focusedRow: Locator;

	constructor(readonly page: Page) {
		this.screen = page.locator('section[aria-labelledby=tree-title]');
		this.rows = page.getByTestId('tree-row');
		this.indicator = page.getByTestId('sync-indicator');
		this.offlineBanner = page.getByTestId('offline-banner');
		this.actionError = page.getByTestId('action-error');
		this.readOnlyBadge = page.getByTestId('read-only-badge');
		this.addRoot = page.getByTestId('add-root');
		this.nodeMenus = page.getByTestId('node-actions');
		this.list = page.getByTestId('tree');
		this.activeRow = this.rows.and(page.locator('[tabindex="0"]'));
		this.focusedRow = this.rows.and(page.locator(':focus'));
	}

	async goto(baseUrl: string): Promise<void> {
		await this.page.goto(`${baseUrl}/tree`);
		await this.expectShown();
	}

	/** After sign-in people land on the dashboard (P1); from there the app bar opens the tree (no reload). */
	async openFromLanding(): Promise<void> {
		await expect(this.page).toHaveURL(/\/dashboard$/);
		await expect(this.page.getByTestId('dashboard')).toBeVisible();
		await this.page
			.getByRole('navigation', { name: 'Main navigation' })
			.getByRole('link', { name: 'MSP tree', exact: true })
			.click();
		await this.expectShown();
	}

	async expectShown(): Promise<void> {
		await expect(this.page).toHaveURL(/\/tree$/);
		await expect(this.screen).toBeVisible();
	}

	/** The row whose displayed name is exactly `name`. */
	row(name: string): Locator {
		return this.rows.filter({
			has: this.page.locator('[data-testid=node-name], [data-testid=customer-name]').getByText(name, { exact: true })
		});
	}

	nameOf(row: Locator): Locator {
		return row.locator('[data-testid=node-name], [data-testid=customer-name]');
	}

	/** F3: connected, synced, and every local change confirmed by the server. */
	async expectInSync(timeout = RECONNECT_TIMEOUT): Promise<void> {
		await expect(this.indicator).toHaveAttribute('data-state', 'online', { timeout });
		await expect(this.indicator).toHaveAttribute('data-pending', '0');
	}

	async expectOffline(): Promise<void> {
		await expect(this.indicator).toHaveAttribute('data-state', 'offline');
	}

	async pending(): Promise<number> {
		return Number(await this.indicator.getAttribute('data-pending'));
	}

	async expandAll(): Promise<void> {
		await this.page.getByRole('button', { name: 'Expand all' }).click();
	}

	/** Shows a node's children (customers start collapsed; adding a child expands its parent). */
	async expand(name: string): Promise<void> {
		const toggle = this.row(name).getByTestId('tree-toggle');
		if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
		await expect(toggle).toHaveAttribute('aria-expanded', 'true');
	}

	async addAtRoot(kind: RootKind, name: string, country?: string): Promise<void> {
		await this.addRoot.click();
		const dialog = this.page.getByTestId('add-node-dialog');
		await dialog.locator('#add-kind').selectOption(kind);
		await this.#fillAndCreate(dialog, name, country);
	}

	/** Adds a node of `kind` under the row named `parentName`, through the row's actions menu (H2 offers only allowed kinds). */
	async addChild(parentName: string, kind: ChildKind, name: string, country?: string): Promise<void> {
		await this.openActions(parentName);
		await this.page.getByTestId(`action-add-${kind}`).click();
		await this.#fillAndCreate(this.page.getByTestId('add-node-dialog'), name, country);
	}

	async openActions(name: string): Promise<void> {
		await this.row(name).getByTestId('node-actions').click();
	}

	/** H4: renames a node through its actions menu. */
	async rename(name: string, newName: string): Promise<void> {
		await this.openActions(name);
		await this.page.getByTestId('action-rename').click();
		const dialog = this.page.getByTestId('rename-dialog');
		await dialog.locator('#rename-name').fill(newName);
		await dialog.locator('button[type=submit]').click();
		await expect(dialog).toBeHidden();
	}

	/** H5: clicking a customer's name opens its contact popup. */
	async openContact(customerName: string): Promise<Locator> {
		await this.row(customerName).getByTestId('customer-name').click();
		const popup = this.page.getByTestId('contact-popup');
		await expect(popup).toBeVisible();
		return popup;
	}

	async openCustomer(customerName: string): Promise<CustomerPage> {
		const popup = await this.openContact(customerName);
		await popup.getByTestId('open-customer').click();
		const customer = new CustomerPage(this.page);
		await expect(customer.root).toBeVisible();
		return customer;
	}

	/** Every row (ids, names, kinds, depths) in display order, for comparing two devices' trees. */
	async snapshot(): Promise<RowInfo[]> {
		return this.rows.evaluateAll((items) =>
			items.map((item) => ({
				id: item.getAttribute('data-node-id') ?? '',
				name: item.querySelector('[data-testid=node-name], [data-testid=customer-name]')?.textContent?.trim() ?? '',
				kind: item.getAttribute('data-kind') ?? '',
				depth: Number(item.getAttribute('data-depth'))
			}))
		);
	}

	async signOut(): Promise<void> {
		await clickSignOut(this.page);
		await expect(this.page).toHaveURL(/\/signin/);
	}

	async #fillAndCreate(dialog: Locator, name: string, country?: string): Promise<void> {
		await expect(dialog).toBeVisible();
		await dialog.locator('#add-name').fill(name);
		if (country !== undefined) await dialog.locator('#add-country').fill(country);
		await dialog.locator('button[type=submit]').click();
		await expect(dialog).toBeHidden();
	}
}
