import { SetMetadata } from '@nestjs/common';

import type { Role } from '../users/user.entity';

export const ROLES_KEY = 'roles';

/** Restricts a route (or controller) to callers having one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
