// Page model of the invite-customer wizard (P6).
import { expect, type Locator, type Page } from '@playwright/test';

export interface InviteInput {
	organization: string;
	contactName: string;
	contactEmail: string;
	services?: readonly string[];
	billingType?: 'trial' | 'monthly' | 'term';
	product: string;
	units: string;
	expiresOn?: string;
}

export class InviteWizardPage {
	readonly dialog: Locator;

	constructor(readonly page: Page) {
		this.dialog = page.getByTestId('invite-wizard');
	}

	async open(): Promise<void> {
		await this.page.getByTestId('invite-open').click();
		await expect(this.dialog).toBeVisible();
	}

	step(): Locator {
		return this.dialog.getByTestId('invite-step');
	}

	/** The refusal shown at a field (TextField's `<id>-error`). */
	errorAt(field: 'units' | 'expiry' | 'organization' | 'contact-email'): Locator {
		return this.dialog.locator(`#invite-${field}-error`);
	}

	async next(): Promise<void> {
		await this.dialog.getByTestId('invite-next').click();
	}

	async fillUpToLicense(input: InviteInput): Promise<void> {
		await this.dialog.getByTestId('invite-organization').fill(input.organization);
		await this.next();
		await expect(this.step()).toHaveAttribute('data-step', 'contact');
		await this.dialog.getByTestId('invite-contact-name').fill(input.contactName);
		await this.dialog.getByTestId('invite-contact-email').fill(input.contactEmail);
		await this.next();
		await expect(this.step()).toHaveAttribute('data-step', 'services');
		for (const kind of input.services ?? []) await this.dialog.getByTestId(`invite-service-${kind}`).check();
		await this.next();
		await expect(this.step()).toHaveAttribute('data-step', 'license');
	}

	async fillLicense(input: InviteInput): Promise<void> {
		if (input.billingType) await this.dialog.getByTestId('invite-type').selectOption(input.billingType);
		await this.dialog.getByTestId('invite-product').fill(input.product);
		await this.dialog.getByTestId('invite-units').fill(input.units);
		if (input.expiresOn) await this.dialog.getByTestId('invite-expiry').fill(input.expiresOn);
	}
}
