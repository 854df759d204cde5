// P9, S115-S118: the UI in five languages: the account menu switches the language without a reload, a reload keeps it,
// another device gets it from the server after sign-in; the sign-in page has the switcher too (the device's choice only).
// Screenshots of the dashboard in every language are attached to the report, each checked with axe.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test as base, expect, CONTEXT_OPTIONS, PASSWORD } from './support/fixtures';
import { violations } from './support/axe';
import { startServer, type RunningServer } from './support/server';
import type { DashboardSeed } from './support/seed-dashboard';
import { SignInPage } from './pages/sign-in-page';
import { DashboardPage } from './pages/dashboard-page';

const LOCALES = ['en', 'de', 'es', 'pl', 'it'] as const;
type Messages = Record<string, unknown>;
const messages = Object.fromEntries(
	LOCALES.map((locale) => [
		locale,
		JSON.parse(readFileSync(new URL(`../../messages/${locale}.json`, import.meta.url), 'utf8')) as Messages
	])
) as Record<(typeof LOCALES)[number], Messages>;

/** A plain message as Paraglide shows it in `locale`: the translation, or English while there is none. */
function text(locale: (typeof LOCALES)[number], key: string): string {
	const value = messages[locale][key] ?? messages.en[key];
	if (typeof value !== 'string') throw new Error(`${key} is not a plain message`);
	return value;
}

function seed(dataDir: string): Promise<DashboardSeed> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['--import', 'tsx', 'tests/e2e/support/seed-dashboard.ts', dataDir],
			{ env: { ...process.env, LOG_LEVEL: 'warn' } },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`seeding failed: ${stderr}`));
				else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as DashboardSeed);
			}
		);
	});
}

const test = base.extend<{ seeded: { server: RunningServer; seed: DashboardSeed } }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even when no fixture is used
	seeded: async ({}, use) => {
		const dataDir = mkdtempSync(join(tmpdir(), 'msp-e2e-languages-'));
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

async function signIn(page: Page, url: string, email: string): Promise<DashboardPage> {
	const signInPage = new SignInPage(page);
	await signInPage.goto(url);
	await signInPage.submit(email, PASSWORD);
	const dashboard = new DashboardPage(page);
	await dashboard.expectShown();
	return dashboard;
}

/** Opens the account menu and picks a language there. */
async function chooseInAccountMenu(page: Page, locale: string): Promise<void> {
	await page.getByTestId('user-email').click();
	await page.getByTestId('account-language').selectOption(locale);
	await page.keyboard.press('Escape');
}

const html = (page: Page) => page.locator('html');

test('S115, S118, P9: the language switched in the account menu re-renders at once, survives a reload and follows the person to a new device', async ({
	seeded,
	browser
}, testInfo) => {
	const { server, seed: data } = seeded;
	const tablet = await browser.newContext({ ...CONTEXT_OPTIONS, locale: 'en-US' });
	const laptop = await browser.newContext({ ...CONTEXT_OPTIONS, locale: 'en-US' });
	try {
		const page = await tablet.newPage();
		const dashboard = await signIn(page, server.url, data.owner);
		await expect(html(page)).toHaveAttribute('lang', 'en');
		const shown = page.getByTestId('window-shown');
		// English dates: "Nov 20, 2026, 2:05 PM".
		await expect(shown).toHaveText(/[A-Z][a-z]{2} \d{1,2}, \d{4}/);
		// Marks this page: a reload would lose it.
		await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));

		await chooseInAccountMenu(page, 'de');
		await expect(html(page)).toHaveAttribute('lang', 'de');
		await expect(shown).toHaveText(/\d{2}\.\d{2}\.\d{4}/);
		await expect(page.getByTestId('nav-customers')).toHaveAccessibleName(text('de', 'nav_customers'));
		await page.getByTestId('user-email').click();
		await expect(page.getByTestId('account-menu').getByText(text('de', 'locale_label'), { exact: true })).toBeVisible();
		await testInfo.attach('account-menu-de', {
			body: await page.screenshot({ path: testInfo.outputPath('account-menu-de.png') }),
			contentType: 'image/png'
		});
		await page.keyboard.press('Escape');
		expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);
		await expect(dashboard.screen).toBeVisible();

		await page.reload();
		await dashboard.expectShown();
		await expect(html(page)).toHaveAttribute('lang', 'de');
		await expect(shown).toHaveText(/\d{2}\.\d{2}\.\d{4}/);

		// A new device: the browser says English and nothing is stored; after sign-in the server's choice applies.
		const other = await laptop.newPage();
		const signInPage = new SignInPage(other);
		await signInPage.goto(server.url);
		await expect(html(other)).toHaveAttribute('lang', 'en');
		await signInPage.submit(data.owner, PASSWORD);
		await new DashboardPage(other).expectShown();
		await expect(html(other)).toHaveAttribute('lang', 'de');
		await expect(other.getByTestId('window-shown')).toHaveText(/\d{2}\.\d{2}\.\d{4}/);
	} finally {
		await tablet.close();
		await laptop.close();
	}
});

test('S115, S118: the sign-in page switches the language for this device only; the server keeps no choice for the person who signs in', async ({
	seeded,
	browser
}, testInfo) => {
	const { server, seed: data } = seeded;
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, locale: 'en-US' });
	try {
		const page = await context.newPage();
		const signInPage = new SignInPage(page);
		await signInPage.goto(server.url);
		await page.getByTestId('signin-language').selectOption('pl');
		await expect(html(page)).toHaveAttribute('lang', 'pl');
		await expect(page.getByText(text('pl', 'locale_label'), { exact: true })).toBeVisible();
		await testInfo.attach('signin-pl', {
			body: await page.screenshot({ path: testInfo.outputPath('signin-pl.png') }),
			contentType: 'image/png'
		});
		await signInPage.submit(data.helpDesk, PASSWORD);
		await new DashboardPage(page).expectShown();
		await expect(html(page)).toHaveAttribute('lang', 'pl');
		const me = await page.evaluate(async () => (await fetch('/api/me')).json());
		expect((me as { locale: string | null }).locale).toBeNull();
	} finally {
		await context.close();
	}
});

test('P9: the dashboard in each of the five languages looks right on a tablet (screenshots attached) with no serious or critical axe violation; the saved date, time and week settings apply on the dashboard', async ({
	seeded,
	browser
}, testInfo) => {
	const { server, seed: data } = seeded;
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, bypassCSP: true });
	try {
		const page = await context.newPage();
		const dashboard = await signIn(page, server.url, data.owner);
		for (const locale of LOCALES) {
			await chooseInAccountMenu(page, locale);
			await expect(html(page)).toHaveAttribute('lang', locale);
			await expect(page.getByTestId('nav-customers')).toHaveAccessibleName(text(locale, 'nav_customers'));
			await expect(dashboard.map).toBeVisible();
			await testInfo.attach(`dashboard-${locale}`, {
				body: await page.screenshot({ fullPage: true, path: testInfo.outputPath(`dashboard-${locale}.png`) }),
				contentType: 'image/png'
			});
			const found = (await violations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
			expect(found, `axe in ${locale}`).toEqual([]);
		}
		// P9: the date and time settings, shown with examples in the UI's language.
		await chooseInAccountMenu(page, 'de');
		await page.getByTestId('nav-settings').click();
		const formats = page.getByTestId('settings-formats');
		await expect(formats).toBeVisible();
		await expect(page.getByTestId('settings-date-format').locator('option')).toHaveText([
			/31\.12\.2026/,
			'31.12.2026',
			'31/12/2026',
			'12/31/2026',
			'2026-12-31'
		]);
		await page.getByTestId('settings-date-format').selectOption('yyyy-mm-dd');
		await page.getByTestId('settings-time-format').selectOption('12h');
		await expect(page.getByTestId('settings-formats-preview')).toContainText(
			/\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}\s?(AM|PM)/
		);
		await formats.scrollIntoViewIfNeeded();
		await testInfo.attach('settings-formats-de', {
			body: await page.screenshot({ path: testInfo.outputPath('settings-formats-de.png') }),
			contentType: 'image/png'
		});
		const found = (await violations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
		expect(found, 'axe on the settings').toEqual([]);

		// Saved, the settings apply on every screen: the dashboard's window reads in them, and its week starts on Sunday.
		await page.getByTestId('settings-week-start').selectOption('sunday');
		await page.getByTestId('settings-form').locator('button[type=submit]').click();
		await expect(page.getByTestId('settings-form').getByRole('status')).toBeVisible();
		await page.getByTestId('nav-dashboard').click();
		await dashboard.expectShown();
		await expect(page.getByTestId('window-shown')).toHaveText(/\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}\s?(AM|PM)/);
		await page.locator('[data-window=custom]').click();
		await page.getByTestId('window-this-week').click();
		const from = await page.getByTestId('window-from').inputValue();
		const to = await page.getByTestId('window-to').inputValue();
		expect(new Date(`${from}T12:00:00Z`).getUTCDay()).toBe(0);
		expect(Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)).toBe(6 * 86_400_000);
		await testInfo.attach('dashboard-custom-week-de', {
			body: await page.screenshot({ path: testInfo.outputPath('dashboard-custom-week-de.png') }),
			contentType: 'image/png'
		});
	} finally {
		await context.close();
	}
});
