// F7: this device's browser storage for the app: asking that it be kept (persistent), and how much of the quota is used.
import { z } from 'zod';

/** The part of `navigator.storage` (StorageManager) the app uses; each method may be missing in an older browser. */
export interface StorageManagerLike {
	persist?: () => Promise<boolean>;
	persisted?: () => Promise<boolean>;
	estimate?: () => Promise<unknown>;
}

export interface StorageUse {
	/** Bytes this origin uses (IndexedDB, caches, local storage). */
	readonly usage: number;
	/** Bytes the browser lets this origin use. */
	readonly quota: number;
	/** True: the browser keeps the data under storage pressure; false: it may clear it; null: it cannot say. */
	readonly persisted: boolean | null;
}

export interface DeviceStorage {
	/**
	 * Asks the browser once to keep this origin's data (`persist()`), unless it already does; later calls answer the
	 * first call's result. Answers whether storage is persistent, null when the browser has no such API or it failed.
	 */
	requestPersistence(): Promise<boolean | null>;
	/** Usage, quota and persistence now; null when the browser cannot tell. */
	estimate(): Promise<StorageUse | null>;
}

// What the browser answers is parsed like any outside input: a missing or odd number shows nothing rather than NaN.
const estimateSchema = z.object({
	usage: z.number().finite().nonnegative(),
	quota: z.number().finite().positive()
});

export function createDeviceStorage(manager: StorageManagerLike | undefined): DeviceStorage {
	let requested: Promise<boolean | null> | null = null;

	async function persisted(): Promise<boolean | null> {
		if (!manager?.persisted) return null;
		try {
			return z.boolean().parse(await manager.persisted());
		} catch {
			return null;
		}
	}

	async function request(): Promise<boolean | null> {
		if (await persisted()) return true;
		if (!manager?.persist) return null;
		try {
			return z.boolean().parse(await manager.persist());
		} catch {
			return null;
		}
	}

	return {
		requestPersistence() {
			requested ??= request();
			return requested;
		},
		async estimate() {
			if (!manager?.estimate) return null;
			try {
				const [raw, isPersisted] = await Promise.all([manager.estimate(), persisted()]);
				const parsed = estimateSchema.safeParse(raw);
				return parsed.success ? { ...parsed.data, persisted: isPersisted } : null;
			} catch {
				return null;
			}
		}
	};
}
