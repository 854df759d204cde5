// P9: the format module as screens and state import it; the pure code is src/lib/domain/format.ts (the server uses it too).
export * from '$lib/domain/format';
