// P17: the owner renames a node in the tree, finds the change in the Audit log, filters by action and downloads the CSV.
import { readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures';
import { AuditPage } from './pages/audit-page';

test('P17: a rename in the tree shows in the audit log, filtered by action, and in the CSV download', async ({
	tenant,
	devices
}) => {
	const { page, tree } = await devices.signedIn(tenant.server.url, tenant.owner);
	await tree.addAtRoot('msp', 'Alpen IT');
	await tree.expectInSync();
	await tree.rename('Alpen IT', 'Alpen IT, "Süd"');
	await tree.expectInSync();

	const audit = new AuditPage(page);
	await audit.open();
	await expect(audit.row('updated', 'renamed')).toHaveCount(1);
	await expect(audit.row('updated', 'renamed')).toContainText(tenant.owner.email);
	await expect(audit.row('created', 'created')).toHaveCount(1);
	await expect(audit.row('signedIn', 'signed in')).toHaveCount(1);

	await audit.filterByAction('updated');
	await expect(audit.rows).toHaveCount(1);
	await expect(audit.row('updated', 'renamed')).toHaveCount(1);

	const download = await audit.downloadCsv();
	expect(download.suggestedFilename()).toBe('audit-start-now.csv');
	const bytes = readFileSync((await download.path())!);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
	expect(lines[0]).toBe('Time,Made on device,User,Address,Item type,Item,Action,Description');
	// The filter applies to the file too: only the rename.
	expect(lines).toHaveLength(2);
	expect(lines[1]).toContain(`,${tenant.owner.email},`);
	expect(lines[1]).toMatch(/,treeNode,[A-Za-z0-9_-]+,updated,renamed$/);
});

test('P17: a read-only user has no Audit log link and the screen answers that it is not theirs', async ({
	cliTenant,
	devices
}) => {
	const { page } = await devices.signedIn(cliTenant.server.url, cliTenant.reader);
	const audit = new AuditPage(page);
	await expect(audit.navLink).toHaveCount(0);
	await page.goto(`${cliTenant.server.url}/audit`);
	await expect(page.getByTestId('audit-error')).toBeVisible();
	await expect(audit.rows).toHaveCount(0);
});
