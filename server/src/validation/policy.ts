// S21: the role hook's default: owners and admins write everything; any other role writes nothing (Help Desk rules go here).
import type { RolePolicy } from './types';

export const allowOwnersAndAdmins: RolePolicy = (writer) => writer.role === 'owner' || writer.role === 'admin';
