// Runs the store contract on the in-memory store.
import { createMemoryStore } from './memory';
import { runStoreContract } from './doc-store-contract';

runStoreContract('memory', { open: async () => createMemoryStore(), reopen: null });
