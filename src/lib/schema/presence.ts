// F4: what one device announces on a document's awareness while a person has its page open (S30).
import { z } from 'zod';
import { emailSchema } from './api';

/** What is being edited: a section ('profile', 'contact') or a field, optionally with an id ('contact:<id>'). */
export const presenceEditingSchema = z
	.string()
	.min(1)
	.max(100)
	.regex(/^[\w.:-]+$/);

export const presenceUserSchema = z.object({
	email: emailSchema,
	name: z.string().trim().min(1).max(120).optional()
});
export type PresenceUser = z.infer<typeof presenceUserSchema>;

/** One awareness state. Only the email (no token, no secret): every connection of the document receives it. */
export const presenceStateSchema = z.object({
	user: presenceUserSchema,
	editing: presenceEditingSchema.nullable().optional()
});
export type PresenceAnnouncement = z.infer<typeof presenceStateSchema>;
