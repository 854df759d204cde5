// Whether the browser believes it has a network, as a reactive value (navigator.onLine and its events).
import { createSubscriber } from 'svelte/reactivity';
import { on } from 'svelte/events';

export class NetworkState {
	#subscribe = createSubscriber((update) => {
		const offOnline = on(window, 'online', update);
		const offOffline = on(window, 'offline', update);
		return () => {
			offOnline();
			offOffline();
		};
	});

	get online(): boolean {
		this.#subscribe();
		return navigator.onLine;
	}
}

export const network = new NetworkState();
