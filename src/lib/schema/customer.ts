// One customer's working data, stored in its own document `customer:<id>`.
import { z } from 'zod';
import { entityIdSchema } from './ids';

export const contactSchema = z.object({
	id: entityIdSchema,
	name: z.string().trim().min(1, 'a contact needs a name').max(120),
	role: z.string().trim().max(80),
	email: z.union([z.email().max(254), z.literal('')]),
	phone: z.string().trim().max(40)
});
export type Contact = z.infer<typeof contactSchema>;
export const contactInputSchema = contactSchema.omit({ id: true });
export type ContactInput = z.infer<typeof contactInputSchema>;

export const noteSchema = z.object({
	id: entityIdSchema,
	text: z.string().trim().min(1).max(4000),
	author: z.string().max(254),
	at: z.iso.datetime()
});
export type Note = z.infer<typeof noteSchema>;
