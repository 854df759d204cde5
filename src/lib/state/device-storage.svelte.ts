// F7: this device's storage as the sync details show it: persistence asked once after sign-in, usage read on demand.
import { createDeviceStorage, type DeviceStorage, type StorageUse } from '$lib/data/device/device-storage';

export class DeviceStorageState {
	readonly #storage: DeviceStorage;
	#use = $state<StorageUse | null>(null);

	constructor(storage: DeviceStorage) {
		this.#storage = storage;
	}

	/** The last reading; null until read, or when the browser cannot tell. */
	get use(): StorageUse | null {
		return this.#use;
	}

	/** Asks the browser to keep this device's data (once per app start; the browser may decide by itself). */
	requestPersistence(): void {
		void this.#storage.requestPersistence().then(() => this.refresh());
	}

	/** Reads usage, quota and persistence again (the sync details call it when they open). */
	async refresh(): Promise<void> {
		this.#use = await this.#storage.estimate();
	}
}

export const deviceStorage = new DeviceStorageState(
	createDeviceStorage(typeof navigator === 'undefined' ? undefined : navigator.storage)
);
