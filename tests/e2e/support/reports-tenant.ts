// The `reports` fixture: a fresh data directory seeded by seed-reports.ts (a child process, like the CLI) and the
// production server started on it; both removed after. Plus signing in and opening a report.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { test as base, PASSWORD } from './fixtures';
import { startServer, type RunningServer } from './server';
import type { ReportsSeed } from './seed-reports';
import { SignInPage } from '../pages/sign-in-page';

function seed(dataDir: string): Promise<ReportsSeed> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['--import', 'tsx', 'tests/e2e/support/seed-reports.ts', dataDir],
			{ env: { ...process.env, LOG_LEVEL: 'warn' } },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`seeding failed: ${stderr}`));
				else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as ReportsSeed);
			}
		);
	});
}

export const test = base.extend<{ reports: { server: RunningServer; seed: ReportsSeed } }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even when no fixture is used
	reports: async ({}, use) => {
		const dataDir = mkdtempSync(join(tmpdir(), 'msp-e2e-reports-'));
		try {
			const seeded = await seed(dataDir);
			const server = await startServer({ dataDir });
			try {
				await use({ server, seed: seeded });
			} finally {
				await server.stop();
			}
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	}
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
