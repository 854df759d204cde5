// F7: byte counts as people read them ("3.2 MB of 1.1 GB"); the function lives with the other formats (P9).
export { formatBytes } from '$lib/domain/format';
