// The browser's replica set: live documents synced with the relay on this same origin (`/sync/<docName>`).
import { createReplicaSet, type ReplicaSet } from '$lib/data/device/replica-set';

export function createAppReplicaSet(): ReplicaSet {
	const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
	return createReplicaSet({ serverUrl: `${scheme}//${location.host}/sync` });
}
