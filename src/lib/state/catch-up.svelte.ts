// S28: what the sync details show of the background catch-up (customers made available offline).
import { createSubscriber } from 'svelte/reactivity';
import type { CatchUp, CatchUpProgress } from '$lib/data/device/catch-up';

export type { CatchUpProgress } from '$lib/data/device/catch-up';

export class CatchUpState {
	readonly #catchUp: CatchUp;
	#subscribe = createSubscriber((update) => this.#catchUp.onProgress(update));

	constructor(catchUp: CatchUp) {
		this.#catchUp = catchUp;
	}

	get progress(): CatchUpProgress {
		this.#subscribe();
		return this.#catchUp.progress();
	}
}
