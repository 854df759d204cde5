// P10: the tag registry of a tenant (root `smartTags` of the tenant document): tag name -> its colour. A customer's tags
// stay on its node (`tags`); a tag in use without an entry here is shown without a colour.
import { z } from 'zod';

/** A fixed palette: each colour has a background and text pair with at least 4.5:1 contrast (TagChip.svelte). */
export const SMART_TAG_COLOURS = ['grey', 'blue', 'teal', 'green', 'amber', 'orange', 'red', 'pink', 'purple'] as const;
export const smartTagColourSchema = z.enum(SMART_TAG_COLOURS);
export type SmartTagColour = z.infer<typeof smartTagColourSchema>;

export const smartTagRecordSchema = z.strictObject({ colour: smartTagColourSchema });
export type SmartTagRecord = z.infer<typeof smartTagRecordSchema>;
