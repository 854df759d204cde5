// The `reports` fixture: a fresh data directory seeded by seed-reports.ts (a child process, like the CLI) and the
// production server started on it; both removed after. Plus signing in and opening a report.
import { expect, type Page } from '@playwright/test';
import { test as base, PASSWORD } from './fixtures';
import type { RunningServer } from './server';
import { withSeededServer } from './seeded-server';
import type { ReportsSeed } from './seed-reports';
import { SignInPage } from '../pages/sign-in-page';

export const test = base.extend<{ reports: { server: RunningServer; seed: ReportsSeed } }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even when no fixture is used
	reports: async ({}, use) => withSeededServer<ReportsSeed>('tests/e2e/support/seed-reports.ts', use)
});

export async function signIn(page: Page, url: string, email: string): Promise<void> {
	const form = new SignInPage(page);
	await form.goto(url);
	await form.submit(email, PASSWORD);
	await expect(page).toHaveURL(/\/dashboard/);
}

/** Opens a report from the index, as a person would. */
export async function openReport(page: Page, slug: string): Promise<void> {
	await page.getByTestId('nav-reports').click();
	await page.getByTestId(`report-link-${slug}`).click();
	await expect(page.getByTestId(`report-${slug}`)).toBeVisible();
}
