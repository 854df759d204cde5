import { defineConfig } from '@playwright/test';

/** Debian's chromium: Playwright's own browser download cannot work on these machines (see STACK.md). */
export const chromiumLaunchOptions = {
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-quic',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run'
	]
};

export default defineConfig({
	testDir: 'tests/e2e',
	forbidOnly: Boolean(process.env.CI),
	retries: process.env.CI ? 1 : 0,
	// Each test starts its own production server on port 0; two cores run one browser test at a time best.
	workers: 1,
	fullyParallel: false,
	timeout: 90_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	outputDir: 'test-results',
	use: {
		trace: 'on-first-retry',
		screenshot: 'only-on-failure',
		viewport: { width: 768, height: 1024 },
		hasTouch: true,
		launchOptions: chromiumLaunchOptions
	}
});
