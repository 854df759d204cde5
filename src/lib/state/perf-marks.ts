// Names of the app's performance marks, which the benchmarks read from the page (bench/cold-open.ts): kept in one place so
// that a renamed mark breaks the benchmark's type check instead of silently measuring nothing.

/** The workspace starts opening the tenant's local copy (IndexedDB). */
export const TENANT_OPEN_MARK = 'msp:tenant-open';
/** The tenant's local copy is loaded into its document (the replica's `whenLoaded`). */
export const TENANT_LOADED_MARK = 'msp:tenant-loaded';
