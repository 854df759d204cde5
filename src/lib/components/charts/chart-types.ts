// P8: what every chart component takes: one series of labelled values (counts, bytes, units), never colours alone.

/** One bar, slice or point. `label` is what a person reads; `key` is stable (keyed each, test ids). */
export interface ChartDatum {
	readonly key: string;
	readonly label: string;
	readonly value: number;
}

/** Formats a value for the labels on the bars and the axis (e.g. bytes or percent); plain numbers by default. */
export type ChartFormat = (value: number) => string;
