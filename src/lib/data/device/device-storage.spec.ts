// F7: persistence is asked once, usage and quota are read and parsed, with a stubbed navigator.storage.
import { describe, expect, it, vi } from 'vitest';
import { createDeviceStorage } from './device-storage';

function stubStorage(options: { persisted?: boolean; grant?: boolean; estimate?: unknown } = {}) {
	let persisted = options.persisted ?? false;
	return {
		persist: vi.fn(async () => {
			persisted = options.grant ?? true;
			return persisted;
		}),
		persisted: vi.fn(async () => persisted),
		estimate: vi.fn(async () => ('estimate' in options ? options.estimate : { usage: 3_200_000, quota: 1_100_000_000 }))
	};
}

describe('createDeviceStorage', () => {
	it('F7: asks the browser to persist once, however often it is called', async () => {
		const manager = stubStorage({ grant: true });
		const storage = createDeviceStorage(manager);
		const answers = await Promise.all([storage.requestPersistence(), storage.requestPersistence()]);
		expect(await storage.requestPersistence()).toBe(true);
		expect(answers).toEqual([true, true]);
		expect(manager.persist).toHaveBeenCalledTimes(1);
	});

	it('F7: does not ask again when the storage is already persistent', async () => {
		const manager = stubStorage({ persisted: true });
		expect(await createDeviceStorage(manager).requestPersistence()).toBe(true);
		expect(manager.persist).not.toHaveBeenCalled();
	});

	it('F7: a refusal is reported as not persistent', async () => {
		const manager = stubStorage({ grant: false });
		const storage = createDeviceStorage(manager);
		expect(await storage.requestPersistence()).toBe(false);
		expect(await storage.estimate()).toEqual({ usage: 3_200_000, quota: 1_100_000_000, persisted: false });
	});

	it('F7: usage, quota and persistence come from estimate() and persisted()', async () => {
		const manager = stubStorage({ persisted: true, estimate: { usage: 512, quota: 2_000_000, usageDetails: {} } });
		expect(await createDeviceStorage(manager).estimate()).toEqual({ usage: 512, quota: 2_000_000, persisted: true });
	});

	it('F7: without navigator.storage, or with an answer that does not parse, nothing is claimed', async () => {
		const none = createDeviceStorage(undefined);
		expect(await none.requestPersistence()).toBeNull();
		expect(await none.estimate()).toBeNull();

		for (const estimate of [{ usage: 1 }, { usage: -1, quota: 10 }, { usage: 'a lot', quota: 10 }, null]) {
			expect(await createDeviceStorage(stubStorage({ estimate })).estimate()).toBeNull();
		}
		const failing = { estimate: vi.fn(async () => Promise.reject(new Error('blocked'))) };
		expect(await createDeviceStorage(failing).estimate()).toBeNull();
		// estimate() alone (no persisted()): the browser cannot say whether it keeps the data.
		const estimateOnly = { estimate: vi.fn(async () => ({ usage: 0, quota: 1000 })) };
		expect(await createDeviceStorage(estimateOnly).estimate()).toEqual({ usage: 0, quota: 1000, persisted: null });
	});
});
