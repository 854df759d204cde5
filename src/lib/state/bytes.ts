// F7: byte counts as people read them ("3.2 MB of 1.1 GB"), in the browser's locale.
const UNITS = ['kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** "3.2 MB", "1.1 GB": decimal units (as browsers and disks count) with one decimal; kilobytes at least ("0.5 kB"). */
export function formatBytes(bytes: number, locale?: string): string {
	let value = Math.max(0, bytes) / 1000;
	let unit = 0;
	while (value >= 1000 && unit < UNITS.length - 1) {
		value /= 1000;
		unit += 1;
	}
	// 999.96 kB would round to "1,000 kB": say "1 MB".
	if (unit < UNITS.length - 1 && Math.round(value * 10) / 10 >= 1000) {
		value /= 1000;
		unit += 1;
	}
	return new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: UNITS[unit],
		unitDisplay: 'short',
		maximumFractionDigits: 1
	}).format(value);
}
