// Playwright fixtures: a fresh production server per test (always stopped), tenants set up through the API or the CLI,
// and "devices": separate browser contexts, each with its own network switch, signed in through the UI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { startServer, type RunningServer } from './server';
import { runCli } from './cli';
import { NetworkSwitch } from './network';
import { SignInPage } from '../pages/sign-in-page';
import { TreePage } from '../pages/tree-page';

export interface Account {
	readonly email: string;
	readonly password: string;
}

export interface Tenant {
	readonly server: RunningServer;
	readonly tenantId: string;
	readonly tenantName: string;
	readonly owner: Account;
}

export interface CliTenant extends Tenant {
	readonly admin: Account;
	readonly reader: Account;
}

/** One browser context: its own cookies, IndexedDB and service worker, like a second tablet. */
export interface Device {
	readonly context: BrowserContext;
	readonly page: Page;
	readonly net: NetworkSwitch;
	readonly tree: TreePage;
}

export interface Devices {
	/**
	 * A new context with the network switch installed, signed in through the sign-in form (landing on the dashboard), then
	 * showing the tree in sync, with its service worker active (so an offline reload gets the app).
	 */
	signedIn(url: string, account: Account, options?: { holdSockets?: RegExp }): Promise<Device>;
}

interface Fixtures {
	/** A fresh server with no users: it printed a one-time setup link. */
	server: RunningServer;
	/** A fresh server whose setup was done through `POST /api/setup`. */
	tenant: Tenant;
	/** A tenant with an owner, an admin and a read-only user created with the CLI before the server started. */
	cliTenant: CliTenant;
	devices: Devices;
}

export const PASSWORD = 'correct horse battery';

/** What every test context gets (playwright.config.ts `use` does not reach `browser.newContext()`). */
export const CONTEXT_OPTIONS = { viewport: { width: 768, height: 1024 }, hasTouch: true } as const;

export const test = base.extend<Fixtures>({
	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even when no fixture is used
	server: async ({}, use) => {
		const server = await startServer();
		try {
			await use(server);
		} finally {
			await server.stop();
		}
	},

	tenant: async ({ server }, use) => {
		const owner = { email: 'owner@northwind.example', password: PASSWORD };
		const tenantName = 'Northwind IT';
		if (!server.setupUrl) throw new Error('the fresh server printed no setup link');
		const token = new URL(server.setupUrl).searchParams.get('token');
		const response = await fetch(`${server.url}/api/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ token, email: owner.email, password: owner.password, tenantName })
		});
		expect(response.status).toBe(201);
		const { tenantId } = (await response.json()) as { tenantId: string };
		await use({ server, tenantId, tenantName, owner });
	},

	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even when no fixture is used
	cliTenant: async ({}, use) => {
		const dataDir = mkdtempSync(join(tmpdir(), 'msp-e2e-cli-'));
		try {
			const tenantName = 'Contoso Services';
			const tenantId = await runCli(dataDir, ['tenant', 'create', tenantName]);
			const owner = { email: 'owner@contoso.example', password: PASSWORD };
			const admin = { email: 'admin@contoso.example', password: PASSWORD };
			const reader = { email: 'reader@contoso.example', password: PASSWORD };
			for (const [account, role] of [
				[owner, 'owner'],
				[admin, 'admin'],
				[reader, 'readOnly']
			] as const) {
				await runCli(dataDir, [
					'user',
					'create',
					'--tenant',
					tenantId,
					'--email',
					account.email,
					'--password',
					account.password,
					'--role',
					role
				]);
			}
			const server = await startServer({ dataDir });
			try {
				await use({ server, tenantId, tenantName, owner, admin, reader });
			} finally {
				await server.stop();
			}
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	},

	devices: async ({ browser }, use) => {
		const contexts: BrowserContext[] = [];
		await use({
			async signedIn(url, account, options = {}) {
				const context = await browser.newContext(CONTEXT_OPTIONS);
				contexts.push(context);
				const net = await NetworkSwitch.install(context);
				if (options.holdSockets) net.holdSockets(options.holdSockets);
				const page = await context.newPage();
				const signIn = new SignInPage(page);
				await signIn.goto(url);
				await signIn.submit(account.email, account.password);
				const tree = new TreePage(page);
				await tree.openFromLanding();
				await tree.expectInSync();
				// F1: a device is ready to go offline once its service worker is active (installed with the app's files):
				// a reload before that is a network error, not the offline app.
				await page.evaluate(async () => {
					await navigator.serviceWorker.ready;
				});
				return { context, page, net, tree };
			}
		});
		// Closed before the server stops (fixtures tear down in reverse order), so no socket outlives its test.
		await Promise.all(contexts.map((context) => context.close()));
	}
});

export { expect };
