// Page model of the customer page's work section (P4, P5, P7): services, jobs and service requests with their notes.
import { expect, type Locator, type Page } from '@playwright/test';

export class CustomerWork {
	readonly root: Locator;
	readonly requests: Locator;
	readonly detail: Locator;
	readonly notes: Locator;
	readonly status: Locator;

	constructor(readonly page: Page) {
		this.root = page.getByTestId('customer-work');
		this.requests = page.getByTestId('request-row');
		this.detail = page.getByTestId('request-detail');
		this.notes = this.detail.getByTestId('request-note');
		this.status = this.detail.getByTestId('request-status');
	}

	async showRequests(): Promise<void> {
		await this.root.getByTestId('work-tab-requests').click();
		await expect(this.root.getByTestId('work-tab-requests')).toHaveAttribute('aria-selected', 'true');
	}

	async showServices(): Promise<void> {
		await this.root.getByTestId('work-tab-services').click();
	}

	/** Creates a request; its detail opens at once. */
	async createRequest(subject: string, details: string): Promise<void> {
		await this.root.getByTestId('new-request').click();
		const dialog = this.page.getByTestId('new-request-dialog');
		await expect(dialog).toBeVisible();
		await dialog.getByTestId('new-request-subject').fill(subject);
		await dialog.getByTestId('new-request-details').fill(details);
		await dialog.getByTestId('new-request-create').click();
		await expect(dialog).toBeHidden();
		await expect(this.detail).toBeVisible();
	}

	request(subject: string): Locator {
		return this.requests.filter({ hasText: subject });
	}

	async openRequest(subject: string): Promise<void> {
		await this.request(subject).click();
		await expect(this.detail).toBeVisible();
	}

	async setStatus(label: string): Promise<void> {
		await this.status.selectOption({ label });
	}

	async addNote(text: string): Promise<void> {
		const before = await this.notes.count();
		await this.detail.getByTestId('request-note-text').fill(text);
		await this.detail.getByTestId('request-note-add').click();
		await expect(this.notes).toHaveCount(before + 1);
	}

	async closeRequest(): Promise<void> {
		await this.detail.getByRole('button', { name: 'Close' }).click();
		await expect(this.detail).toBeHidden();
	}

	async addService(label: string): Promise<void> {
		await this.root.getByTestId('add-service').click();
		const dialog = this.page.getByTestId('add-service-dialog');
		await expect(dialog).toBeVisible();
		await dialog.getByTestId('service-kind').selectOption({ label });
		await dialog.getByTestId('add-service-confirm').click();
		await expect(dialog).toBeHidden();
	}
}
