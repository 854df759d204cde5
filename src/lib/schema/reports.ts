// P8: custom reports. What a person builds (subject, columns, filters, grouping, chart) and what the tenant keeps of it
// (root map `savedReports` of the tenant document, one plain record per report, written with `reports.edit`). The field
// catalog below is the one description the builder, the engine, the relay's validation and the tests read.
import { z } from 'zod';
import { entityIdSchema } from './ids';

export const REPORT_SUBJECTS = ['customers', 'licenses', 'jobs', 'requests'] as const;
export const reportSubjectSchema = z.enum(REPORT_SUBJECTS);
export type ReportSubject = z.infer<typeof reportSubjectSchema>;

/** text: free text; number: a count or amount; date: a day or an instant; state: one of a fixed set of values. */
export type ReportFieldType = 'text' | 'number' | 'date' | 'state';

export interface ReportField {
	readonly type: ReportFieldType;
	/** A number that is a size in bytes (shown as kB, MB, GB). */
	readonly unit?: 'bytes';
}

/**
 * The fields of each subject. A field may be renamed or dropped in a later version only together with a migration of
 * the saved reports: a saved definition naming a field that is not here is refused (and the report says so).
 */
export const REPORT_FIELDS = {
	customers: {
		name: { type: 'text' },
		status: { type: 'state' },
		country: { type: 'text' },
		tags: { type: 'text' },
		services: { type: 'text' },
		failedJobs: { type: 'number' },
		serviceRequests: { type: 'number' },
		openRequests: { type: 'number' },
		storage: { type: 'number', unit: 'bytes' },
		licenses: { type: 'number' },
		insights: { type: 'number' },
		createdAt: { type: 'date' }
	},
	licenses: {
		publicId: { type: 'text' },
		product: { type: 'text' },
		type: { type: 'state' },
		state: { type: 'state' },
		unitsOrdered: { type: 'number' },
		unitsActivated: { type: 'number' },
		expiresOn: { type: 'date' },
		owner: { type: 'text' },
		licenseUser: { type: 'text' },
		tag: { type: 'text' },
		pool: { type: 'text' },
		account: { type: 'text' }
	},
	jobs: {
		customer: { type: 'text' },
		jobId: { type: 'text' },
		service: { type: 'text' },
		module: { type: 'text' },
		startedAt: { type: 'date' },
		endedAt: { type: 'date' },
		durationMinutes: { type: 'number' }
	},
	requests: {
		customer: { type: 'text' },
		requestId: { type: 'text' },
		subject: { type: 'text' },
		status: { type: 'state' },
		submittedAt: { type: 'date' }
	}
} as const satisfies Record<ReportSubject, Record<string, ReportField>>;

/** The field a subject's time window looks at (P2: failed jobs by end time, requests by submission time). */
export const WINDOW_FIELD: Readonly<Partial<Record<ReportSubject, string>>> = {
	jobs: 'endedAt',
	requests: 'submittedAt'
};

/** The field of `subject` named `name`, or undefined when the subject has no such field. */
export function reportField(subject: ReportSubject, name: string): ReportField | undefined {
	const fields: Readonly<Record<string, ReportField>> = REPORT_FIELDS[subject];
	return Object.hasOwn(fields, name) ? fields[name] : undefined;
}

export const REPORT_OPERATORS = ['equals', 'contains', 'greaterThan', 'lessThan', 'between', 'oneOf'] as const;
export type ReportOperator = (typeof REPORT_OPERATORS)[number];

/** Which operators each field type offers (dates: after, before, between two days). */
export const OPERATORS_BY_TYPE: Readonly<Record<ReportFieldType, readonly ReportOperator[]>> = {
	text: ['equals', 'contains', 'oneOf'],
	state: ['equals', 'oneOf'],
	number: ['equals', 'greaterThan', 'lessThan'],
	date: ['greaterThan', 'lessThan', 'between']
};

export const REPORT_WINDOWS = ['24h', '7d', '30d', '90d'] as const;
export const reportWindowSchema = z.enum(REPORT_WINDOWS);
export type ReportWindow = z.infer<typeof reportWindowSchema>;

export const REPORT_CHARTS = ['bar', 'line', 'pie', 'table'] as const;
export type ReportChart = (typeof REPORT_CHARTS)[number];

export const REPORT_AGGREGATES = ['count', 'sum', 'average'] as const;
export type ReportAggregate = (typeof REPORT_AGGREGATES)[number];

/** Bounds: a definition stays a few kilobytes in the tenant document. */
export const REPORT_LIMITS = {
	columns: 12,
	filters: 10,
	values: 50,
	text: 200,
	name: 80,
	description: 500,
	savedReports: 200
} as const;

const fieldNameSchema = z.string().min(1).max(40);
const daySchema = z.iso.date('a day is written YYYY-MM-DD');
const filterTextSchema = z.string().trim().min(1, 'a filter needs a value').max(REPORT_LIMITS.text);

export const reportFilterSchema = z.discriminatedUnion('op', [
	z.strictObject({ field: fieldNameSchema, op: z.literal('equals'), value: z.union([filterTextSchema, z.number()]) }),
	z.strictObject({ field: fieldNameSchema, op: z.literal('contains'), value: filterTextSchema }),
	z.strictObject({ field: fieldNameSchema, op: z.literal('greaterThan'), value: z.union([z.number(), daySchema]) }),
	z.strictObject({ field: fieldNameSchema, op: z.literal('lessThan'), value: z.union([z.number(), daySchema]) }),
	z.strictObject({ field: fieldNameSchema, op: z.literal('between'), from: daySchema, to: daySchema }),
	z.strictObject({
		field: fieldNameSchema,
		op: z.literal('oneOf'),
		values: z.array(filterTextSchema).min(1, 'pick at least one value').max(REPORT_LIMITS.values)
	})
]);
export type ReportFilter = z.infer<typeof reportFilterSchema>;

export const reportGroupingSchema = z.strictObject({
	field: fieldNameSchema,
	aggregate: z.enum(REPORT_AGGREGATES),
	/** The number field summed or averaged (null for a count). */
	measure: fieldNameSchema.nullable()
});
export type ReportGrouping = z.infer<typeof reportGroupingSchema>;

/** What a person builds; runs over the device's replica (or a scoped person's view) whenever it is opened. */
export const reportDefinitionSchema = z
	.strictObject({
		subject: reportSubjectSchema,
		columns: z.array(fieldNameSchema).min(1, 'pick at least one column').max(REPORT_LIMITS.columns),
		filters: z.array(reportFilterSchema).max(REPORT_LIMITS.filters),
		/** Jobs and requests only: the last 24 h … 90 days before the report runs (null: all the summaries keep). */
		window: reportWindowSchema.nullable(),
		grouping: reportGroupingSchema.nullable(),
		sort: z.strictObject({ field: fieldNameSchema, descending: z.boolean() }).nullable(),
		chart: z.enum(REPORT_CHARTS)
	})
	.superRefine((definition, ctx) => {
		const { subject } = definition;
		const known = (name: string, path: (string | number)[]): ReportField | undefined => {
			const field = reportField(subject, name);
			if (!field)
				ctx.addIssue({
					code: 'custom',
					path,
					message: `"${name}" is not a field of ${subject}`,
					params: { field: name }
				});
			return field;
		};
		definition.columns.forEach((name, index) => known(name, ['columns', index]));
		if (new Set(definition.columns).size !== definition.columns.length)
			ctx.addIssue({ code: 'custom', path: ['columns'], message: 'each column is listed once' });
		definition.filters.forEach((filter, index) => {
			const field = known(filter.field, ['filters', index, 'field']);
			if (!field) return;
			if (!OPERATORS_BY_TYPE[field.type].includes(filter.op)) {
				ctx.addIssue({
					code: 'custom',
					path: ['filters', index, 'op'],
					message: `"${filter.op}" does not apply to the ${field.type} field "${filter.field}"`
				});
				return;
			}
			if (filter.op === 'between' && filter.from > filter.to)
				ctx.addIssue({ code: 'custom', path: ['filters', index], message: 'the first day comes before the last one' });
			if (filter.op === 'greaterThan' || filter.op === 'lessThan' || filter.op === 'equals') {
				const wanted = field.type === 'date' ? 'string' : field.type === 'number' ? 'number' : 'string';
				if (typeof filter.value !== wanted)
					ctx.addIssue({
						code: 'custom',
						path: ['filters', index, 'value'],
						message:
							field.type === 'date' ? 'a day is written YYYY-MM-DD' : `"${filter.field}" compares with a ${wanted}`
					});
			}
		});
		if (definition.window !== null && WINDOW_FIELD[subject] === undefined)
			ctx.addIssue({ code: 'custom', path: ['window'], message: `${subject} have no time window` });
		const { grouping } = definition;
		if (grouping) {
			known(grouping.field, ['grouping', 'field']);
			if (grouping.aggregate === 'count' && grouping.measure !== null)
				ctx.addIssue({ code: 'custom', path: ['grouping', 'measure'], message: 'a count needs no measure' });
			if (grouping.aggregate !== 'count') {
				const measure = grouping.measure === null ? undefined : known(grouping.measure, ['grouping', 'measure']);
				if (grouping.measure === null || (measure && measure.type !== 'number'))
					ctx.addIssue({
						code: 'custom',
						path: ['grouping', 'measure'],
						message: `a ${grouping.aggregate} needs a number field`
					});
			}
		}
		if (definition.sort) known(definition.sort.field, ['sort', 'field']);
	});
export type ReportDefinition = z.infer<typeof reportDefinitionSchema>;

/** A custom report saved in the tenant (root map `savedReports`, key = id). */
export const savedReportSchema = z.strictObject({
	id: entityIdSchema,
	name: z
		.string()
		.trim()
		.min(1, 'a report needs a name')
		.max(REPORT_LIMITS.name, `a report name holds at most ${REPORT_LIMITS.name} characters`),
	description: z
		.string()
		.trim()
		.max(REPORT_LIMITS.description, `a description holds at most ${REPORT_LIMITS.description} characters`),
	definition: reportDefinitionSchema,
	/** The email of the person who first saved it (shown in the list; not a secret, never a credential). */
	createdBy: z.string().max(254),
	updatedAt: z.iso.datetime()
});
export type SavedReport = z.infer<typeof savedReportSchema>;

/** A new report's starting point: the customers by name. */
export const DEFAULT_DEFINITION: ReportDefinition = {
	subject: 'customers',
	columns: ['name', 'status', 'country'],
	filters: [],
	window: null,
	grouping: null,
	sort: { field: 'name', descending: false },
	chart: 'table'
};
