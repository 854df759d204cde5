// Every route of the app, in each of the five languages, on the demo tenant: axe finds no serious or critical violation,
// every control is a touch target of at least 44 px, nothing is wider than the screen, and screenshots at 768x1024 (portrait) and 1024x768 (landscape)
// are attached to the report.
import type { Page, TestInfo } from '@playwright/test';
import { startServer, type RunningServer } from './support/server';
import { CONTEXT_OPTIONS, expect, test } from './support/fixtures';
import { violations } from './support/axe';
import { SignInPage } from './pages/sign-in-page';
import { TreePage } from './pages/tree-page';

const LOCALES = (process.env.SWEEP_LOCALES?.split(',') ?? ['en', 'de', 'es', 'pl', 'it']) as readonly (
	'en' | 'de' | 'es' | 'pl' | 'it'
)[];
type Locale = 'en' | 'de' | 'es' | 'pl' | 'it';

/** The routes a signed-in owner reaches; `:customer` is the first customer of the directory. */
const ROUTES = [
	'/dashboard',
	'/customers',
	'/customers/:customer',
	'/tree',
	'/licenses',
	'/jobs',
	'/service-requests',
	'/reports',
	'/reports/operations',
	'/reports/licenses',
	'/reports/storage',
	'/reports/activity',
	'/reports/insights',
	'/reports/custom',
	'/reports/custom/new',
	'/billing',
	'/users',
	'/audit',
	'/settings',
	'/settings/tags',
	'/settings/insights',
	'/settings/templates'
] as const;

/** WCAG 2.5.5's exception: a link inside a sentence is as tall as the text around it. */
interface SmallTarget {
	readonly what: string;
	readonly width: number;
	readonly height: number;
}

/** Visible controls smaller than 44x44 px (a checkbox or radio counts by its label, which is the touch target). */
function smallTargets(page: Page): Promise<SmallTarget[]> {
	return page.evaluate(() => {
		const MIN = 44;
		const selector =
			'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=button], [role=tab], [role=menuitem], [role=option], [role=switch], [role=checkbox]';
		const out: { what: string; width: number; height: number }[] = [];
		for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
			const style = getComputedStyle(element);
			if (style.visibility === 'hidden' || style.display === 'none') continue;
			let rect = element.getBoundingClientRect();
			if (rect.width === 0 || rect.height === 0) continue;
			// Visually hidden (screen-reader only) controls are not touched.
			if (rect.width <= 1 || rect.height <= 1) continue;
			// WCAG 2.5.5's "equivalent" exception: the same action has a full-size control elsewhere on the screen (the
			// dashboard's country table for the map's countries).
			if (element.closest('[data-touch-equivalent]')) continue;
			if (
				element instanceof HTMLAnchorElement &&
				element.closest('p, li > span, td')?.textContent !== element.textContent
			)
				continue;
			if (element instanceof HTMLInputElement && (element.type === 'checkbox' || element.type === 'radio')) {
				const label =
					element.closest('label') ?? (element.id ? document.querySelector(`label[for="${element.id}"]`) : null);
				if (label) rect = label.getBoundingClientRect();
			}
			if (Math.round(rect.width) < MIN || Math.round(rect.height) < MIN) {
				const name =
					element.getAttribute('data-testid') ??
					element.getAttribute('aria-label') ??
					element.textContent?.trim().slice(0, 40) ??
					'';
				out.push({
					what: `${element.tagName.toLowerCase()} "${name}"`,
					width: Math.round(rect.width),
					height: Math.round(rect.height)
				});
			}
		}
		return out;
	});
}

/** Saved under test-results/ (kept after the run) and attached to the report. */
async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	const path = testInfo.outputPath(`${name.replaceAll(/[^a-z0-9-]+/gi, '_')}.png`);
	await page.screenshot({ path });
	await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function signInDemo(server: RunningServer, page: Page): Promise<void> {
	const demo = server.demoSignIn;
	if (!demo) throw new Error('the demo server printed no sign-in');
	const signIn = new SignInPage(page);
	await signIn.goto(server.url);
	await signIn.submit(demo.email, demo.password);
	await new TreePage(page).openFromLanding();
}

async function setLanguage(page: Page, locale: Locale): Promise<void> {
	await page.getByTestId('user-email').click();
	await page.getByTestId('account-language').selectOption(locale);
	await page.keyboard.press('Escape');
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
}

async function openRoute(page: Page, base: string, route: string, customerId: string): Promise<void> {
	const path = route.replace(':customer', customerId);
	await page.goto(base + path);
	await expect(page.locator('h1').first()).toBeVisible();
}

test('every route in every language: no serious or critical axe violation, 44 px touch targets, nothing wider than the screen, portrait and landscape screenshots', async ({
	browser
}, testInfo) => {
	test.setTimeout(600_000);
	const server = await startServer({ args: ['--demo'] });
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, bypassCSP: true });
	try {
		const page = await context.newPage();
		await signInDemo(server, page);
		await page.goto(`${server.url}/customers`);
		const firstRow = page.getByTestId('directory-row').first();
		await expect(firstRow).toBeVisible();
		const customerId = (await firstRow.getAttribute('data-customer-id'))!;
		expect(customerId).toBeTruthy();

		const problems: string[] = [];
		for (const locale of LOCALES) {
			await page.setViewportSize({ width: 768, height: 1024 });
			await page.goto(`${server.url}/dashboard`);
			await setLanguage(page, locale);
			for (const route of ROUTES) {
				for (const size of locale === 'en'
					? [
							{ width: 768, height: 1024 },
							{ width: 1024, height: 768 }
						]
					: [{ width: 768, height: 1024 }]) {
					await page.setViewportSize(size);
					await openRoute(page, server.url, route, customerId);
					await attachScreenshot(page, testInfo, `${locale} ${route} ${size.width}x${size.height}`);
					for (const violation of await violations(page))
						if (violation.impact === 'serious' || violation.impact === 'critical')
							problems.push(
								`${locale} ${route} ${size.width}x${size.height}: axe ${violation.id} ${violation.targets.join(', ')}`
							);
					// Nothing wider than the screen: a tablet does not scroll sideways (the app bar included).
					const width = await page.evaluate(() => document.documentElement.scrollWidth);
					if (width > size.width)
						problems.push(`${locale} ${route} ${size.width}x${size.height}: the page is ${width} px wide`);
					for (const target of await smallTargets(page))
						problems.push(
							`${locale} ${route} ${size.width}x${size.height}: ${target.what} is ${target.width}x${target.height}`
						);
				}
			}
		}
		expect(problems).toEqual([]);
	} finally {
		await context.close();
		await server.stop();
	}
});
