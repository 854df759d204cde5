// P8: what a report chart draws: one value per group, in the order given (the shared charts' ChartDatum has this shape).
export interface ChartDatum {
	/** Stable and unique within the chart (the group's key as text). */
	readonly key: string;
	readonly label: string;
	readonly value: number;
}
