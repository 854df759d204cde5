// The validators the relay registers by default, one per document kind (S21).
import type { DocKind } from '../../../src/lib/schema/ids';
import { customerValidator } from './customer';
import { tenantValidator } from './tenant';
import type { DocValidator, RolePolicy } from './types';

export type DocValidators = ReadonlyMap<DocKind, DocValidator>;

export function defaultValidators(policy?: RolePolicy): DocValidators {
	return new Map<DocKind, DocValidator>([
		['tenant', tenantValidator(policy)],
		['customer', customerValidator(policy)]
	]);
}

export { VALIDATION_ORIGIN } from './types';
export { TooManyRejectedError } from './records';
export { isPlainJson } from './plain';
export type {
	AcceptedChange,
	DocValidator,
	ItemChange,
	RejectedItem,
	Review,
	RoomValidation,
	RolePolicy,
	Writer
} from './types';
