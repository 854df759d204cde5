// The file connector's watched folder: DATA_DIR/imports/<tenantId>/, looked at by the scheduler every minute (fake clock).
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureText, startLicensePortal, TENANT, type LicensePortal } from './licenses-harness';

const MINUTE = 60 * 1000;

let h: LicensePortal;
let folder: string;

beforeEach(async () => {
	h = await startLicensePortal();
	folder = join(h.dataDir, 'imports', TENANT);
	mkdirSync(folder, { recursive: true });
});
afterEach(async () => {
	await h.close();
});

function drop(name: string, text: string, modified?: Date): void {
	writeFileSync(join(folder, name), text);
	if (modified) utimesSync(join(folder, name), modified, modified);
}

async function minute(): Promise<void> {
	h.clock.advance(MINUTE);
	await h.settle();
}

const list = (sub = '') => (existsSync(join(folder, sub)) ? readdirSync(join(folder, sub)).sort() : []);

describe('watched folder', () => {
	it('L1, L12: a file put into the folder is imported within a minute and moves to done/', async () => {
		drop('msp-account.csv', fixtureText('msp-account.csv'));
		drop('notes.txt', 'not an export');
		drop('next.json.part', '{ "still": "being written');
		await minute();
		expect(await h.tenant((repo) => repo.licenses().length)).toBe(5);
		expect(list()).toEqual(['done', 'next.json.part', 'notes.txt']);
		expect(list('done')).toEqual(['msp-account.csv']);
		const [entry] = await h.store.listAudit({ tenantId: TENANT, action: 'licensesImported' });
		expect(entry).toMatchObject({
			userId: null,
			item: 'acc-7710',
			description: 'file import from the watched folder: added 5, changed 0, removed 0, companies added 5'
		});
		// The same name again later does not overwrite the first one.
		drop('msp-account.csv', fixtureText('msp-account.csv'));
		await minute();
		expect(list('done')).toHaveLength(2);
	});

	it('S45: a refused file moves to failed/ with a readable <name>.errors.txt, and nothing is imported', async () => {
		drop('broken.json', fixtureText('broken.json'));
		await minute();
		expect(h.appends()).toBe(0);
		expect(list('failed')).toEqual(['broken.json', 'broken.json.errors.txt']);
		const errors = readFileSync(join(folder, 'failed', 'broken.json.errors.txt'), 'utf8').split('\n');
		expect(errors[0]).toMatch(
			/^broken\.json was not imported \(2026-11-20T08:01:00\.000Z\): the file cannot be imported: 3 problem\(s\)/
		);
		expect(errors.slice(3, 6)).toEqual([
			expect.stringMatching(/^broken\.json: licenses\[0\]\.expiresOn: /),
			'broken.json: licenses[1].unitsOrdered: at least one unit is ordered',
			'broken.json: licenses[2].companyId: no company "co-999" in this account'
		]);
	});

	it('the newest file is imported; older ones beside it are set aside in failed/ with the reason', async () => {
		drop('monday.json', fixtureText('msp-account.json'), new Date('2026-11-16T06:00:00Z'));
		drop('tuesday.json', fixtureText('msp-account-next-day.json'), new Date('2026-11-17T06:00:00Z'));
		await minute();
		expect(await h.tenant((repo) => repo.licenses().length)).toBe(7);
		expect(list('done')).toEqual(['tuesday.json']);
		expect(list('failed')).toEqual(['monday.json', 'monday.json.errors.txt']);
		expect(readFileSync(join(folder, 'failed', 'monday.json.errors.txt'), 'utf8')).toContain(
			'a newer file (tuesday.json) was put into the folder beside it'
		);
	});

	it('symbolic links and folders of unknown tenants are left alone', async () => {
		writeFileSync(join(h.dataDir, 'elsewhere.json'), fixtureText('msp-account.json'));
		symlinkSync(join(h.dataDir, 'elsewhere.json'), join(folder, 'link.json'));
		const stranger = join(h.dataDir, 'imports', 'other-tenant');
		mkdirSync(stranger);
		writeFileSync(join(stranger, 'msp-account.json'), fixtureText('msp-account.json'));
		await minute();
		expect(h.appends()).toBe(0);
		expect(list()).toEqual(['link.json']);
		expect(readdirSync(stranger)).toEqual(['msp-account.json']);
	});
});
