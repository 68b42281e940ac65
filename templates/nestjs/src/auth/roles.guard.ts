import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { Details } from '../common/messages';
import type { Role, User } from '../users/user.entity';
import { ROLES_KEY } from './roles.decorator';

/** Global guard after JwtAuthGuard: enforces @Roles() where a route declares it. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles?.length) return true;
    const { user } = context.switchToHttp().getRequest<{ user?: User }>();
    if (!user || !roles.includes(user.role)) {
      throw new ForbiddenException(Details.adminRequired);
    }
    return true;
  }
}
