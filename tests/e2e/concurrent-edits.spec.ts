// F2 (S31): two devices rename one customer, one of them offline; after the reconnect both show the same name and
// both say that the name was changed on another device at the same time, and which value was kept.
import { test, expect } from './support/fixtures';

test('F2 (S31): a concurrent rename of one node resolves the same on both devices, and both show that it happened', async ({
	tenant,
	devices
}) => {
	const a = await devices.signedIn(tenant.server.url, tenant.owner);
	const b = await devices.signedIn(tenant.server.url, tenant.owner);
	await a.tree.addAtRoot('msp', 'Adatum MSP', 'ES');
	await a.tree.addChild('Adatum MSP', 'customer', 'Fabrikam', 'ES');
	await expect(b.tree.row('Fabrikam')).toBeVisible();
	await b.tree.expectInSync();

	await b.net.goOffline();
	await b.tree.expectOffline();
	await a.tree.rename('Fabrikam', 'Fabrikam SA');
	await a.tree.expectInSync();
	await b.tree.rename('Fabrikam', 'Fabrikam S.A. (ES)');
	const notices = [a, b].map((device) => device.page.getByTestId('concurrent-edits-notice'));
	for (const notice of notices) await expect(notice).toHaveCount(0);

	await b.net.goOnline();
	await b.tree.expectInSync();
	await a.tree.expectInSync();

	// The same name on both devices: Yjs picks one value, the same everywhere.
	const bKept = (await b.tree.row('Fabrikam S.A. (ES)').count()) === 1;
	const [kept, notKept] = bKept ? ['Fabrikam S.A. (ES)', 'Fabrikam SA'] : ['Fabrikam SA', 'Fabrikam S.A. (ES)'];
	for (const device of [a, b]) {
		await expect(device.tree.row(kept)).toBeVisible();
		await expect(device.tree.row(notKept)).toHaveCount(0);
	}

	const [winner, loser] = bKept ? [b, a] : [a, b];
	const lost = loser.page.getByTestId('concurrent-edit');
	await expect(lost).toHaveCount(1);
	await expect(lost).toHaveAttribute('data-kept-ours', 'false');
	await expect(lost).toHaveText(`Name of “${kept}”: kept “${kept}” from the other device, not your “${notKept}”`);

	// The device whose value stayed says so too; when its value reached the relay first, the relay dropped the other
	// value before forwarding it, and only the fact of the concurrent edit reaches it.
	const won = winner.page.getByTestId('concurrent-edit');
	await expect(won).toHaveCount(1);
	await expect(won).toHaveAttribute('data-kept-ours', 'true');
	await expect(won).toHaveText(
		winner === b
			? `Name of “${kept}”: kept your “${kept}”, not “${notKept}” from the other device`
			: `Name of “${kept}”: kept your “${kept}”; the other device's change was not kept`
	);
	await b.page.screenshot({ path: '/tmp/shots/concurrent-edits-b.png' });
	await a.page.screenshot({ path: '/tmp/shots/concurrent-edits-a.png' });

	// Non-blocking: the tree stays usable with the notice shown, and dismissing it removes it.
	await expect(loser.tree.row(kept)).toBeVisible();
	await loser.page.getByTestId('concurrent-edits-dismiss').click();
	await expect(loser.page.getByTestId('concurrent-edits-notice')).toHaveCount(0);
});
